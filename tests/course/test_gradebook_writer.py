"""``GradebookWriter.write_many``: a batch of notebooks leaves the rows nbgrader's own ORM API
leaves (``Gradebook.add_submission``, then each grade's ``auto_score`` and comment's
``auto_comment`` set as autograde's ``SaveAutoGrades`` sets them, and nbgrader's late-penalty
plugin), compared row by row with cells and students by name, ids aside."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

#: nbgrader runs ``alembic`` (a process) when it makes a new gradebook.
pytestmark = pytest.mark.slow

from nbgrader.api import Gradebook  # noqa: E402
from traitlets.config import Config  # noqa: E402

from membranelab.course.gradebook import GradebookWriter, Record  # noqa: E402

DUE = datetime(2026, 12, 1, 23, 59)
POINTS = {"t1": 2.0, "t2": 1.0}
#: student -> (timestamp, points per test cell, answer cells unanswered, cells for a manual look)
WORK = {
    "ann": (DUE - timedelta(hours=2), {"t1": 2.0, "t2": 0.0}, {"s2"}, set()),
    "ben": (DUE + timedelta(hours=5), {"t1": 2.0, "t2": 1.0}, set(), {"t2"}),  # late
    "cat": (None, {"t1": 0.5}, {"s1", "s2"}, set()),
    "dan": (DUE + timedelta(hours=3), {"t1": 1.0, "t2": 1.0}, set(), set()),  # extension
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The course's gradebook, made once (nbgrader runs alembic for a new one)."""
    saved = os.environ.get("PATH", "")
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{saved}"
    try:
        path = tmp_path_factory.mktemp("gradebook") / "template.db"
        _course(path)
    finally:
        os.environ["PATH"] = saved
    return path


def _copy(template, path) -> str:
    shutil.copy2(template, path)
    return f"sqlite:///{path}"


def _course(path) -> str:
    """An assignment of two notebooks (the graded one with two tests, two answers and a task;
    another with one test), ``dan`` already submitted with a 2-day extension and a teacher's
    manual score on t1."""
    url = f"sqlite:///{path}"
    with Gradebook(url, "c") as gb:
        gb.add_assignment("a", duedate=DUE)
        gb.add_notebook("nb", "a")
        gb.add_notebook("other", "a")
        for name, points in POINTS.items():
            gb.add_grade_cell(name, "nb", "a", max_score=points, cell_type="code")
        for name in ("s1", "s2"):
            gb.add_solution_cell(name, "nb", "a")
        gb.add_task_cell("task", "nb", "a", max_score=3.0, cell_type="markdown")
        gb.add_grade_cell("o1", "other", "a", max_score=1.0, cell_type="code")
        gb.add_student("dan")
        submission = gb.add_submission("a", "dan", timestamp=DUE - timedelta(days=3))
        submission.extension = timedelta(days=2)
        gb.find_grade("t1", "nb", "a", "dan").manual_score = 0.25
        gb.db.commit()
    return url


def _config() -> Config:
    config = Config()
    config.LateSubmissionPlugin.penalty_method = "zero"
    return config


def _by_nbgrader(url: str) -> None:
    """What the ORM path writes for WORK, one student at a time."""
    from nbgrader.plugins import LateSubmissionPlugin

    plugin = LateSubmissionPlugin(config=_config())
    with Gradebook(url, "c") as gb:
        for student, (stamp, scores, unanswered, manual) in WORK.items():
            if student != "dan":
                gb.add_student(student)
                submission = gb.add_submission("a", student, timestamp=stamp)
            else:
                submission = gb.find_submission("a", student)
                if stamp is not None:
                    submission.timestamp = stamp
            nb = gb.find_submission_notebook("nb", "a", student)
            total = 0.0
            for grade in nb.grades:
                name = grade.cell.name if grade.cell.type == "GradeCell" else None
                grade.auto_score = scores.get(name, 0.0) if name is not None else None
                grade.needs_manual_grade = (grade.manual_score is not None
                                            or grade.auto_score is None or name in manual)
                final = grade.manual_score if grade.manual_score is not None \
                    else grade.auto_score
                total += (final or 0.0) + (grade.extra_credit or 0.0)
            for comment in nb.comments:
                comment.auto_comment = "No response." if comment.cell.name in unanswered \
                    else None
            late = submission.total_seconds_late
            penalty = None
            if late > 0:
                penalty = plugin.late_submission_penalty(student, total, late)
                penalty = None if penalty is None else min(max(penalty, 0.0), total)
            nb.late_submission_penalty = penalty
            gb.db.commit()


def _rows(path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    joined = ("join submitted_notebook sn on x.notebook_id = sn.id join submitted_assignment sa "
              "on sn.assignment_id = sa.id join notebook n on sn.notebook_id = n.id "
              "join base_cell bc on x.cell_id = bc.id")
    try:
        return {
            "grade": db.execute(
                "select sa.student_id, n.name, bc.name, x.auto_score, x.manual_score, "
                f"x.extra_credit, x.needs_manual_grade from grade x {joined} order by 1, 2, 3"
            ).fetchall(),
            "comment": db.execute(
                "select sa.student_id, n.name, bc.name, x.auto_comment, x.manual_comment "
                f"from comment x {joined} order by 1, 2, 3").fetchall(),
            "submission": db.execute(
                "select sa.student_id, n.name, sa.timestamp, sa.extension, sn.flagged, "
                "sn.late_submission_penalty from submitted_notebook sn join submitted_assignment"
                " sa on sn.assignment_id = sa.id join notebook n on sn.notebook_id = n.id "
                "order by 1, 2").fetchall(),
            "student": db.execute("select * from student order by id").fetchall(),
        }
    finally:
        db.close()


class TestWriteMany:
    def test_same_rows_as_nbgrader_orm(self, template, tmp_path):
        """New students, an existing submission with an extension and a manual score, a late
        one, unanswered cells and cells for a manual look: the same rows either way."""
        expected, got = tmp_path / "orm.db", tmp_path / "batch.db"
        _by_nbgrader(_copy(template, expected))
        url = _copy(template, got)
        with GradebookWriter(url, "c", "a", "nb", _config()) as writer:
            penalties = writer.write_many([
                Record(s, stamp, scores, frozenset(unanswered), frozenset(manual))
                for s, (stamp, scores, unanswered, manual) in WORK.items()])
        assert _rows(got) == _rows(expected)
        # by hand: ben is late with 3 points (zero rule takes them); dan is within his extension
        assert penalties == {"ann": None, "ben": 3.0, "cat": None, "dan": None}

    def test_a_failed_batch_writes_nothing(self, template, tmp_path):
        """A student twice in one batch is refused before anything is written."""
        url = _copy(template, tmp_path / "g.db")
        before = _rows(tmp_path / "g.db")
        record = Record("ann", None, {"t1": 1.0}, frozenset())
        with GradebookWriter(url, "c", "a", "nb", _config()) as writer, \
                pytest.raises(ValueError, match="twice"):
            writer.write_many([record, record])
        assert _rows(tmp_path / "g.db") == before
