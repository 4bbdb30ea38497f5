"""The forms of issue 22 (table: :mod:`.fair_forms`) through ``membranelab.bank.grade_part`` on
real problem parts, and the grader's rules behind them, each tested on its own."""

from __future__ import annotations

import math

import pytest

from membranelab.bank import grade_part, load_bank
from membranelab.grading import check_formula, check_quantity, parse_expression
from membranelab.grading.equivalence import Verdict

from .fair_forms import CASES, RIGHT, UNREAD, WRONG

R, F, E_CHARGE = 8.314462618, 96485.33212, 1.602176634e-19
HAND = {
    ("nernst-potassium", "E_K"): R * 310.15 / F * math.log(4 / 140) * 1e3,       # mV
    ("selectivity-inverse", "ddG"): R * 310 * math.log(105) / 1e3,             # kJ/mol
    ("selectivity-barrier", "ratio"): math.exp(12e3 / (R * 310)),
    ("membrane-charge", "n_ions"): 4 * math.pi * (10e-6) ** 2 * 1e-2 * 70e-3 / E_CHARGE,
}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def grade(bank, problem_id: str, part_id: str, lang: str, answer: str):
    problem = bank.problems[problem_id].localized(lang)
    variant = problem.variant("canonical")
    return grade_part(problem, variant, problem.part(part_id), answer)


def verdict(result) -> str:
    if result.correct and result.score == 1.0:
        return RIGHT
    return UNREAD if not result.readable else WRONG


@pytest.mark.parametrize(("key", "value"), HAND.items())
def test_canonical_values_are_the_hand_computed_ones(bank, key, value) -> None:
    """The table's numbers are written against these canonical answers, computed by hand."""
    answer = bank.problems[key[0]].variant("canonical").answers()[key[1]]
    assert answer.value == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize(("problem_id", "part_id", "lang", "answer", "expected", "note"), CASES)
def test_form_gets_the_teachers_verdict(bank, problem_id, part_id, lang, answer, expected,
                                         note) -> None:
    """An answer written as students write it gets the verdict a fair teacher gives."""
    result = grade(bank, problem_id, part_id, lang, answer)
    assert (verdict(result), result.note) == (expected, note), result.feedback


def test_every_form_of_the_issue_has_a_row() -> None:
    """Each form listed in issue 22 appears in the table."""
    answers = " ".join(row[3] for row in CASES)
    for form in ("≈", "约", "负", ";", "；", "，", "[mV]", "(-95.0) mV", "milli-volt",
                 "kJ·mol-1", "million", "×10⁶ ions", "105:1", "（膜内为负）", "Ln(", "LN(",
                 "EXP(", "log_e", "ln[", "÷", "G⁻¹", "ΔV =", r"\frac", "gK", "out", "sodium",
                 "non-equilibrium", "3 to 2", "钾离子外流", "轻度去极化", "趋向 0 mV", "稳态",
                 "2.303*R*T", "Np", "dB", "octave", "decade"):
        assert form in answers, form
    assert ("energetics-entropy", "equilibrium", "en", "0", RIGHT, "correct") in CASES


class TestMessages:
    def test_remark_in_brackets_is_said(self, bank) -> None:
        """A remark after the value is ignored, and the student is told so."""
        result = grade(bank, "nernst-potassium", "E_K", "en", "-95.0 mV (inside negative)")
        assert "I ignored the remark in brackets" in result.feedback

    def test_logarithmic_unit_is_named(self, bank) -> None:
        """-85 mV*Np is refused with a sentence naming the logarithmic unit, no internal error."""
        result = grade(bank, "nernst-potassium", "E_K", "en", "-85 mV*Np")
        assert "Np is a logarithmic unit" in result.feedback
        assert result.message_id == "units.unknown" and "incident" not in result.feedback

    def test_inverted_ratio_is_told_so(self, bank) -> None:
        """1/105 for a ratio of 105 says the ratio is inverted, not "cannot be part of a unit"."""
        result = grade(bank, "selectivity-barrier", "ratio", "en", "1/105")
        assert "inverted the ratio" in result.feedback and "unit" not in result.feedback

    def test_ln10_literal_is_said(self, bank) -> None:
        """10^(x/2.303) accepted for exp(x), saying 2.303 was read as ln 10."""
        result = grade(bank, "selectivity-barrier", "formula", "en", "10^(ddG/(2.303*R*T))")
        assert "formula.ln10_literal" in result.notes and "2.303 as ln 10" in result.feedback

    def test_symbol_without_underscore_is_said(self, bank) -> None:
        """gK read as g_K is said once, not once per occurrence."""
        result = grade(bank, "chord-conductance", "formula", "en",
                       "(gK*E_K + g_Na*E_Na + g_Cl*E_Cl)/(gK + g_Na + g_Cl)")
        assert "I read gK as g_K." in result.feedback

    def test_negated_choice_says_why(self, bank) -> None:
        """A negated choice is refused as one that says what the answer is not."""
        result = grade(bank, "nernst-potassium", "direction", "en", "not into the cell")
        assert "it says what the answer is not" in result.feedback

    def test_chinese_messages(self, bank) -> None:
        """The new sentences exist in Chinese (no English fallback)."""
        problem = bank.problems["nernst-potassium"].localized("zh")
        result = grade_part(problem, problem.variant("canonical"), problem.part("E_K"),
                            "-85 mV*Np")
        from membranelab.messages import render_part

        assert "对数单位" in render_part(result, lang="zh", level="full")


