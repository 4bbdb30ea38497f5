"""membranelab.course.answers: answer values read without running the notebook."""

from __future__ import annotations

import pytest

from membranelab.course.answers import read_answers
from membranelab.course.build import PartCells

PART = PartCells("p", "E_K", "a", "E_K", 1.0, "p-E_K-answer", "p-E_K-test")


def _nb(source):
    return {"cells": [{"cell_type": "code", "source": source,
                       "metadata": {"nbgrader": {"grade_id": "p-E_K-answer"}}}]}


CASES = [
    ('E_K = "-95 mV"', "-95 mV"),
    ('# comment\nE_K = ""\nE_K = "-9 mV"', "-9 mV"),
    ("E_K = -95.5", "-95.5"),
    ("E_K: str = 'x'", "x"),
    ("E_K = f'{1}'", None),
    ("E_K = compute()", None),
    ("E_K = '", None),
    ("import os\nos.system('x')", None),
    ("E_K = ['-95 mV']", None),
]


class TestReadAnswers:
    @pytest.mark.parametrize(("source", "expected"), CASES)
    def test_literal_assignments_only(self, source, expected):
        """Only a literal string or number assigned at top level counts; code is never run."""
        assert read_answers(_nb(source), [PART]) == {"p-E_K-answer": expected}

    def test_missing_cell_is_none(self):
        """A deleted answer cell gives None."""
        assert read_answers({"cells": []}, [PART]) == {"p-E_K-answer": None}
