"""membranelab.nbgrader_ext: the preprocessors around nbgrader's Execute step."""

from __future__ import annotations

import nbformat
import pytest

from membranelab.nbgrader_ext import (
    INJECTED_FLAG,
    InjectStudentId,
    StripStudentId,
    injected_source,
)


def _cell(kind: str, source: str, **nbgrader):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    meta = {"nbgrader": {"grade": False, "solution": False, "locked": False, "grade_id": source,
                         "schema_version": 3, **nbgrader}} if nbgrader else {}
    return make(source, metadata=meta)


def _notebook():
    return nbformat.v4.new_notebook(cells=[
        _cell("markdown", "intro", locked=True),
        _cell("code", "show", locked=True),
        _cell("code", "answer", solution=True),
        _cell("code", "test", grade=True, locked=True, points=2),
        _cell("code", "student's own"),
    ])


def _resources(student="o'neil"):
    return {"nbgrader": {"student": student, "assignment": "ps1", "notebook": "ps1",
                         "db_url": "sqlite://"}}


class TestInjectStudentId:
    def test_cell_before_each_locked_code_cell(self, monkeypatch):
        """One injected cell precedes every locked code cell, and only those."""
        monkeypatch.delenv("MEMBRANELAB_BANK", raising=False)
        nb, _ = InjectStudentId().preprocess(_notebook(), _resources())
        sources = [c.source for c in nb.cells]
        line = injected_source("o'neil")
        assert sources == ["intro", line, "show", "answer", line, "test", "student's own"]
        assert all(c.metadata.get(INJECTED_FLAG) for c in nb.cells if c.source == line)

    def test_injected_line_sets_the_id_and_pins_the_bank(self, monkeypatch):
        """Running the injected line sets MEMBRANELAB_STUDENT (quotes included) and resets
        MEMBRANELAB_BANK to the grader's value."""
        monkeypatch.setenv("MEMBRANELAB_BANK", "/student/bank")
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")  # restored after the test
        exec(injected_source("o'neil"), {})  # noqa: S102 -- our own generated line
        import os

        assert os.environ["MEMBRANELAB_STUDENT"] == "o'neil"
        assert "MEMBRANELAB_BANK" not in os.environ
        exec(injected_source("x", "/grader/bank"), {})  # noqa: S102
        assert os.environ["MEMBRANELAB_BANK"] == "/grader/bank"

    def test_graded_notebook_is_refused_and_nothing_carries_a_key(self, monkeypatch, tmp_path):
        """A notebook marked graded is refused before any kernel runs it, even with the secret
        in the grader's environment: no kernel is given the secret or a key."""
        from membranelab.nbgrader_ext import GradedAssignmentError

        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("MEMBRANELAB_COURSE_SECRET", bytes(range(32)).hex())
        nb = _notebook()
        nb.metadata["membranelab"] = {"graded": True}
        with pytest.raises(GradedAssignmentError, match="membranelab course grade ps1"):
            InjectStudentId().preprocess(nb, _resources("Alice"))
        line = injected_source("alice", "/grader/bank", feedback="named")
        assert "KEY" not in line and "SECRET" not in line

    def test_graded_course_refused_whatever_the_notebook_says(self, monkeypatch, tmp_path):
        """A student who deletes the notebook's 'graded' mark is refused all the same: the
        course's own assignments.yaml (beside the gradebook) decides."""
        from membranelab.nbgrader_ext import GradedAssignmentError

        monkeypatch.chdir(tmp_path)
        (tmp_path / "assignments.yaml").write_text(
            "course:\n  mode: graded\n  roster: roster.txt\nassignments:\n"
            "  - id: ps1\n    problems: [nernst-potassium]\n", encoding="utf-8")
        resources = _resources()
        resources["nbgrader"]["db_url"] = f"sqlite:///{tmp_path / 'gradebook.db'}"
        with pytest.raises(GradedAssignmentError):
            InjectStudentId().preprocess(_notebook(), resources)

    def test_feedback_level_is_injected(self, monkeypatch, tmp_path):
        """c.InjectStudentId.feedback reaches the kernel as MEMBRANELAB_FEEDBACK."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("MEMBRANELAB_FEEDBACK", "full")  # restored after the test
        nb, _ = InjectStudentId(feedback="score").preprocess(_notebook(), _resources())
        line = next(c.source for c in nb.cells if c.metadata.get(INJECTED_FLAG))
        exec(line, {})  # noqa: S102 -- our own generated line
        import os

        assert os.environ["MEMBRANELAB_FEEDBACK"] == "score"

    def test_enabled_by_default(self):
        """Both preprocessors run without extra configuration (nbconvert's base is disabled)."""
        assert InjectStudentId().enabled and StripStudentId().enabled


class TestStripStudentId:
    @pytest.mark.parametrize("student", ["alice", "o'neil", 'x"; import os; "'])
    def test_round_trip_restores_the_submission(self, student):
        """Inject then strip gives back exactly the submitted cells."""
        original = _notebook()
        nb, res = InjectStudentId().preprocess(_notebook(), _resources(student))
        nb, _ = StripStudentId().preprocess(nb, res)
        assert [c.source for c in nb.cells] == [c.source for c in original.cells]
