"""Tests of membranelab.grading.quantity.check_quantity: case tables, PrairieLearn style."""

from __future__ import annotations

import math
from typing import Any

import pytest

from membranelab.grading import check_quantity
from membranelab.grading.quantity import significant_figures

E_K = -94.97  # mV, the expected value of the tables below

# (answer, expected, unit, options, correct, score, note, phrase in the feedback)
CASES: list[tuple[Any, float, str, dict[str, Any], bool, float, str, str]] = [
    # right
    ("-95 mV", E_K, "mV", {}, True, 1.0, "correct", "Exact value: \u221294.97 mV"),
    ("-0.095 V", E_K, "mV", {}, True, 1.0, "correct", "Correct."),
    ("\u221295 millivolts", E_K, "mV", {}, True, 1.0, "correct", "Correct."),
    ("-94970 uV", E_K, "mV", {}, True, 1.0, "correct", "Correct."),
    ("-94970 µV", E_K, "mV", {}, True, 1.0, "correct", "Correct."),
    ("3.46e-13 J/K/s", 3.46e-13, "W/K", {}, True, 1.0, "correct", "Correct."),
    ("3.46×10⁻¹³ W/K", 3.46e-13, "W/K", {}, True, 1.0, "correct", "Correct."),
    ("3.46*10^-13 W/K", 3.46e-13, "W/K", {}, True, 1.0, "correct", "Correct."),
    ("3.46 x 10^(-13) W/K", 3.46e-13, "W/K", {}, True, 1.0, "correct", "Correct."),
    ("10^-11 F", 1e-11, "F", {}, True, 1.0, "correct", "Correct."),
    ("-10⁻² V", -10.0, "mV", {}, True, 1.0, "correct", "Correct."),
    ("1.6e-19 C", 1.6e-19, "C", {}, True, 1.0, "correct", "Correct."),
    ("1.2.3 mV", 1.2, "mV", {}, False, 0.0, "parse.error", "Unexpected '.'"),
    ("10^ mV", 10.0, "mV", {}, False, 0.0, "parse.error", "Unexpected '^'"),
    ("105", 105.0, "", {}, True, 1.0, "correct", "Correct."),
    ("12 kJ/mol", 12.0, "kJ/mol", {}, True, 1.0, "correct", "Correct."),
    ("12000 J·mol^-1", 12.0, "kJ/mol", {}, True, 1.0, "correct", "Correct."),
    ("1.2e-10 W", 1.2e-10, "W", {}, True, 1.0, "correct", "Correct."),
    ("0.5 pF", 0.5, "pF", {}, True, 1.0, "correct", "Correct."),
    ("25 °C", 298.15, "K", {}, True, 1.0, "correct", "298.15 K"),
    ("25 degC", 298.15, "K", {}, True, 1.0, "correct", "Correct."),
    ("310.15 K", 37.0, "degC", {}, True, 1.0, "correct", "Correct."),
    ("-96 mV", E_K, "mV", {"absolute": 2.0}, True, 1.0, "correct", "Correct."),
    # wrong
    ("-120 mV", E_K, "mV", {}, False, 0.0, "value.incorrect", "26.4 % too large"),
    ("-9 mV", E_K, "mV", {}, False, 0.0, "value.incorrect", "about 10.6 times too small"),
    ("-96.5 mV", E_K, "mV", {}, False, 0.0, "value.incorrect", "1.61 % too large"),
    ("-96 mV", E_K, "mV", {"relative": 0.001}, False, 0.0, "value.incorrect", "too large"),
    ("400 mV", E_K, "mV", {}, False, 0.0, "value.incorrect", "wrong sign"),
    # sign
    ("95 mV", E_K, "mV", {}, False, 0.0, "sign.flipped", "wrong sign"),
    # wrong scale: right number, wrong compatible unit
    ("-95 V", E_K, "mV", {}, False, 0.0, "units.wrong_scale",
     "your number is right but in V; the answer is in mV"),
    ("-95 V", E_K, "mV", {"wrong_scale_credit": 0.5}, False, 0.5, "units.wrong_scale", "in V"),
    ("12 J/mol", 12.0, "kJ/mol", {}, False, 0.0, "units.wrong_scale", "in J/mol"),
    # factor 1000 after conversion (V typed as mV)
    ("-0.095 mV", E_K, "mV", {}, False, 0.0, "mistake.volts_for_millivolts", "factor of 1000"),
    ("-0.095", E_K, "mV", {}, False, 0.0, "mistake.volts_for_millivolts", "write the unit"),
    ("0.012 kJ/mol", 12.0, "kJ/mol", {}, False, 0.0, "scale.factor_1000", "1/1000 of"),
    # missing unit
    ("-95", E_K, "mV", {}, True, 1.0, "units.missing", "write the unit"),
    ("-95", E_K, "mV", {"missing_unit": "partial"}, False, 0.5, "units.missing", "no unit"),
    ("-95", E_K, "mV", {"missing_unit": "wrong"}, False, 0.0, "units.missing", "no unit"),
    ("-120", E_K, "mV", {}, False, 0.0, "value.incorrect", "Also write the unit"),
    # wrong dimension
    ("-95 mM", E_K, "mV", {}, False, 0.0, "units.incompatible",
     "mM (read as millimolar) is a concentration, but the answer is a voltage"),
    ("12 kJ", 12.0, "kJ/mol", {}, False, 0.0, "units.incompatible",
     "kJ (read as kilojoule) is an energy, but the answer is an energy per mole"),
    ("3 s", 3.0, "", {}, False, 0.0, "units.incompatible", "a pure number"),
    # case slips: a valid unit of the right dimension (MV) is that unit; otherwise the one unit
    # of the answer's dimension that matches case-insensitively is read, with a note
    ("-95 MV", E_K, "mV", {}, False, 0.0, "units.case", "MV means megavolt"),
    ("-95 mv", E_K, "mV", {}, True, 1.0, "correct", "I read mv as mV"),
    ("-95 Mv", E_K, "mV", {}, True, 1.0, "correct", "I read Mv as mV"),
    ("-50 MV", E_K, "mV", {}, False, 0.0, "units.case", "Did you mean mV?"),
    ("-95 MV", E_K, "mV", {"wrong_scale_credit": 0.5}, False, 0.5, "units.case", "megavolt"),
    ("4 mm", 4.0, "mM", {}, True, 1.0, "correct", "I read mm as mM"),
    # unknown units and unreadable answers
    ("-95 foo", E_K, "mV", {}, False, 0.0, "units.unknown", "foo is not a unit"),
    ("-95 mV + 3", E_K, "mV", {}, False, 0.0, "units.unknown", "'+' cannot be part of a unit"),
    ("1,5 mV", 1.5, "mV", {}, True, 1.0, "correct", "read the comma as a decimal point (1.5)"),
    ("mV", E_K, "mV", {}, False, 0.0, "parse.error", "Start the answer with a number"),
    ("nan mV", E_K, "mV", {}, False, 0.0, "parse.error", "finite number"),
    ("1e999 mV", E_K, "mV", {}, False, 0.0, "limits.too_large", "out of range"),
    ("", E_K, "mV", {}, False, 0.0, "parse.error", "Start the answer with a number"),
    (None, E_K, "mV", {}, False, 0.0, "answer.empty", "No answer"),
    (b"-95 mV", E_K, "mV", {}, True, 1.0, "correct", "Correct."),
    (-95, E_K, "mV", {}, True, 1.0, "units.missing", "write the unit"),
    ([1, 2], E_K, "mV", {}, False, 0.0, "answer.invalid_type", "must be text"),
    ("9" * 300, E_K, "mV", {}, False, 0.0, "limits.too_long", "too long"),
    # significant figures (STACK NumSigFigs)
    ("-95 mV", E_K, "mV", {"sigfigs": 2}, True, 1.0, "correct", "Correct."),
    ("-94.97 mV", E_K, "mV", {"sigfigs": 2}, False, 0.5, "sigfigs.wrong_digits",
     "2 significant figures (you wrote 4)"),
    ("-95.0 mV", E_K, "mV", {"sigfigs": 2}, False, 0.5, "sigfigs.wrong_digits", "you wrote 3"),
    ("-94 mV", E_K, "mV", {"sigfigs": 2}, False, 0.0, "value.incorrect", "too small"),
    ("-0.095 V", E_K, "mV", {"sigfigs": 2}, True, 1.0, "correct", "Correct."),
    ("100 mV", 104.0, "mV", {"sigfigs": 1}, True, 1.0, "correct", "Correct."),
    ("100 mV", 104.0, "mV", {"sigfigs": 3}, False, 0.0, "value.incorrect", "too small"),
    ("104 mV", 104.0, "mV", {"sigfigs": 3}, True, 1.0, "correct", "Correct."),
    # named mistakes passed by the bank
    ("-41.3 mV", E_K, "mV", {"mistakes": {"log10": -41.25}, "solver": "nernst_potential"},
     False, 0.0, "mistake.log10", "the Nernst equation uses ln"),
    ("-11.3 mV", E_K, "mV", {"mistakes": {"celsius_as_kelvin": -11.34}}, False, 0.0,
     "mistake.celsius_as_kelvin", "add 273.15"),
    ("-7 mV", E_K, "mV", {"mistakes": {"made_up": -7.0}}, False, 0.0, "mistake.made_up",
     "common mistake (made_up)"),
    ("-50 mV", E_K, "mV", {"mistakes": {"log10": -41.25}}, False, 0.0, "value.incorrect",
     "too small"),
    ("-50 mV", E_K, "mV", {"mistakes": {"bad": None, "nan": math.nan, "log10": -50.0}}, False,
     0.0, "mistake.log10", "natural log"),
]


