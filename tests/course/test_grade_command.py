"""``membranelab course grade``: one-line refusals before anything is graded."""

from __future__ import annotations

import json

import pytest

from membranelab.cli import main

GRADED = """course:
  id: cmd-test
  mode: graded
  roster: roster.txt
assignments:
  - id: hw
    problems: [nernst-potassium]
"""


@pytest.fixture(autouse=True)
def _config(monkeypatch, tmp_path):
    monkeypatch.delenv("MEMBRANELAB_COURSE_SECRET", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _course(tmp_path, text: str = GRADED):
    course = tmp_path / "course"
    course.mkdir()
    (course / "assignments.yaml").write_text(text, encoding="utf-8")
    (course / "roster.txt").write_text("alice\n", encoding="utf-8")
    return course


class TestCourseGradeRefusals:
    def test_formative_course_is_sent_to_nbgrader(self, tmp_path, capsys):
        """A formative assignment has no keyed numbers: one line pointing at autograde."""
        course = _course(tmp_path, GRADED.replace("mode: graded", "mode: formative"))
        assert main(["course", "grade", "hw", "--course-dir", str(course)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "nbgrader autograde hw" in err

    def test_in_chinese(self, tmp_path, capsys):
        """The same refusal in Chinese with --lang zh."""
        course = _course(tmp_path, GRADED.replace("mode: graded", "mode: formative"))
        assert main(["--lang", "zh", "course", "grade", "hw", "--course-dir", str(course)]) == 2
        assert "形成性课程" in capsys.readouterr().err

    def test_unknown_assignment(self, tmp_path, capsys):
        """An id not in assignments.yaml: the known ones are listed."""
        course = _course(tmp_path)
        assert main(["course", "grade", "ps9", "--course-dir", str(course)]) == 2
        assert "known: hw" in capsys.readouterr().err

    def test_no_secret(self, tmp_path, capsys):
        """No secret anywhere: one line saying where it was looked for and how to make it."""
        course = _course(tmp_path)
        assert main(["course", "grade", "hw", "--course-dir", str(course)]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert "cmd-test.secret does not exist" in err and "membranelab course secret" in err

    def test_nothing_submitted_is_not_a_pass(self, tmp_path, capsys):
        """No submitted notebook: a warning on stderr and exit 1."""
        course = _course(tmp_path)
        assert main(["course", "secret", "--course-dir", str(course)]) == 0
        capsys.readouterr()
        assert main(["course", "grade", "hw", "--course-dir", str(course)]) == 1
        assert "no submitted notebook of hw" in capsys.readouterr().err

    def test_bad_jobs(self, tmp_path, capsys):
        """-j 0 is refused in one line."""
        course = _course(tmp_path)
        assert main(["course", "secret", "--course-dir", str(course)]) == 0
        assert main(["course", "grade", "hw", "--course-dir", str(course), "-j", "0"]) == 2
        assert "at least 1" in capsys.readouterr().err

    @pytest.mark.slow
    def test_gradebook_without_the_assignment(self, tmp_path, capsys):
        """Submissions but no `nbgrader generate_assignment`: one line saying to run it."""
        course = _course(tmp_path)
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\nimport os\nc.CourseDirectory.root = os.path.dirname("
            "os.path.abspath(__file__))\n", encoding="utf-8")
        assert main(["course", "secret", "--course-dir", str(course)]) == 0
        folder = course / "submitted" / "alice" / "hw"
        folder.mkdir(parents=True)
        (folder / "hw.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
        capsys.readouterr()
        assert main(["course", "grade", "hw", "--course-dir", str(course)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "nbgrader generate_assignment hw" in err


def test_flags_csv_escapes_a_cell_a_spreadsheet_would_run():
    """A student id (a folder name under submitted/) starting a formula is quoted in the flags
    CSV, as every CSV the package writes is (OWASP's rule)."""
    import csv
    import io

    from membranelab.course.grade_command import CSV_COLUMNS, _csv_text

    text = _csv_text([{"student": "=cmd|' /C calc'!A0", "flag": "copied", "parts": "E_K",
                       "other_student": "@bob", "chance": "-0.5", "detail": "-x"}])
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == ["'=cmd|' /C calc'!A0", "copied", "E_K", "'@bob", "-0.5", "'-x"]
