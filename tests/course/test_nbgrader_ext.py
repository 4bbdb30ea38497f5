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

    def test_graded_course_gets_the_students_key_never_the_secret(self, monkeypatch, tmp_path):
        """With a course secret in the environment: the injected line sets the student's own
        key (HMAC of the secret), the secret itself is nowhere in the notebook, and it is gone
        from the grader's environment before any kernel starts."""
        import hashlib
        import hmac

        from membranelab.notebooks import preprocessors as nbgrader_ext

        secret = bytes(range(32))
        monkeypatch.setattr(nbgrader_ext, "_SECRETS", {})
        monkeypatch.setenv("MEMBRANELAB_COURSE_SECRET", secret.hex())
        nb = _notebook()
        nb.metadata["membranelab"] = {"graded": True}
        nb, _ = InjectStudentId(course_dir=str(tmp_path)).preprocess(nb, _resources("Alice"))
        import os

        assert "MEMBRANELAB_COURSE_SECRET" not in os.environ
        injected = [c.source for c in nb.cells if c.metadata.get(INJECTED_FLAG)]
        key = hmac.new(secret, b"membranelab-variant\x1fps1\x1falice",
                       hashlib.sha256).hexdigest()  # ids trimmed and case-folded
        assert injected and all(f"'MEMBRANELAB_VARIANT_KEY'] = '{key}'" in s for s in injected)
        assert not any(secret.hex() in c.source for c in nb.cells)

    def test_graded_notebook_without_secret_is_refused(self, monkeypatch, tmp_path):
        """A notebook marked graded, and no secret anywhere: a clear error, not wrong numbers."""
        from membranelab.notebooks import preprocessors as nbgrader_ext
        from membranelab.service.secret import SecretError

        monkeypatch.setattr(nbgrader_ext, "_SECRETS", {})
        monkeypatch.delenv("MEMBRANELAB_COURSE_SECRET", raising=False)
        nb = _notebook()
        nb.metadata["membranelab"] = {"graded": True}
        with pytest.raises(SecretError, match="graded but no course secret"):
            InjectStudentId(course_dir=str(tmp_path)).preprocess(nb, _resources())

    def test_feedback_level_is_injected(self, monkeypatch, tmp_path):
        """c.InjectStudentId.feedback reaches the kernel as MEMBRANELAB_FEEDBACK."""
        from membranelab.notebooks import preprocessors as nbgrader_ext

        monkeypatch.setattr(nbgrader_ext, "_SECRETS", {})
        monkeypatch.setenv("MEMBRANELAB_FEEDBACK", "full")  # restored after the test
        nb, _ = InjectStudentId(feedback="score", course_dir=str(tmp_path)).preprocess(
            _notebook(), _resources())
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