@pytest.mark.parametrize(
    ("answer", "expected", "unit", "options", "correct", "score", "note", "phrase"),
    CASES,
    ids=[f"{i}:{case[0]!r:.30}" for i, case in enumerate(CASES)],
)
def test_case_table(answer: Any, expected: float, unit: str, options: dict[str, Any],
                    correct: bool, score: float, note: str, phrase: str) -> None:
    """Each row's answer gets the row's verdict, score, note and a key phrase of the message."""
    result = check_quantity(answer, expected, unit, **options)
    assert (result.correct, result.score, result.note) == (correct, score, note)
    assert phrase.lower() in result.feedback.lower()


class TestCheckQuantity:
    def test_expected_is_not_shown_in_wrong_feedback(self) -> None:
        """A wrong answer's feedback does not reveal the expected value."""
        result = check_quantity("-50 mV", E_K, "mV")
        assert "94.97" not in result.feedback
        assert result.expected == "\u221294.97 mV"

    def test_missing_unit_also_noted_on_wrong_value(self) -> None:
        """A wrong bare number carries units.missing among its notes."""
        assert check_quantity("-50", E_K, "mV").notes == ("value.incorrect", "units.missing")

    def test_default_relative_tolerance_is_one_percent(self) -> None:
        """0.9 % off passes and 1.1 % off fails by default."""
        assert check_quantity(f"{E_K * 1.009} mV", E_K, "mV").correct
        assert not check_quantity(f"{E_K * 1.011} mV", E_K, "mV").correct

    def test_relative_or_absolute_either_passes(self) -> None:
        """With both tolerances given, being within either one passes."""
        result = check_quantity("-96 mV", E_K, "mV", relative=1e-6, absolute=1.5)
        assert result.correct

    def test_sign_flip_with_factor_1000(self) -> None:
        """-1000 times the expected value names the factor and the sign."""
        result = check_quantity("0.095 mV", E_K, "mV")
        assert result.note == "mistake.volts_for_millivolts"
        assert "sign is wrong" in result.feedback

    def test_bad_option_raises(self) -> None:
        """An invalid option (the teacher's error) raises ValueError naming it."""
        with pytest.raises(ValueError, match="missing_unit"):
            check_quantity("1 mV", 1.0, "mV", missing_unit="maybe")  # type: ignore[arg-type]

    def test_credit_outside_unit_interval_raises(self) -> None:
        """A partial credit above 1 raises ValueError naming the option."""
        with pytest.raises(ValueError, match="wrong_scale_credit"):
            check_quantity("1 mV", 1.0, "mV", wrong_scale_credit=2.0)

    def test_bad_unit_of_part_raises(self) -> None:
        """A part unit that is not a unit raises ValueError naming it."""
        with pytest.raises(ValueError, match="'bogus'"):
            check_quantity("1 mV", 1.0, "bogus")

    def test_non_finite_expected_raises(self) -> None:
        """An expected value of NaN raises ValueError."""
        with pytest.raises(ValueError, match="finite"):
            check_quantity("1 mV", math.nan, "mV")

    def test_part_id_and_weight_are_kept(self) -> None:
        """part_id and weight are copied into the result."""
        result = check_quantity("-95 mV", E_K, "mV", part_id="E_K", weight=2.0)
        assert (result.part_id, result.weight) == ("E_K", 2.0)



