"""Tests of membranelab.grading.feedback: named mistakes over the physics solvers."""

from __future__ import annotations

import math

import pytest

from membranelab import physics
from membranelab.grading.feedback import (
    MISTAKES,
    Mistake,
    describe_deviation,
    evaluate_mistakes,
)
from membranelab.messages import render_message

# Exact SI 2019 values, typed here so expected values do not come from the code under test.
R = 8.314462618
F = 96485.33212
T = 310.15


def stand_in_nernst(c_out: float, c_in: float, z: float, temperature: float) -> float:
    """A local stand-in for physics.nernst_potential, volts."""
    return R * temperature / (z * F) * math.log(c_out / c_in)


NERNST_KW = {"c_out": 4.0, "c_in": 140.0, "z": 1, "temperature": T}
RIGHT = R * T / F * math.log(4 / 140)


class TestMistakeApply:
    def test_log10_with_stand_in(self) -> None:
        """log10 on a stand-in Nernst gives RT/F log10(out/in)."""
        value = MISTAKES["log10"].apply("nernst_potential", stand_in_nernst, NERNST_KW)
        assert value == pytest.approx(R * T / F * math.log10(4 / 140), rel=1e-12)

    @pytest.mark.parametrize(("name", "expected"), [
        ("log10", R * T / F * math.log10(4 / 140)),
        ("celsius_as_kelvin", R * 37.0 / F * math.log(4 / 140)),
        ("swapped_in_out", R * T / F * math.log(140 / 4)),
        ("valence_sign", -RIGHT),
        ("rt_over_f_dropped", math.log(4 / 140)),
    ])
    def test_nernst_mistakes_with_real_solver(self, name: str, expected: float) -> None:
        """Each Nernst mistake recomputes the real solver the wrong way."""
        value = MISTAKES[name].apply("nernst_potential", physics.nernst_potential, NERNST_KW)
        assert value == pytest.approx(expected, rel=1e-9)

    def test_valence_omitted_for_calcium(self) -> None:
        """For Ca2+ (z=2), leaving out z doubles the potential."""
        kwargs = {"c_out": 2.0, "c_in": 1e-4, "z": 2, "temperature": T}
        value = MISTAKES["valence_omitted"].apply("nernst_potential", physics.nernst_potential,
                                                  kwargs)
        assert value == pytest.approx(R * T / F * math.log(2.0 / 1e-4), rel=1e-9)

    def test_valence_omitted_does_not_apply_to_monovalent(self) -> None:
        """For z=1 the mistake changes nothing and returns None."""
        assert MISTAKES["valence_omitted"].apply("nernst_potential", physics.nernst_potential,
                                                 NERNST_KW) is None

    def test_ghk_valence_sign_negates_valences(self) -> None:
        """valence_sign on GHK treats cations as anions and the reverse."""
        kwargs = {"permeabilities": {"K": 1.0, "Na": 0.05}, "c_out": {"K": 4.0, "Na": 145.0},
                  "c_in": {"K": 140.0, "Na": 15.0}, "valences": {"K": 1, "Na": 1},
                  "temperature": T}
        value = MISTAKES["valence_sign"].apply("ghk_voltage", physics.ghk_voltage, kwargs)
        expected = R * T / F * math.log((140 + 0.05 * 15) / (4 + 0.05 * 145))
        assert value == pytest.approx(expected, rel=1e-9)

    def test_celsius_as_kelvin_refuses_non_positive_temperature(self) -> None:
        """A temperature that would drop to <= 0 K gives None."""
        kwargs = {**NERNST_KW, "temperature": 200.0}
        assert MISTAKES["celsius_as_kelvin"].apply("nernst_potential", stand_in_nernst,
                                                   kwargs) is None

    def test_pump_ignored_on_chord_conductance(self) -> None:
        """pump_ignored sets the pump current to zero."""
        kwargs = {"conductances": [1e-9, 0.05e-9], "reversal_potentials": [-0.09, 0.06],
                  "pump_current": 2e-12}
        value = MISTAKES["pump_ignored"].apply("chord_conductance_potential",
                                               physics.chord_conductance_potential, kwargs)
        assert value == pytest.approx((1e-9 * -0.09 + 0.05e-9 * 0.06) / 1.05e-9, rel=1e-9)

    def test_conductances_unweighted_is_plain_mean(self) -> None:
        """conductances_unweighted averages the reversal potentials."""
        kwargs = {"conductances": {"K": 1.0, "Na": 0.05}, "reversal_potentials":
                  {"K": -0.09, "Na": 0.06}}
        value = MISTAKES["conductances_unweighted"].apply(
            "chord_conductance_potential", physics.chord_conductance_potential, kwargs)
        assert value == pytest.approx(-0.015)

    def test_ratio_inverted_on_pump_steady_state(self) -> None:
        """ratio_inverted uses 1/r in (r gK EK + gNa ENa)/(r gK + gNa)."""
        kwargs = {"g_k": 1.0, "e_k": -0.09, "g_na": 0.05, "e_na": 0.06, "ratio": 1.5}
        value = MISTAKES["ratio_inverted"].apply("pump_ratio_steady_state",
                                                 physics.pump_ratio_steady_state, kwargs)
        r = 1 / 1.5
        assert value == pytest.approx((r * 1.0 * -0.09 + 0.05 * 0.06) / (r * 1.0 + 0.05))

    def test_ratio_inverted_on_permeability_ratio(self) -> None:
        """ratio_inverted on the permeability ratio is exp(-ddG/RT)."""
        value = MISTAKES["ratio_inverted"].apply("permeability_ratio",
                                                 physics.permeability_ratio,
                                                 {"delta_delta_g": 5000.0, "temperature": T})
        right = physics.permeability_ratio(5000.0, T)
        assert value == pytest.approx(1 / right)

    def test_q10_exponent(self) -> None:
        """q10_exponent uses q10**(T2-T1) instead of q10**((T2-T1)/10)."""
        kwargs = {"value": 2.0, "q10": 3.0, "t_from": 20.0, "t_to": 25.0}
        value = MISTAKES["q10_exponent"].apply("q10_scale", physics.q10_scale, kwargs)
        assert value == pytest.approx(2.0 * 3.0**5)

    def test_power_not_divided_by_t(self) -> None:
        """power_not_divided_by_t returns the dissipated power, sum g (V-E)^2."""
        kwargs = {"conductances": [1e-9, 0.05e-9], "reversal_potentials": [-0.09, 0.06],
                  "vm": -0.07, "temperature": T}
        value = MISTAKES["power_not_divided_by_t"].apply(
            "entropy_production_rate", physics.entropy_production_rate, kwargs)
        assert value == pytest.approx(1e-9 * 0.02**2 + 0.05e-9 * 0.13**2, rel=1e-9)

    def test_mistake_not_for_this_solver_returns_none(self) -> None:
        """log10 does not apply to Q = C V."""
        assert MISTAKES["log10"].apply("membrane_charge", physics.membrane_charge,
                                       {"capacitance": 1e-11, "vm": -0.07}) is None

    def test_solver_error_returns_none(self) -> None:
        """A solver raising ValueError makes apply return None."""
        kwargs = {**NERNST_KW, "c_in": -1.0}
        assert MISTAKES["swapped_in_out"].apply("nernst_potential", physics.nernst_potential,
                                                kwargs) is None

    def test_units_mistake_needs_no_solver(self) -> None:
        """volts_for_millivolts never recomputes a solver."""
        assert MISTAKES["volts_for_millivolts"].apply("nernst_potential", stand_in_nernst,
                                                      NERNST_KW) is None


