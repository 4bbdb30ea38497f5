"""Units written with parentheses around a powered denominator are read (issue 9)."""

from __future__ import annotations

import pytest

from membranelab.grading import check_quantity
from membranelab.grading.units import UnitSuccess, parse_unit


@pytest.mark.parametrize(("answer", "expected", "unit"), [
    ("1 uF/(cm^2)", 1.0, "uF/cm^2"),            # the bank's own unit, bracketed
    ("1 µF/(cm²)", 1.0, "uF/cm^2"),
    ("145 mol/(m^3)", 145.0, "mM"),               # 145 mol/m^3 = 145 mmol/L
    ("0.01 F/(m^2)", 1.0, "uF/cm^2"),             # 1e-6 F / 1e-4 m^2 = 0.01 F/m^2
    ("0.01 F/(m**2)", 1.0, "uF/cm^2"),
    ("1 uF/cm^(2)", 1.0, "uF/cm^2"),              # bracketed exponent still read
    ("1 uF / ( cm ^ 2 )", 1.0, "uF/cm^2"),
])
def test_bracketed_denominator_is_read(answer: str, expected: float, unit: str) -> None:
    """A right value with a bracketed denominator unit is graded right."""
    result = check_quantity(answer, expected, unit)
    assert (result.correct, result.note) == (True, "correct"), result.feedback


@pytest.mark.parametrize("text", ["uF/(cm^2", "uF/cm^(2", "uF/cm^2)"])
def test_unbalanced_brackets_are_still_refused(text: str) -> None:
    """An unclosed or stray bracket is not a unit."""
    assert not isinstance(parse_unit(text), UnitSuccess)