class TestSignificantFigures:
    @pytest.mark.parametrize(("mantissa", "figures"), [
        ("95", (2, 2)), ("94.97", (4, 4)), ("0.095", (2, 2)), ("100", (1, 3)),
        ("1.00", (3, 3)), ("0", (1, 1)), ("120.", (3, 3)),
    ])
    def test_counts(self, mantissa: str, figures: tuple[int, int]) -> None:
        """Digits written are counted as (fewest, most) significant figures."""
        assert significant_figures(mantissa) == figures


class TestAnswerForms:
    def test_numpy_scalar_is_read_as_a_number(self) -> None:
        """A numpy float from a notebook is read like the float it holds."""
        import numpy as np

        assert check_quantity(np.float64(-0.095), E_K, "mV").note == (
            "mistake.volts_for_millivolts")
        assert check_quantity(np.int64(-95), E_K, "mV").note == "units.missing"

    @pytest.mark.parametrize("answer", ["E_K = -95 mV", "-95 mV.", "E = -0.095 V."])
    def test_assignment_and_final_period_are_accepted(self, answer: str) -> None:
        """A leading 'name =' and a sentence's final period do not hide a right answer."""
        assert check_quantity(answer, E_K, "mV").note == "correct"

    def test_overflow_after_conversion_is_refused(self) -> None:
        """A value that overflows once converted is refused with limits.too_large."""
        assert check_quantity("1e300 MV", E_K, "mV").note == "limits.too_large"


