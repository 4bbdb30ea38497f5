"""Chord conductance, pump contribution and the 3:2 pump steady state."""

import pytest

from membranelab.physics import (
    chord_conductance_potential,
    ionic_currents,
    pump_contribution,
    pump_ratio_steady_state,
)


class TestChordConductance:
    def test_document_minus_77(self):
        """The document's example: E 1:0.04:0.45 weights give -77 mV."""
        got = chord_conductance_potential([1, 0.04, 0.45], [-89e-3, 61e-3, -64e-3])
        hand = (1 * -89 + 0.04 * 61 + 0.45 * -64) / (1 + 0.04 + 0.45)
        assert got * 1e3 == pytest.approx(hand, rel=1e-9)
        assert round(got * 1e3) == -77

    def test_chloride_blocked_minus_83(self):
        """Blocking Cl- (g_Cl = 0) hyperpolarises to -83 mV."""
        got = chord_conductance_potential({"K": 1, "Na": 0.04, "Cl": 0}, {"K": -89e-3, "Na": 61e-3, "Cl": -64e-3})
        assert round(got * 1e3) == -83

    def test_chloride_current_outward_anion_flux(self):
        """At -77 mV the Cl- current g(V - E_Cl) is negative: inward current, Cl- leaving the cell."""
        g = {"K": 1e-9, "Na": 0.04e-9, "Cl": 0.45e-9}
        e = {"K": -89e-3, "Na": 61e-3, "Cl": -64e-3}
        v = chord_conductance_potential(g, e)
        currents = ionic_currents(g, e, v)
        assert currents["Cl"] < 0
        assert sum(currents.values()) == pytest.approx(0, abs=1e-20)

    def test_pump_current_shifts_by_minus_i_over_g(self):
        """A pump current shifts Vm by exactly -I/G."""
        g, e = [10e-9, 1e-9], [-0.09, 0.06]
        shift = chord_conductance_potential(g, e, 22e-12) - chord_conductance_potential(g, e)
        assert shift == pytest.approx(-22e-12 / 11e-9)

    def test_zero_total_conductance(self):
        """Zero total conductance is refused, naming the argument."""
        with pytest.raises(ValueError, match="^conductances must have a total > 0"):
            chord_conductance_potential([0, 0], [-0.09, 0.06])


class TestPump:
    def test_contribution_sign_and_size(self):
        """20 pA outward through 10 nS hyperpolarises by 2 mV."""
        assert pump_contribution(20e-12, 10e-9) == pytest.approx(-2e-3)

    def test_contribution_zero_conductance(self):
        """total_conductance <= 0 is refused."""
        with pytest.raises(ValueError, match="^total_conductance must be > 0"):
            pump_contribution(20e-12, 0.0)

    def test_ratio_form_hand(self):
        """(1.5 g_K E_K + g_Na E_Na)/(1.5 g_K + g_Na) by hand."""
        got = pump_ratio_steady_state(1.0, -0.095, 0.05, 0.0606)
        hand = (1.5 * 1.0 * -0.095 + 0.05 * 0.0606) / (1.5 * 1.0 + 0.05)
        assert got == pytest.approx(hand, rel=1e-9)

    def test_ratio_passive_fluxes(self):
        """At the ratio potential passive I_Na / I_K = -1.5."""
        v = pump_ratio_steady_state(1.0, -0.095, 0.05, 0.0606)
        assert (0.05 * (v - 0.0606)) / (1.0 * (v + 0.095)) == pytest.approx(-1.5)

    def test_ratio_one_is_chord(self):
        """ratio = 1 is the plain chord-conductance potential."""
        assert pump_ratio_steady_state(2.0, -0.09, 0.1, 0.06, ratio=1.0) == pytest.approx(
            chord_conductance_potential([2.0, 0.1], [-0.09, 0.06])
        )

    def test_ratio_bad(self):
        """A non-positive ratio is refused."""
        with pytest.raises(ValueError, match="^ratio must be > 0"):
            pump_ratio_steady_state(1.0, -0.095, 0.05, 0.06, ratio=0)
