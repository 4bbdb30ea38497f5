"""bank.rounding: the dependency graph, the rounding of shown values, and the intervals."""

import math

import pytest

from membranelab.bank import grade_part, load_bank
from membranelab.bank.rounding import (
    ancestors,
    dependencies,
    half_unit,
    rounding_widths,
    shown_figures,
)

R, F = 8.314462618, 96485.33212


@pytest.fixture(scope="module")
def bank():
    return load_bank()


class TestGraph:
    def test_dependencies_closed(self, bank):
        """pump-steady-state: I_pump uses V_m, which uses E_K and E_Na."""
        deps = dependencies(bank["pump-steady-state"])
        assert deps["I_pump"] == {"E_K", "E_Na", "V_m"}
        assert deps["E_K"] == frozenset()

    def test_ancestors_of_a_parameter(self, bank):
        """A parameter depends on no derived value."""
        assert ancestors(bank["pump-steady-state"], "g_K") == frozenset()


class TestShown:
    def test_half_unit(self):
        """−101.3 mV at 3 figures is rounded to 1 mV: half a unit is 0.5 mV (in volts)."""
        assert math.isclose(half_unit(-0.1013, 3, "mV"), 0.0005)
        assert math.isclose(half_unit(-0.0856, 3, "mV"), 0.00005)
        assert math.isclose(half_unit(235e-12, 3, "pA"), 0.5e-12)

    def test_potential_a_later_part_uses_shows_a_tenth(self, bank):
        """E_K of pump-steady-state (used by V_m and I_pump) at −101.3 mV shows 4 figures;
        I_pump (used by no later part, a current) keeps 3."""
        problem = bank["pump-steady-state"]
        assert shown_figures(problem, "E_K", -0.1013) == 4
        assert shown_figures(problem, "E_K", -0.0953) == 3
        assert shown_figures(problem, "I_pump", 1013e-12) == 3

    def test_reference_text_of_a_potential_beyond_100_mv(self, bank):
        """A V_m beyond −100 mV that I_pump uses is shown to 0.1 mV in the reference answer."""
        problem = bank["pump-steady-state"]
        for i in range(3000):
            variant = problem.variant(f"s{i:05d}", "check")
            if variant.answer("V_m").value <= -100:
                break
        else:
            raise AssertionError("no variant beyond -100 mV among 3,000 students")
        text = variant.answer("V_m").text
        assert len(text.split(".")[1]) == 1, text


class TestWidths:
    def test_drive_from_a_shown_e_na(self, bank):
        """nernst-sodium: the drive V_rest − E_Na moves by E_Na's rounding (60.6 mV: 0.05 mV)."""
        problem = bank["nernst-sodium"]
        variant = problem.variant()
        assert math.isclose(variant.rounding_width("drive"), 0.05, rel_tol=1e-6)
        assert variant.rounding_width("E_Na") == 0.0  # computed from the data alone

    def test_pump_current_from_a_shown_v_m(self, bank):
        """pump-steady-state, canonical (g_K 50 nS, V_m −85.6 mV): V_m's rounding (0.05 mV)
        moves I_pump = g_K (V_m − E_K)/2 by 50 × 0.05 / 2 = 1.25 pA; E_K's and E_Na's own
        roundings (0.05 mV each) add at most 50 × 0.05 / 2 + 50 × 0.05 / 2 = 2.5 pA."""
        variant = bank["pump-steady-state"].variant()
        width = variant.rounding_width("I_pump")
        assert width >= 1.25 and width <= 1.25 + 2.5  # pA, by hand above

    def test_answer_from_rounded_v_m_accepted(self, bank):
        """I_pump from V_m shown as −85.6 mV and E_K to 0.1 mV (hand: E_K = (RT/F) ln(4/140)
        = −95.0 mV at 310.15 K): 50 × (−85.6 − (−95.0)) / 2 = 235 pA is accepted."""
        problem = bank["pump-steady-state"]
        variant = problem.variant()
        e_k = round(1000 * R * 310.15 / F * math.log(4 / 140), 1)
        answer = f"{50 * (-85.6 - e_k) / 2:.1f} pA"
        assert grade_part(problem, variant, problem.part("I_pump"), answer).correct

    def test_no_derived_value_no_width(self, bank):
        """A part computed from the data alone (nernst-sodium's E_Na) has no rounding width
        beyond the values it is computed from (RT/F: 26.7 mV shown, 0.05 mV)."""
        problem = bank["nernst-sodium"]
        widths = rounding_widths(problem, {n: problem.variant().values[n]
                                           for n in problem.params}, targets=["RT_F"])
        assert widths == {"RT_F": 0.0}
