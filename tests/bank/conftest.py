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
    """V_m at 37 °C of warming-q10's canonical variant, with log10 for ln in both Nernst steps,
    by hand (about -40.37 mV; the right answer is about -86.1 mV).

    RT/F at 310.15 K = 8.314462618 * 310.15 / 96485.33212 = 0.0267267 V;
    E_K = 0.0267267 * log10(4/140) = -0.0412678 V, E_Na = 0.0267267 * log10(145/15) = 0.0263332 V;
    warmed 27 -> 37 °C: g_K = 40 * 1.3 = 52 nS, g_Na = 4 * 1.3 = 5.2 nS, I_pump = 100 * 3.0 = 300 pA;
    V_m = (52 nS * E_K + 5.2 nS * E_Na - 300 pA) / 57.2 nS = -40.367 mV.
    """
    rt_f = 8.314462618 * 310.15 / 96485.33212
    e_k, e_na = rt_f * math.log10(4 / 140), rt_f * math.log10(145 / 15)
    g_k, g_na, i_pump = 40e-9 * 1.3, 4e-9 * 1.3, 100e-12 * 3.0
    return (g_k * e_k + g_na * e_na - i_pump) / (g_k + g_na) * 1000