class TestMoreMistakes:
    """The mistakes added after the content review, each against a hand computation."""

    def test_exp10_on_permeability_ratio(self) -> None:
        """10^(ddG/RT) in place of e^(ddG/RT)."""
        value = MISTAKES["exp10"].apply("permeability_ratio", physics.permeability_ratio,
                                        {"delta_delta_g": 12000.0, "temperature": 310.0})
        assert value == pytest.approx(10 ** (12000 / (R * 310)), rel=1e-9)

    def test_log10_on_free_energy(self) -> None:
        """RT log10(ratio) in place of RT ln(ratio)."""
        value = MISTAKES["log10"].apply("delta_delta_g_from_ratio",
                                        physics.delta_delta_g_from_ratio,
                                        {"ratio": 105.0, "temperature": 310.0})
        assert value == pytest.approx(R * 310 * math.log10(105), rel=1e-9)

    def test_anion_as_cation_in_ghk(self) -> None:
        """Cl- placed like a cation: [Cl]o joins the numerator, [Cl]i the denominator."""
        kw = {"permeabilities": {"K": 1, "Na": 0.04, "Cl": 0.45},
              "c_out": {"K": 4, "Na": 145, "Cl": 110}, "c_in": {"K": 140, "Na": 15, "Cl": 10},
              "valences": {"K": 1, "Na": 1, "Cl": -1}, "temperature": 310.0}
        value = MISTAKES["anion_as_cation"].apply("ghk_voltage", physics.ghk_voltage, kw)
        hand = R * 310 / F * math.log((4 + 0.04 * 145 + 0.45 * 110) / (140 + 0.04 * 15 + 0.45 * 10))
        assert value == pytest.approx(hand, rel=1e-9)

    def test_anion_as_cation_needs_an_anion(self) -> None:
        """With cations only the mistake does not apply."""
        kw = {"permeabilities": [1, 0.04], "c_out": [4, 145], "c_in": [140, 15],
              "valences": [1, 1], "temperature": 310.0}
        assert MISTAKES["anion_as_cation"].apply("ghk_voltage", physics.ghk_voltage, kw) is None

    def test_noise_filter_ignored_is_quasi_static(self) -> None:
        """Without the membrane's filter the sd is |V0 - E_K| sigma_G / G."""
        kw = {"n_channels": 80, "gamma": 5e-12, "p_open": 0.5, "tau": 1e-4, "e_k": -0.095,
              "g_leak": 90e-12, "e_leak": -0.015, "capacitance": 5e-13}
        g = 80 * 0.5 * 5e-12 + 90e-12
        v0 = (200e-12 * -0.095 + 90e-12 * -0.015) / g
        hand = abs(v0 + 0.095) * math.sqrt(80 * 0.25) * 5e-12 / g
        value = MISTAKES["noise_filter_ignored"].apply("channel_noise_sd",
                                                       physics.channel_noise_sd, kw)
        assert value == pytest.approx(hand, rel=1e-9)

    def test_pump_current_per_k(self) -> None:
        """The whole K+ leak current I_K = g_K (V - E_K) taken as the pump current."""
        kw = {"g_k": 50e-9, "e_k": -0.095, "vm": -0.0856}
        value = MISTAKES["pump_current_per_k"].apply(
            "pump_current_for_steady_state", physics.pump_current_for_steady_state, kw)
        assert value == pytest.approx(50e-9 * (-0.0856 + 0.095), rel=1e-9)

    def test_diameter_as_radius(self) -> None:
        """Doubling the radius quadruples the capacitance of a sphere."""
        value = MISTAKES["diameter_as_radius"].apply(
            "sphere_capacitance", physics.sphere_capacitance, {"radius": 2e-6})
        assert value == pytest.approx(0.01 * 4 * math.pi * (4e-6) ** 2, rel=1e-9)


