"""Arithmetic written out in worked solutions reads right: in ``a - (b) = c`` the result is the
difference of the numbers shown, rounded to their decimals (not ``-76 - (-83.3) = 7.34``)."""

from __future__ import annotations

import re

import pytest

from membranelab.bank import load_bank
from membranelab.bank.render import render_solution

_NUM = r"(-?\d+(?:\.\d+)?)"
_DIFFERENCE = re.compile(_NUM + r" - \(" + _NUM + r"\) = " + _NUM + r"(?!\d)")
_STUDENTS = ("canonical", "s00001", "s00002", "s00003", "s00004", "s00005")


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _differences(lang: str):
    bank = load_bank()
    for problem in bank:
        for student in _STUDENTS:
            variant = problem.variant(student, lang=lang)
            text = render_solution(variant, "terminal")
            for match in _DIFFERENCE.finditer(text):
                yield problem.id, student, match.groups()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_written_out_differences_are_rounded_alike(lang):
    """Each ``a - (b) = c`` shows c to the decimals of its operands, and c is a - b."""
    seen = 0
    for pid, student, (a, b, c) in _differences(lang):
        seen += 1
        places = max(_decimals(a), _decimals(b))
        assert _decimals(c) == places, (pid, student, a, b, c)
        assert abs(float(a) - float(b) - float(c)) <= 0.5 * 10 ** -places + 1e-9, (pid, student)
    assert seen >= 30  # the solutions that write differences out were all found


def test_pattern_catches_the_reported_slip():
    """The issue's example, ``-76 - (-83.3) = 7.34 mV``, is caught by the check above."""
    a, b, c = _DIFFERENCE.search("-76 - (-83.3) = 7.34 mV").groups()
    assert _decimals(c) != max(_decimals(a), _decimals(b))
