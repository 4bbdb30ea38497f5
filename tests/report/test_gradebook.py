"""The nbgrader gradebook reader, on a gradebook written with nbgrader's own API (the tables an
autograde fills), and the command on a course directory."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from membranelab.cli import main
from membranelab.report import ReportInputError, read_source
from membranelab.report.read_gradebook import split_cell
from membranelab.report.sources import source_kind

#: In notebook order (not alphabetical: "E_K" sorts before "direction").
CELLS = (("nernst-potassium-direction-test", 1.0), ("nernst-potassium-E_K-test", 2.0))


@pytest.fixture
def course(tmp_path, monkeypatch):
    """alice: 2 + 1 (auto); bob: E_K auto 0 raised by hand to 1.5, direction 0 with extra
    credit 0.5, notebook flagged; carol: E_K awaits manual grading (no score yet)."""
    from nbgrader.api import Gradebook

    # nbgrader creates the tables by running `alembic`, from the interpreter's bin directory
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "course"
    root.mkdir()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.add_assignment("hw-graded")
        gb.add_notebook("hw-graded", "hw-graded")
        for name, points in CELLS:
            gb.add_grade_cell(name, "hw-graded", "hw-graded", max_score=points,
                              cell_type="code")
        for student in ("alice", "bob", "carol"):
            gb.add_student(student)
            gb.add_submission("hw-graded", student)
        scores = {("alice", 1): (2.0, None, None), ("alice", 0): (1.0, None, None),
                  ("bob", 1): (0.0, 1.5, None), ("bob", 0): (0.0, None, 0.5),
                  ("carol", 1): (None, None, None), ("carol", 0): (1.0, None, None)}
        for (student, j), (auto, manual, extra) in scores.items():
            grade = gb.find_grade(CELLS[j][0], "hw-graded", "hw-graded", student)
            grade.auto_score, grade.manual_score, grade.extra_credit = auto, manual, extra
            grade.needs_manual_grade = auto is None
        gb.find_submission_notebook("hw-graded", "hw-graded", "bob").flagged = True
        gb.db.commit()
    return root


def test_split_cell():
    """Problem and part from a grade cell's name."""
    assert split_cell("nernst-potassium-E_K-test") == ("nernst-potassium", "E_K")
    assert split_cell("other-cell") == ("other-cell", "")


@pytest.mark.slow  # nbgrader's Gradebook runs alembic in a subprocess
def test_records(course):
    """nbgrader's score (manual over auto, plus extra credit), max_score as points,
    needs_review for a grade awaiting a human, bob's flag."""
    assert source_kind(course) == "gradebook"
    assert source_kind(course / "gradebook.db") == "gradebook"
    got = {(r.student, r.part): r for r in read_source(course)}
    assert {k: (r.score, r.points) for k, r in got.items()} == {
        ("alice", "E_K"): (2.0, 2.0), ("alice", "direction"): (1.0, 1.0),
        ("bob", "E_K"): (1.5, 2.0), ("bob", "direction"): (0.5, 1.0),
        ("carol", "E_K"): (0.0, 2.0), ("carol", "direction"): (1.0, 1.0)}
    assert got[("carol", "E_K")].note == "needs_review" and got[("alice", "E_K")].note == ""
    assert got[("bob", "E_K")].flags == ("flagged",) and got[("alice", "E_K")].flags == ()
    assert {r.problem for r in got.values()} == {"nernst-potassium"}


@pytest.mark.slow
def test_report_of_a_course(course, tmp_path):
    """The command on the course directory: facility of E_K (2 + 1.5 + 0) / 3 / 2 = 58.33 %;
    carol flagged for review, bob flagged by a grader; no mistakes (a gradebook has no notes)."""
    out = tmp_path / "out"
    assert main(["report", str(course), "-o", str(out)]) == 0
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    a = doc["assignments"][0]
    assert [p["part"] for p in a["parts"]] == ["direction", "E_K"]  # the notebook's order
    e_k = a["parts"][1]
    assert e_k["part"] == "E_K" and e_k["facility"] == pytest.approx(100 * 3.5 / 3 / 2)
    flags = {s["student"]: s["flags"] for s in a["students"]}
    assert flags == {"alice": [], "bob": ["flagged"], "carol": ["needs_review"]}
    assert e_k["mistakes"] == [{"kind": "needs_review", "note": "needs_review", "count": 1,
                                "share": pytest.approx(1 / 3), "cost": 1}]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "flagged by a grader" in html and str(course.resolve()) in html


def test_not_a_gradebook(tmp_path):
    """A gradebook.db without nbgrader's tables is refused."""
    import sqlite3

    (tmp_path / "c").mkdir()
    with sqlite3.connect(tmp_path / "c" / "gradebook.db") as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ReportInputError) as caught:
        read_source(tmp_path / "c")
    assert caught.value.key == "report.error.not_gradebook"


def test_describe_source_hides_a_password():
    """A database URL is shown without its password; a path is made absolute."""
    from membranelab.report.sources import describe_source

    shown = describe_source("postgresql://teacher:s3cret@db.example/class")
    assert "s3cret" not in shown and "teacher" in shown and "db.example/class" in shown
    assert describe_source("grades.csv") == str(Path("grades.csv").resolve())
