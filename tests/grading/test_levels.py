"""Feedback levels: one render function, in a language, at full / named / score.

The leak test (issue 14): at ``named``, no message for a wrong numeric answer says how far off
or in which direction it is (no percentage, factor, "large", "small"), and carries no digit
sequence of the expected value, over every numeric part of every problem in the bank.
"""

from __future__ import annotations

import json
import math
import re

import pytest

from membranelab.bank import grade_part, load_bank
from membranelab.grading import GradeResult, PartResult, check_formula, check_quantity, render_part
from membranelab.messages import catalog

NERNST_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4 / 140) * 1e3  # -95.02 mV, by hand


class TestRenderLevels:
    def test_full_keeps_todays_text(self) -> None:
        """At full, a 19.6 % error is described with its size and direction."""
        result = check_quantity(f"{NERNST_K * 1.196:.2f} mV", NERNST_K, "mV")
        assert render_part(result) == result.feedback
        assert "19.6 % too large" in render_part(result, level="full")

    def test_named_hides_size_and_direction(self) -> None:
        """At named, a plain wrong value is only 'Not correct.'"""
        result = check_quantity(f"{NERNST_K * 1.196:.2f} mV", NERNST_K, "mV", part_id="E_K")
        assert render_part(result, level="named") == "E_K: Not correct."

    def test_named_keeps_a_named_mistake(self) -> None:
        """At named, a recognised mistake is still named."""
        log10 = NERNST_K / math.log(10)
        result = check_quantity(f"{log10:.2f} mV", NERNST_K, "mV", mistakes={"log10": log10},
                                solver="nernst_potential")
        assert "log10 instead of the natural log" in render_part(result, level="named")

    def test_named_keeps_the_missing_unit_note(self) -> None:
        """At named, "Also write the unit." stays after 'Not correct.'"""
        result = check_quantity("-50", NERNST_K, "mV")
        assert render_part(result, level="named") == "Not correct. Also write the unit."

    def test_named_wrong_unit_scale_without_numbers(self) -> None:
        """At named, a right number in the wrong unit is said without the conversion."""
        result = check_quantity(f"{NERNST_K:.2f} V", NERNST_K, "mV")
        assert result.note == "units.wrong_scale"
        assert render_part(result, level="named") == (
            "Your number is right but in V; the answer is in mV.")

    def test_named_shows_parse_errors(self) -> None:
        """At named, a format note (with its caret) is shown unchanged."""
        result = check_quantity("abc", NERNST_K, "mV")
        assert render_part(result, level="named") == render_part(result, level="full")
        assert not result.readable

    def test_score_says_right_or_wrong_only(self) -> None:
        """At score, only Correct / Partly correct / Not correct."""
        right = check_quantity(f"{NERNST_K:.2f} mV", NERNST_K, "mV")
        partial = check_quantity(f"{NERNST_K:.2f}", NERNST_K, "mV", missing_unit="partial")
        wrong = check_quantity("abc", NERNST_K, "mV")
        assert [render_part(r, level="score") for r in (right, partial, wrong)] == [
            "Correct.", "Partly correct.", "Not correct."]

    def test_correct_answer_may_show_the_exact_value(self) -> None:
        """At named, a right answer shows the exact value (it is no longer a secret)."""
        right = check_quantity("-95.0 mV", NERNST_K, "mV")
        assert "\u221295.0226" in render_part(right, level="named")

    def test_formula_factor_hidden_at_named(self) -> None:
        """A formula off by a factor says so at full, and only 'Not correct.' at named."""
        result = check_formula("2*x*y", "x*y", {"x": (1, 2), "y": (1, 2)})
        assert "2 times the expected formula" in render_part(result)
        assert render_part(result, level="named") == "Not correct."

    def test_expected_shown_only_when_asked(self) -> None:
        """show_expected adds the expected value to a wrong part, at any level."""
        wrong = check_quantity("-50 mV", NERNST_K, "mV")
        assert "Expected: \u221295.02" in render_part(wrong, level="named", show_expected=True)
        assert "95.02" not in render_part(wrong, level="named")

    def test_unknown_level_raises(self) -> None:
        """A level outside FEEDBACK_LEVELS raises ValueError."""
        with pytest.raises(ValueError, match="feedback level"):
            render_part(check_quantity("1 mV", 1.0, "mV"), level="hints")

    def test_grade_result_render_levels(self) -> None:
        """GradeResult.render passes the level to every part and ends with the score."""
        parts = (check_quantity("-50 mV", NERNST_K, "mV", part_id="a"),
                 check_quantity("-95.0 mV", NERNST_K, "mV", part_id="b"))
        text = GradeResult(parts).render(level="score")
        assert text == "a: Not correct.\nb: Correct.\nScore: 1 / 2."

    def test_sentence_only_result_renders_as_given(self) -> None:
        """A result made with a sentence (no message id) shows it at full, not at named."""
        legacy = PartResult(False, 0.0, "Wrong by 19.6 %.", "value.incorrect")
        assert render_part(legacy) == "Wrong by 19.6 %."
        assert render_part(legacy, level="named") == "Not correct."

    def test_zh_level_falls_back_to_english_text_per_key(self) -> None:
        """lang='zh' renders every message (translated or English), never a key."""
        wrong = check_quantity("-50 mV", NERNST_K, "mV")
        text = render_part(wrong, lang="zh", level="full")
        assert "value.incorrect" not in text and "deviation." not in text


