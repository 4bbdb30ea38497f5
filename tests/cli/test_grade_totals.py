"""``membranelab grade``: matching ids, blank ids, column maps, totals a gradebook imports."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess

import pytest

from .conftest import command, subprocess_env

HEADER = "student,assignment,problem,part,answer\n"
ASSIGNMENTS = """assignments:
  - id: hw1
    title: Homework 1
    problems: [nernst-potassium, nernst-sodium]
"""


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _right(bank, student, problem, part, assignment="hw1"):
    answer = bank.problems[problem].variant(student, assignment).answers()[part]
    return f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text


def _maximum(bank, *problems):
    """The points of every part of ``problems``, from the problem files."""
    return sum(part.points for pid in problems for part in bank.problems[pid].parts)


class TestIds:
    def test_ids_are_trimmed_and_case_folded(self, run, bank, tmp_path):
        """'Alice ' in 'HW1' is alice in hw1: graded on alice's hw1 numbers, and her two rows
        for one part are one resubmission."""
        right = _right(bank, "alice", "nernst-potassium", "E_K")
        (tmp_path / "a.csv").write_text(
            HEADER + "alice,hw1,nernst-potassium,E_K,1 mV\n"
            f"Alice ,HW1,Nernst-Potassium, e_k ,{right}\n")
        code, out, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0, err
        rows = _rows(tmp_path / "g.csv")
        assert [r["note"] for r in rows] == ["row.superseded", "correct"]
        assert rows[1]["student"] == "alice" and rows[1]["assignment"] == "hw1"

    @pytest.mark.parametrize("blank", ["student", "assignment"])
    def test_blank_student_or_assignment_is_a_row_error(self, run, tmp_path, blank):
        """A blank id is reported with its line, graded 0, never a set of numbers of its own."""
        fields = {"student": "bob", "assignment": "hw1"}
        fields[blank] = "  "
        (tmp_path / "a.csv").write_text(
            HEADER + f"{fields['student']},{fields['assignment']},nernst-potassium,E_K,1 mV\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0
        assert f"a.csv:2: malformed row (empty {blank}); graded 0" in err
        assert _rows(tmp_path / "g.csv")[0]["note"] == "row.malformed"

    def test_help_states_the_rule(self, run):
        """--help says how ids are matched."""
        code, out, _ = run("grade", "--help")
        assert code == 0
        assert "TRIMMING AND CASE-FOLDING" in " ".join(out.split())


class TestColumns:
    def test_an_exports_own_column_names(self, run, bank, tmp_path):
        """--columns maps Username/Quiz/Question/Item/Response onto our columns."""
        right = _right(bank, "dee", "nernst-potassium", "E_K")
        (tmp_path / "a.csv").write_text(
            "Username,Quiz,Question,Item,Response,Score\n"
            f"dee,hw1,nernst-potassium,E_K,{right},\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                           "--columns",
                           "student=Username,assignment=Quiz,problem=Question,part=Item,"
                           "answer=Response")
        assert code == 0, err
        assert _rows(tmp_path / "g.csv")[0]["correct"] == "true"

    def test_bad_mapping_is_one_line(self, run, tmp_path):
        """An unknown column of ours is a usage error naming it."""
        (tmp_path / "a.csv").write_text(HEADER)
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                           "--columns", "learner=Username")
        assert code == 2 and "'learner' is not one of" in err and err.count("\n") == 1


class TestTotals:
    def test_typo_cannot_shrink_the_maximum(self, run, bank, tmp_path):
        """With the assignment's problems known, a mistyped problem and part are row errors and
        the maximum is every part of the assignment."""
        (tmp_path / "course.yaml").write_text(ASSIGNMENTS)
        right = _right(bank, "eve", "nernst-potassium", "E_K")
        (tmp_path / "a.csv").write_text(
            HEADER + f"eve,hw1,nernst-potassium,E_K,{right}\n"
            "eve,hw1,nernst-potasium,E_K,1 mV\n"
            "eve,hw1,nernst-sodium,E_NA_typo,1 mV\n")
        code, out, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                             "--assignments", str(tmp_path / "course.yaml"),
                             "--totals", str(tmp_path / "t.csv"))
        assert code == 0, err
        notes = [r["note"] for r in _rows(tmp_path / "g.csv")]
        assert notes == ["correct", "row.malformed", "part.unknown"]
        assert "not in assignment 'hw1'" in err
        total = _rows(tmp_path / "t.csv")
        maximum = _maximum(bank, "nernst-potassium", "nernst-sodium")
        points = bank.problems["nernst-potassium"].part("E_K").points
        assert total == [{"student": "eve", "assignment": "hw1", "score": f"{points:g}",
                          "maximum": f"{maximum:g}",
                          "percentage": f"{100 * points / maximum:.2f}",
                          "parts_answered": "1"}]
        assert "totals in" in " ".join(out.split())

    def test_unknown_assignment_counts_answered_parts_and_warns(self, run, bank, tmp_path):
        """An assignment outside the assignments file: the maximum is the parts answered."""
        (tmp_path / "course.yaml").write_text(ASSIGNMENTS)
        right = _right(bank, "fay", "nernst-potassium", "E_K", "quiz9")
        (tmp_path / "a.csv").write_text(
            HEADER + f"fay,quiz9,nernst-potassium,E_K,{right}\n"
            "fay,quiz9,nernst-potassium,formula,x\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                           "--assignments", str(tmp_path / "course.yaml"),
                           "--totals", str(tmp_path / "t.csv"))
        assert code == 0, err
        assert "warning: assignment 'quiz9' is not in the assignments file" in err
        problem = bank.problems["nernst-potassium"]
        row = _rows(tmp_path / "t.csv")[0]
        assert float(row["maximum"]) == problem.part("E_K").points + problem.part("formula").points
        assert row["parts_answered"] == "2"

    def test_canvas_layout(self, run, bank, tmp_path):
        """--totals-layout canvas: a row per student, a column per assignment, points possible."""
        (tmp_path / "course.yaml").write_text(ASSIGNMENTS)
        right = _right(bank, "gus", "nernst-potassium", "E_K")
        (tmp_path / "a.csv").write_text(HEADER + f"gus,hw1,nernst-potassium,E_K,{right}\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                           "--assignments", str(tmp_path / "course.yaml"),
                           "--totals", str(tmp_path / "t.csv"), "--totals-layout", "canvas")
        assert code == 0, err
        lines = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text())))
        maximum = _maximum(bank, "nernst-potassium", "nernst-sodium")
        points = bank.problems["nernst-potassium"].part("E_K").points
        assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw1"]
        assert lines[1] == ["Points Possible", "", "", "", "", f"{maximum:g}"]
        assert lines[2] == ["", "", "", "gus", "", f"{points:g}"]


def test_written_files_honour_the_umask(bank, tmp_path):
    """With umask 022 the grades and totals are readable by others (0644), as a web server
    publishing them needs."""
    right = _right(bank, "hal", "nernst-potassium", "E_K")
    (tmp_path / "a.csv").write_text(HEADER + f"hal,hw1,nernst-potassium,E_K,{right}\n")
    argv = command() + ["grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                        "--totals", str(tmp_path / "t.csv"), "-j", "1"]
    proc = subprocess.run(argv, env=subprocess_env(tmp_path / "data"), capture_output=True,
                          text=True, timeout=300, preexec_fn=lambda: os.umask(0o022))
    assert proc.returncode == 0, proc.stderr
    for name in ("g.csv", "t.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
