"""The one number formatter: each purpose's text, checked against values written by hand."""

from __future__ import annotations

import math

import pytest

from membranelab.grading.numformat import (
    MINUS,
    csv_number,
    feedback_text,
    param_text,
    points_text,
    sig_figs,
    split_e,
    sub_e,
)


@pytest.mark.parametrize(("value", "figures", "text"), [
    (-94.9723, 3, "-95.0"),         # exponent 1: 3 - 1 - 1 = 1 decimal
    (61.54, 3, "61.5"),
    (0.0012345, 3, "0.00123"),      # exponent -3 is still fixed point: 3 - 1 + 3 = 5 decimals
    (0.00012345, 3, "1.23e-4"),     # exponent -4: e-notation
    (12345.0, 3, "12345"),          # exponent 4: fixed point, no decimals
    (123456.0, 3, "1.23e5"),        # exponent 5: e-notation, no "+" and no leading zero
    (2.0e-11, 2, "2.0e-11"),
    (0.0, 3, "0"),
    (-0.0004, 1, "-4e-4"),
    (0.0001, 1, "1e-4"),
    (0.00049, 1, "5e-4"),
])
def test_sig_figs(value: float, figures: int, text: str) -> None:
    """N significant figures: fixed point for exponents -3..4, else a short e-notation."""
    assert sig_figs(value, figures) == text


def test_sig_figs_of_non_finite_values() -> None:
    assert sig_figs(math.inf) == "inf" and sig_figs(math.nan) == "nan"


@pytest.mark.parametrize(("value", "integer", "text"), [
    (140.0, False, "140"),
    (5.0, False, "5"),
    (36.6, True, "37"),             # an integer parameter rounds
    (0.0125, False, "0.0125"),
    (1.5e-7, False, "1.5e-7"),      # "1.5e-07" without the zero
    (2.5e6, False, "2.5e6"),        # "2.5e+06" without "+0"
    (3.0e6, False, "3e6"),          # whole but a million or more: %g
    (1.0e12, False, "1e12"),        # "1e+12" without "+"
    (310.15, False, "310.15"),
    (1 / 3, False, "0.333333"),     # 6 significant figures
])
def test_param_text(value: float, integer: bool, text: str) -> None:
    """Parameters print bare when whole, else with up to 6 significant figures."""
    assert param_text(value, integer) == text


@pytest.mark.parametrize(("value", "digits", "text"), [
    (-94.97, 4, f"{MINUS}94.97"),
    (-94.9723, 4, f"{MINUS}94.97"),
    (61.5, 4, "61.5"),
    (1.5e-7, 4, f"1.5e{MINUS}7"),
    (-89.0123456, 6, f"{MINUS}89.0123"),
    (2.0e10, 4, "2e10"),
])
def test_feedback_text(value: float, digits: int, text: str) -> None:
    """Feedback quotes %g numbers with a typographic minus, in the mantissa and the exponent."""
    assert feedback_text(value, digits) == text


def test_feedback_text_of_non_finite_values() -> None:
    assert feedback_text(math.inf) == "inf" and feedback_text(-math.inf) == "-inf"


@pytest.mark.parametrize(("value", "text"), [(1.0, "1"), (0.5, "0.5"), (1 / 3, "0.3333"),
                                             (0.0, "0"), (-0.0, "0"), (2.50001, "2.5"),
                                             (-0.00001, "0"), (12.0, "12"), (0.66667, "0.6667")])
def test_csv_number(value: float, text: str) -> None:
    """Scores print short and stable: at most 4 decimals, no trailing zeros, never -0."""
    assert csv_number(value) == text


@pytest.mark.parametrize(("value", "text"), [(1.0, "1"), (0.5, "0.5"), (2.25, "2.25"),
                                             (3, "3")])
def test_points_text(value: float, text: str) -> None:
    assert points_text(value) == text


@pytest.mark.parametrize(("text", "parts"), [
    ("1.5e-07", ("1.5", "-7")),
    ("2e+05", ("2", "5")),
    ("-3.25e10", ("-3.25", "10")),
    (" 4e0 ", ("4", "0")),
    ("-95.0", None),
    ("e5", None),
    ("1.5e-7 mV", None),
])
def test_split_e(text: str, parts: tuple[str, str] | None) -> None:
    """Mantissa and exponent of a whole number in e-notation; None for anything else."""
    assert split_e(text) == parts


def test_sub_e_retypesets_numbers_but_not_words() -> None:
    """Only numbers standing alone are replaced: not the e of a word, not 1e5x, not x1e5."""
    out = sub_e("g = 1.5e-07 and 2e+05 but not x1e5 or 1e5x or exp",
                lambda m, e: f"<{m}|{e}>")
    assert out == "g = <1.5|-7> and <2|5> but not x1e5 or 1e5x or exp"


def test_tex_number_keeps_the_figures_written():
    """A student's number in TeX with the figures it was written with; e-notation as a power
    of ten (values worked by hand)."""
    from membranelab.grading.numformat import tex_number

    assert tex_number(-95.0, 3) == "-95.0"
    assert tex_number(1.5e-7, 3) == r"1.50 \times 10^{-7}"
    assert tex_number(100000.0, 1) == r"1 \times 10^{5}"
    assert tex_number(2.5e12, 4) == r"2.500 \times 10^{12}"
