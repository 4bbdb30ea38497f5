"""Dissipated power and entropy production of the non-equilibrium steady state."""

import math

import pytest

from membranelab.physics import (
    dissipated_power,
    entropy_production_rate,
    pump_contribution,
    pump_coupling_ratio,
    pump_current_for_steady_state,
    pump_ratio_steady_state,
    scenario,
)

R_HAND, F_HAND = 8.314462618, 96485.33212


class TestDissipatedPower:
    def test_hand(self):
        """sum g (V - E)^2 by hand."""
        got = dissipated_power([10e-9, 1e-9], [-0.09, 0.06], -0.07)
        assert got == pytest.approx(10e-9 * 0.02**2 + 1e-9 * 0.13**2)

    def test_equilibrium_dissipates_nothing(self):
        """At a single ion's equilibrium there is no dissipation."""
        assert dissipated_power([1e-9], [-0.09], -0.09) == 0.0

    def test_negative_conductance(self):
        """A negative conductance is refused."""
        with pytest.raises(ValueError, match="^conductances must be >= 0"):
            dissipated_power([-1e-9], [-0.09], -0.07)


class TestSteadyStateScenario:
    def _hand(self):
        s = scenario("steady_state").values
        t = 310.15
        ek = R_HAND * t / F_HAND * math.log(4 / 140)
        ena = R_HAND * t / F_HAND * math.log(145 / 15)
        gk, gna = 50e-9, 4.81e-9
        v = (1.5 * gk * ek + gna * ena) / (1.5 * gk + gna)
        return s, t, ek, ena, gk, gna, v

    def test_entropy_rate_346(self):
        """The scenario reproduces the document's 3.46e-13 J/(K s), recomputed by hand."""
        s, t, ek, ena, gk, gna, v = self._hand()
        hand = (gk * (v - ek) ** 2 + gna * (v - ena) ** 2) / t
        assert round(hand, 15) == pytest.approx(3.46e-13)
        got = entropy_production_rate([s["g_K"], s["g_Na"]], [ek, ena], v, s["temperature"])
        assert got == pytest.approx(hand, rel=1e-9)

    def test_currents_sum_to_zero(self):
        """Self-consistent: I_K + I_Na + I_pump = 0 with I_pump = I_K / 2 (3:2 pump)."""
        s, t, ek, ena, gk, gna, v = self._hand()
        assert pump_ratio_steady_state(gk, ek, gna, ena) == pytest.approx(v)
        i_pump = pump_current_for_steady_state(gk, ek, v)
        assert gk * (v - ek) + gna * (v - ena) + i_pump == pytest.approx(0, abs=1e-22)

    def test_pump_effect_in_document_range(self):
        """The pump's direct effect -I/G lies in the document's -1 to -5 mV."""
        s, t, ek, ena, gk, gna, v = self._hand()
        dv = pump_contribution(gk * (v - ek) / 2, gk + gna) * 1e3
        assert -5 <= dv <= -1


class TestPumpWork:
    def test_sodium_out_at_rest(self):
        """Moving Na⁺ out (15 in, 145 out mM) at -70 mV, 37 °C: RT ln(145/15) + F 0.070 = 12.60
        kJ/mol."""
        from membranelab.physics import electrochemical_work

        hand = 8.314462618 * 310.15 * math.log(145 / 15) + 96485.33212 * 0.070
        assert round(hand / 1000, 2) == 12.60
        assert electrochemical_work(15, 145, 1, -0.070, 310.15) == pytest.approx(hand)

    def test_atp_per_second(self):
        """235 pA of net pump current, one charge and one ATP per cycle: 1.467e9 ATP/s."""
        from membranelab.physics import pump_cycle_rate

        hand = 235e-12 / 1.602176634e-19
        assert round(hand / 1e9, 3) == 1.467
        assert pump_cycle_rate(235e-12) == pytest.approx(hand)


class TestPumpCouplingRatio:
    def test_three_to_two(self):
        """The Na+/K+-ATPase moves 3 Na+ out per 2 K+ in: r = 1.5."""
        assert pump_coupling_ratio(3, 2) == pytest.approx(1.5)

    def test_no_potassium_refused(self):
        """A pump moving no K+ has no ratio: refused, naming the argument."""
        with pytest.raises(ValueError, match="^k_per_cycle must be > 0"):
            pump_coupling_ratio(3, 0)