class TestLetterRuns:
    def test_power_binds_to_the_last_symbol(self) -> None:
        """CV^2/2 is C*V^2/2 (a run of symbols, then the power on V only)."""
        result = check_formula("CV^2/2", "C*V^2/2", {"C": (1e-12, 1e-10), "V": (0.01, 0.1)})
        assert result.correct and "I read CV as C·V" in result.feedback

    def test_negative_power_after_a_run(self) -> None:
        """nm^(-1) is n/m."""
        assert check_formula("nm^(-1)", "n/m", ["n", "m"]).correct

    def test_symbol_without_underscore(self) -> None:
        """A run equal to a declared symbol without its _ is that symbol."""
        parsed = parse_expression("gK*EK", ["g_K", "E_K"])
        assert str(parsed.expr) == "E_K*g_K" and parsed.readings == (("gK", "g_K"),
                                                                     ("EK", "E_K"))

    def test_two_readings_are_unreadable(self) -> None:
        """gK with symbols g, K and g_K could be g_K or g·K: unreadable, at no try."""
        result = check_formula("gK*V", "g_K*V", ["g", "K", "g_K", "V"])
        assert not result.readable and result.message_id == "parse.name_ambiguous"
        assert "g_K / g·K" in result.feedback

    def test_function_and_run_both_possible_is_unreadable(self) -> None:
        """Ln(x) where L and n are symbols could be ln(x) or L·n·(x): unreadable."""
        result = check_formula("Ln(x)", "L*n*x", ["L", "n", "x"])
        assert not result.readable


class TestZeroExpected:
    @pytest.mark.parametrize("answer", ["0", "0.0", "0.00 mV", "0 mV", "-0.000 mV"])
    def test_zero_is_right_with_sigfigs(self, answer) -> None:
        """With sigfigs >= 2 and an expected value of 0, a written zero gets full credit."""
        result = check_quantity(answer, 0.0, "mV", sigfigs=3)
        assert result.correct and result.score == 1.0, result.feedback

    def test_nonzero_is_wrong(self) -> None:
        """0.01 mV is not 0 at 3 significant figures."""
        assert not check_quantity("0.01 mV", 0.0, "mV", sigfigs=3).correct


class TestUndecided:
    def _grade(self, monkeypatch, method: str):
        from membranelab.grading import formula

        monkeypatch.setattr(formula, "equivalent",
                            lambda *args, **kwargs: Verdict(None, method, "no verdict"))
        return check_formula("x", "x", ["x"])

    def test_timeout_says_time(self, monkeypatch) -> None:
        """Only a verdict stopped by the time limit says "in the time allowed"."""
        assert "in the time allowed" in self._grade(monkeypatch, "timeout").feedback

    @pytest.mark.parametrize("method", ["undecided", "error", "unavailable"])
    def test_no_limit_hit_says_no_time(self, monkeypatch, method) -> None:
        """sympy answering "don't know" is not called running out of time."""
        result = self._grade(monkeypatch, method)
        assert result.note == "needs_review" and "time" not in result.feedback
        assert "could not decide whether your formula is equivalent" in result.feedback