class TestRegistry:
    REQUIRED = ["log10", "celsius_as_kelvin", "swapped_in_out", "valence_sign", "pump_ignored",
                "conductances_unweighted", "ratio_inverted", "rt_over_f_dropped",
                "q10_exponent", "power_not_divided_by_t", "volts_for_millivolts"]

    @pytest.mark.parametrize("name", REQUIRED)
    def test_required_mistake_is_registered(self, name: str) -> None:
        """Each required mistake exists with note mistake.<name> and a one-sentence message."""
        mistake = MISTAKES[name]
        assert isinstance(mistake, Mistake)
        assert mistake.note == f"mistake.{name}"
        assert mistake.message_for("nernst_potential").count(". ") == 0

    def test_message_names_the_equation(self) -> None:
        """The log10 message names the solver's equation."""
        assert MISTAKES["log10"].message_for("nernst_potential") == (
            "You seem to have used log10 instead of the natural log: "
            "the Nernst equation uses ln.")

    def test_registry_is_read_only(self) -> None:
        """MISTAKES cannot be modified."""
        with pytest.raises(TypeError):
            MISTAKES["x"] = MISTAKES["log10"]  # type: ignore[index]


class TestEvaluateMistakes:
    def test_values_scaled_to_the_parts_unit(self) -> None:
        """evaluate_mistakes returns values divided by scale, only for mistakes that apply."""
        values = evaluate_mistakes(["log10", "q10_exponent", "volts_for_millivolts"],
                                   "nernst_potential", physics.nernst_potential, NERNST_KW,
                                   scale=1e-3)
        assert list(values) == ["log10"]
        assert values["log10"] == pytest.approx(1e3 * R * T / F * math.log10(4 / 140))

    def test_unknown_mistake_raises(self) -> None:
        """An unknown name raises ValueError naming it."""
        with pytest.raises(ValueError, match="'nope'"):
            evaluate_mistakes(["nope"], "nernst_potential", stand_in_nernst, NERNST_KW)