class TestParams:
    def test_params_round_trip_through_json(self) -> None:
        """params, message_id and readable survive to_dict -> JSON -> from_dict."""
        result = check_quantity(f"{NERNST_K * 1.196:.2f} mV", NERNST_K, "mV", part_id="E")
        data = json.loads(json.dumps(result.to_dict()))
        assert PartResult.from_dict(data) == result
        assert data["params"]["deviation"]["msg"] == "deviation.percent_large"

    def test_non_json_params_raise(self) -> None:
        """A parameter that is not JSON data raises ValueError naming it."""
        with pytest.raises(ValueError, match=r"params\.x: object is not JSON data"):
            PartResult(False, 0.0, "", "n", params={"x": object()})

    def test_feedback_is_derived_from_the_catalog(self) -> None:
        """feedback is the English full-level text of message_id and params."""
        result = PartResult(False, 0.0, "", "missing", params={"part": "E_K"},
                            message_id="answer.missing_part")
        assert result.feedback == "No answer was given for part E_K."


# -- the leak test over the bank ------------------------------------------------------------
FACTORS = (1.196, 0.8, 1.05, 0.95, 1.5, 0.5, 2.5, 0.3, 115.0, 1 / 115.0, -1.0, -1.196, -0.7,
           1e3, 1e-3, -1e3, 0.0)
FORBIDDEN_WORDS = re.compile(r"%|\btimes\b|\bfactor\b|large|small|\bsize\b|too (?:high|low)")
# Digit runs written in the catalog's English texts themselves (273.15, 1000, 10...).
FIXED_RUNS = {run for text in catalog("en").values()
              for run in re.findall(r"[0-9]{2,}", re.sub(r"%\(\w+\)s", "", text))}


def _digit_runs(value: float) -> set[str]:
    """Every run of >= 2 digits in the expected value written with 2 to 6 significant figures,
    as a student could read it off a message (sign, point and exponent dropped)."""
    runs: set[str] = set()
    for figures in range(2, 7):
        mantissa = f"{abs(value):.{figures}g}".split("e")[0]
        runs.update(re.findall(r"[0-9]{2,}", mantissa))
        digits = mantissa.replace(".", "").lstrip("0")
        if len(digits) >= 2:
            runs.add(digits)
    return runs - {"00", "000"}


def _answers(value: float, unit: str, mistakes: dict[str, float]) -> list[str]:
    suffix = f" {unit}" if unit and unit != "dimensionless" else ""
    wrongs = [value * factor for factor in FACTORS] + list(mistakes.values())
    return [f"{wrong:.4g}{suffix}" for wrong in wrongs] + [f"{wrong:.4g}" for wrong in wrongs]


def test_named_level_never_reveals_the_expected_value() -> None:
    """Over every numeric part of every problem (two variants each) and many wrong answers,
    a named-level message has no percentage, factor, "large"/"small", nor any digit run of
    the expected value (beyond numbers printed in the catalog's own text)."""
    checked, full_with_size = 0, 0
    for problem in load_bank():
        for student in ("canonical", "leak-test"):
            variant = problem.variant(student, "hw1")
            for part in problem.parts:
                if part.kind != "numeric":
                    continue
                value = variant.answers()[part.id].value
                runs = _digit_runs(value)
                mistakes = variant.mistake_values(part.id)
                for answer in _answers(value, part.answer_kind.unit, mistakes):
                    result = grade_part(problem, variant, part, answer)
                    if result.correct:
                        continue
                    checked += 1
                    full = render_part(result, level="full")
                    full_with_size += bool(re.search(r"% too|times too", full))
                    named = render_part(result, level="named")
                    assert not FORBIDDEN_WORDS.search(named), (problem.id, answer, named)
                    shown = set(re.findall(r"[0-9]{2,}", named)) - FIXED_RUNS
                    assert not shown, (problem.id, part.id, answer, named)
                    stripped = named
                    for fixed in FIXED_RUNS:
                        stripped = stripped.replace(fixed, "")
                    assert not [run for run in runs if run in stripped], (answer, named)
    assert checked > 1000
    assert full_with_size > 300  # the same answers do say size and direction at full
