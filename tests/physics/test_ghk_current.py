"""The GHK current equation, permeability as conductance, the Mullins-Noda steady state and the
P_Na/P_K of a target potential: checked against hand calculations written here."""

import math

import numpy as np
import pytest

from membranelab.physics import (
    ghk_chord_conductance,
    ghk_current_density,
    pump_ratio_ghk_potential,
    sodium_permeability_ratio_for,
)

R, F, T = 8.314462618, 96485.33212, 310.15


def by_hand(p, c_in, c_out, z, v):
    u = z * F * v / (R * T)
    return p * z * z * F * F * v / (R * T) * (c_in - c_out * math.exp(-u)) / (1 - math.exp(-u))


class TestGhkCurrentDensity:
    def test_k_at_rest(self):
        """K⁺ 140/4 mM, P 1e-8 m/s, -70 mV: 0.01690 A/m² outward (1.69 µA/cm²)."""
        hand = by_hand(1e-8, 140, 4, 1, -0.070)
        assert round(hand, 5) == 0.0169
        assert ghk_current_density(1e-8, 140, 4, 1, -0.070, T) == pytest.approx(hand, rel=1e-9)

    def test_zero_at_the_nernst_potential(self):
        """No current at E_K."""
        e_k = R * T / F * math.log(4 / 140)
        assert abs(ghk_current_density(1e-8, 140, 4, 1, e_k, T)) < 1e-10  # of 0.017 A/m² at rest

    def test_limit_at_zero_volts(self):
        """At 0 V the current is P z F ([X]in - [X]out)."""
        assert ghk_current_density(1e-8, 140, 4, 1, 0.0, T) == pytest.approx(1e-8 * F * 136)

    def test_anion_sign(self):
        """Cl⁻ 10/110 mM at -70 mV (E_Cl -64 mV): V < E_Cl, so Cl⁻ leaves: an inward current."""
        assert ghk_current_density(1e-8, 10, 110, -1, -0.070, T) < 0
        assert ghk_current_density(1e-8, 10, 110, -1, -0.070, T) == pytest.approx(
            by_hand(1e-8, 10, 110, -1, -0.070), rel=1e-9)

    def test_vectorised(self):
        """Arrays of potentials give arrays."""
        v = np.array([-0.08, 0.0, 0.03])
        out = ghk_current_density(1e-8, 140, 4, 1, v, T)
        assert out.shape == (3,) and out[1] == pytest.approx(1e-8 * F * 136)

    def test_refuses_negative_permeability(self):
        """A negative permeability is named."""
        with pytest.raises(ValueError, match="permeability must be >= 0"):
            ghk_current_density(-1, 140, 4, 1, -0.07, T)


class TestChordConductance:
    def test_sodium_over_potassium_per_permeability(self):
        """At -70 mV the chord conductance per unit permeability of Na⁺ (145/15) is 4.44 times
        that of K⁺ (140/4): g_Na/g_K = 4.44 P_Na/P_K."""
        e_k, e_na = R * T / F * math.log(4 / 140), R * T / F * math.log(145 / 15)
        g_k = by_hand(1, 140, 4, 1, -0.070) / (-0.070 - e_k)
        g_na = by_hand(1, 15, 145, 1, -0.070) / (-0.070 - e_na)
        assert round(g_na / g_k, 2) == 4.44
        ratio = ghk_chord_conductance(1, 15, 145, 1, -0.07, T) / ghk_chord_conductance(
            1, 140, 4, 1, -0.07, T)
        assert ratio == pytest.approx(g_na / g_k, rel=1e-9)

    def test_at_the_reversal_potential(self):
        """At V = E the slope is returned (finite, positive)."""
        e_k = R * T / F * math.log(4 / 140)
        g = ghk_chord_conductance(1e-8, 140, 4, 1, e_k, T)
        assert math.isfinite(g) and g > 0


class TestMullinsNoda:
    @pytest.mark.parametrize(("p_na", "mv"), [(0.01, -89.26), (0.04, -77.02), (0.1, -62.37)])
    def test_documents_range(self, p_na, mv):
        """3:2 pump, K⁺ 4/140, Na⁺ 145/15 mM, 37 °C: -89 to -62 mV for P_Na/P_K 1-10 %."""
        hand = R * T / F * math.log((1.5 * 4 + p_na * 145) / (1.5 * 140 + p_na * 15)) * 1e3
        assert round(hand, 2) == mv
        assert pump_ratio_ghk_potential(1, p_na, 4, 140, 145, 15, T) * 1e3 == pytest.approx(hand)

    def test_ratio_one_is_ghk(self):
        """ratio 1: the GHK voltage equation for K⁺ and Na⁺."""
        hand = R * T / F * math.log((4 + 0.04 * 145) / (140 + 0.04 * 15))
        assert pump_ratio_ghk_potential(1, 0.04, 4, 140, 145, 15, T, ratio=1) == pytest.approx(hand)


class TestPermeabilityForPotential:
    def test_action_potential_peak(self):
        """+40 mV with K⁺ 4/140, Na⁺ 145/15, Cl⁻ 110/10 mM, P_Cl/P_K 0.45: solve GHK by hand."""
        x = math.exp(0.040 * F / (R * T))
        hand = (x * (140 + 0.45 * 110) - 4 - 0.45 * 10) / (145 - x * 15)
        got = sodium_permeability_ratio_for(0.040, 4, 140, 145, 15, T, 0.45, 110, 10)
        assert got == pytest.approx(hand, rel=1e-9) and 10 < got < 11
        v = R * T / F * math.log((4 + got * 145 + 0.45 * 10) / (140 + got * 15 + 0.45 * 110))
        assert v == pytest.approx(0.040, abs=1e-9)

    def test_beyond_e_na(self):
        """No permeability ratio takes V past E_Na (+60.6 mV)."""
        with pytest.raises(ValueError, match="no positive P_Na/P_K"):
            sodium_permeability_ratio_for(0.070, 4, 140, 145, 15, T)
