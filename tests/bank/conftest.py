"""Shared fixtures: the repository's bank, loaded once."""

import math

import pytest

from membranelab.bank import load_bank


@pytest.fixture(scope="session")
def bank():
    """The repository's problem bank."""
    return load_bank()


@pytest.fixture(scope="session")
def warming_log10_mv() -> float:
    """V_m at 37 °C of warming-q10's canonical variant, with log10 for ln in every Nernst step,
    by hand (the right answer is about -90.7 mV).

    At 27 °C (300.15 K) the cell is in the 3:2 steady state: with log10, E_K = (RT/F) log10(4/140),
    E_Na = (RT/F) log10(145/15), V = (1.5 g_K E_K + g_Na E_Na) / (1.5 g_K + g_Na) with g_K 40 nS,
    g_Na 4 nS, and the pump current I = g_K (V - E_K) / 2. Warmed to 37 °C (310.15 K): leaks x1.3,
    pump x3.0, E_K and E_Na with log10 at 310.15 K; V_m = (g_K' E_K' + g_Na' E_Na' - I') / G'.
    """
    def potentials(t_kelvin):
        rt_f = 8.314462618 * t_kelvin / 96485.33212
        return rt_f * math.log10(4 / 140), rt_f * math.log10(145 / 15)

    e_k1, e_na1 = potentials(300.15)
    v_before = (1.5 * 40e-9 * e_k1 + 4e-9 * e_na1) / (1.5 * 40e-9 + 4e-9)
    i_pump = 40e-9 * (v_before - e_k1) / 2
    e_k2, e_na2 = potentials(310.15)
    g_k, g_na = 40e-9 * 1.3, 4e-9 * 1.3
    return (g_k * e_k2 + g_na * e_na2 - 3.0 * i_pump) / (g_k + g_na) * 1000
