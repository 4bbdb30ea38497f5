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


class TestReadCells:
    """The kind of each answer: literal, computed (code), none."""

    DOC = PartCells("p", "E_K", "a", "p4_E_K", 1.0, "p-E_K-answer", "p-E_K-test")

    @pytest.mark.parametrize(("source", "kind", "text"), [
        ('p4_E_K = "-95 mV"', "literal", "-95 mV"),
        ('p4_E_K = ""\nE_K = "-95 mV"', "literal", "-95 mV"),   # the prompt's own name
        ('E_K = "-95 mV"\np4_E_K = "-9 mV"', "literal", "-9 mV"),  # the last one wins
        ("E_K = f'{-95} mV'", "computed", None),
        ("p4_E_K = nernst(4, 140)", "computed", None),
        ("p4_E_K = ''\np4_E_K += 'mV'", "computed", None),
        ("print('hello')", "none", None),
    ])
    def test_kinds(self, source, kind, text):
        """Literal text is read; an expression is computed; no assignment is none."""
        from membranelab.course.answers import read_cells

        found = read_cells(_nb_for(self.DOC, source), [self.DOC])[self.DOC.answer_id]
        assert (found.kind, found.text) == (kind, text)

    def test_variable_set_by_code_after_the_answer_cell_is_computed(self):
        """A cell between the answer cell and the test that sets the variable: computed."""
        from membranelab.course.answers import read_cells

        nb = _nb_for(self.DOC, 'p4_E_K = ""')
        nb["cells"].insert(1, {"cell_type": "code", "source": "p4_E_K = compute()",
                               "metadata": {}})
        assert read_cells(nb, [self.DOC])[self.DOC.answer_id].kind == "computed"

    def test_code_before_the_answer_cell_does_not_count(self):
        """A cell before the answer cell is overwritten by it: the literal stands."""
        from membranelab.course.answers import read_cells

        nb = _nb_for(self.DOC, 'p4_E_K = "-95 mV"')
        nb["cells"].insert(0, {"cell_type": "code", "source": "p4_E_K = compute()",
                               "metadata": {}})
        found = read_cells(nb, [self.DOC])[self.DOC.answer_id]
        assert (found.kind, found.text) == ("literal", "-95 mV")


def _nb_for(pc, source):
    return {"cells": [{"cell_type": "code", "source": source,
                       "metadata": {"nbgrader": {"grade_id": pc.answer_id}}},
                      {"cell_type": "code", "source": "check(...)",
                       "metadata": {"nbgrader": {"grade_id": pc.test_id}}}]}


class TestClassify:
    """Each difference between nbgrader and direct grading gets one class."""

    @pytest.mark.parametrize(("nbgrader", "direct", "kind"), [
        (1.0, 1.0, None),
        (0.0, 0.0, None),
        (1.0, 0.0, "tampered"),
        (0.5, 0.0, "tampered"),
        (0.0, 1.0, "lower"),
        (1.0, None, "computed"),
        (0.0, None, None),
        (None, 1.0, "missing"),
        (None, None, "missing"),
    ])
    def test_classes(self, nbgrader, direct, kind):
        """Higher than deserved is tampered; unreadable credit is computed; no score is missing."""
        from membranelab.course.answers import classify

        assert classify(nbgrader, direct) == kind


def test_audit_of_no_submissions_is_a_warning(tmp_path):
    """No autograded submission: exit 0, "audited 0 submission(s)" and a warning on stderr."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    course = tmp_path / "course"
    course.mkdir()
    repo = Path(__file__).resolve().parents[2]
    shutil.copy2(repo / "course" / "assignments.yaml", course / "assignments.yaml")
    proc = subprocess.run([sys.executable, "-m", "membranelab", "course", "audit",
                           "ps1-equilibrium", "--course-dir", str(course)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "audited 0 submission(s), 0 part(s)" in proc.stdout
    assert "warning: 0 submissions found" in proc.stderr