class TestMessages:
    @pytest.mark.parametrize(("student", "expected", "phrase"), [
        (110.0, 100.0, "10 % too large in size"),
        (-90.0, 100.0, "10 % too small in size and has the wrong sign"),
        (1000.0, 3.0, "about 333 times too large"),
        (0.01, 3.0, "about 300 times too small"),
        (0.0, 3.0, "zero"),
    ])
    def test_describe_deviation(self, student: float, expected: float, phrase: str) -> None:
        """The deviation is described as a percentage or a factor, with the sign."""
        deviation = describe_deviation(student, expected)
        assert phrase in render_message(deviation.pop("msg"), deviation)

    def test_deviation_from_zero_quotes_the_value_with_a_minus_sign(self) -> None:
        """A value off an expected zero is quoted with U+2212 (feedback numbers)."""
        deviation = describe_deviation(-94.97, 0.0)
        assert deviation == {"msg": "deviation.expected_zero", "value": "\u221294.97"}


class TestStudentSlips:
    """Mistakes students really make (issue 15), each value computed by hand."""

    CHORD = {"conductances": {"K": 1.0, "Na": 0.04, "Cl": 0.45},
             "reversal_potentials": {"K": -0.089, "Na": 0.061, "Cl": -0.064}}

    def test_single_ion_nernst_in_chord(self) -> None:
        """The dominant ion's reversal potential (K+, g = 1) given for V_m."""
        value = MISTAKES["single_ion_nernst"].apply(
            "chord_conductance_potential", physics.chord_conductance_potential, self.CHORD)
        assert value == pytest.approx(-0.089)

    def test_single_ion_nernst_in_ghk(self) -> None:
        """E_K = RT/F ln(4/140) at 37 °C for a K+-dominated GHK membrane."""
        kwargs = {"permeabilities": {"K": 1.0, "Na": 0.04}, "c_out": {"K": 4.0, "Na": 145.0},
                  "c_in": {"K": 140.0, "Na": 15.0}, "valences": {"K": 1, "Na": 1},
                  "temperature": T}
        value = MISTAKES["single_ion_nernst"].apply("ghk_voltage", physics.ghk_voltage, kwargs)
        assert value == pytest.approx(R * T / F * math.log(4 / 140))

    def test_chloride_omitted_in_chord(self) -> None:
        """(1·-89 + 0.04·61)/(1 + 0.04) mV = -83.23 mV without Cl⁻."""
        value = MISTAKES["chloride_omitted"].apply(
            "chord_conductance_potential", physics.chord_conductance_potential, self.CHORD)
        assert value == pytest.approx((1 * -0.089 + 0.04 * 0.061) / 1.04)

    def test_body_temperature_where_the_question_says_20(self) -> None:
        """37 °C used where the question gives 20 °C: RT/F at 310.15 K."""
        kwargs = {**NERNST_KW, "temperature": 293.15}
        value = MISTAKES["temperature_37"].apply("nernst_potential", stand_in_nernst, kwargs)
        assert value == pytest.approx(R * 310.15 / F * math.log(4 / 140))

    def test_room_temperature_where_the_question_says_37(self) -> None:
        """25 °C used where the question gives 37 °C: RT/F at 298.15 K."""
        value = MISTAKES["temperature_room"].apply("nernst_potential", stand_in_nernst,
                                                   NERNST_KW)
        assert value == pytest.approx(R * 298.15 / F * math.log(4 / 140))

    def test_temperature_mistake_does_not_apply_at_that_temperature(self) -> None:
        """37 °C is not a mistake where the question says 37 °C."""
        assert MISTAKES["temperature_37"].apply("nernst_potential", stand_in_nernst,
                                                NERNST_KW) is None

    def test_named_mistake_never_claimed_for_a_right_answer(self) -> None:
        """An answer within tolerance is right even when a mistake's value is also close."""
        from membranelab.grading import check_quantity

        right = R * T / F * math.log(4 / 140) * 1e3
        result = check_quantity(f"{right:.2f} mV", right, "mV",
                                mistakes={"temperature_room": right * 1.005})
        assert result.correct and result.note == "correct"