class TestWrongValueInCaseFoldedUnit:
    """A wrong value typed with a unit read by its letter case (mv, pf) is judged as a value."""

    @pytest.mark.parametrize(("answer", "expected", "unit", "phrase"), [
        # -90 / -94.97 = 0.9477: 5.2 % too small in size (hand arithmetic)
        ("-90 mv", E_K, "mV", "5.2"),
        # -130 / -94.97 = 1.369: 36.9 % too large in size
        ("-130 mv", E_K, "mV", "36.9"),
        # 2.5 / 2.835 = 0.8818: 11.8 % too small
        ("2.5 pf", 2.835, "pF", "11.8"),
    ])
    def test_graded_wrong_with_the_case_note(self, answer: str, expected: float, unit: str,
                                             phrase: str) -> None:
        """The verdict is a wrong value (never an internal error) and keeps the case note."""
        result = check_quantity(answer, expected, unit)
        assert (result.correct, result.note) == (False, "value.incorrect")
        assert phrase in result.feedback
        assert f"I read {answer.split()[1]} as {unit}" in result.feedback

    def test_a_real_unit_of_another_scale_stays_a_case_mistake(self) -> None:
        """MV is megavolt: the case note names what it means."""
        result = check_quantity("-95 MV", E_K, "mV")
        assert (result.correct, result.note) == (False, "units.case")
        assert "megavolt" in result.feedback
