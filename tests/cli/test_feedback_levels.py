"""Feedback levels where they count: batch grading and the course's check() say "not right"
for a wrong number at the ``named`` level, without its direction, size or digits."""

from __future__ import annotations

import csv
import io
import re

import pytest

HEADER = "student,assignment,problem,part,answer\n"
#: (problem, part) of numeric parts with different units and sizes.
NUMERIC = [("nernst-potassium", "E_K"), ("nernst-sodium", "E_Na"), ("chord-conductance", "V_m"),
           ("membrane-charge", "Q")]
#: How a student guesses: 19.6 % too large, about 115 times too small, slightly below.
FACTORS = (1.196, 1 / 115, 0.97)
WORDS = re.compile(r"%|percent|times|factor|large|small|high|low|too ", re.IGNORECASE)


def _digits(value: float) -> set[str]:
    """Digit runs of the expected value as a student could read them (3 and 4 significant
    figures, with and without the decimal point)."""
    out = set()
    for sig in (3, 4):
        text = f"{abs(value):.{sig}g}"
        if "e" in text:
            text = text.split("e")[0]
        out.add(text)
        out.add(text.replace(".", "").lstrip("0"))
    return {d for d in out if len(d) >= 2}


def _wrong_rows(bank):
    rows, expected = [], {}
    for n, (pid, part_id) in enumerate(NUMERIC):
        for k, factor in enumerate(FACTORS):
            student = f"s{n}{k}"
            answer = bank.problems[pid].variant(student, "hw1").answers()[part_id]
            rows.append(f"{student},hw1,{pid},{part_id},{answer.value * factor:.4g} {answer.unit}")
            expected[(student, pid)] = answer.value
    return HEADER + "\n".join(rows) + "\n", expected


def _graded(run, tmp_path, bank, level):
    text, expected = _wrong_rows(bank)
    (tmp_path / "a.csv").write_text(text)
    code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"),
                       "--feedback", level, "-j", "1")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text()))), expected


class TestBatchLevels:
    def test_named_level_says_nothing_about_size_or_direction(self, run, bank, tmp_path):
        """grade --feedback named (the default): no percentage, factor, large/small or digits of
        the expected value in any wrong numeric answer's feedback."""
        rows, expected = _graded(run, tmp_path, bank, "named")
        for row in rows:
            assert row["correct"] == "false"
            feedback = row["feedback"]
            assert not WORDS.search(feedback), feedback
            for digits in _digits(expected[(row["student"], row["problem"])]):
                assert digits not in feedback.replace(".", "") and digits not in feedback, (
                    digits, feedback)

    def test_full_level_does_tell_the_size(self, run, bank, tmp_path):
        """The same answers at --feedback full get the size of the error (the check above can
        fail)."""
        rows, _ = _graded(run, tmp_path, bank, "full")
        assert sum(bool(WORDS.search(row["feedback"])) for row in rows) >= len(rows) // 2

    def test_score_level_is_right_or_wrong(self, run, bank, tmp_path):
        """--feedback score: every wrong answer gets the same sentence."""
        rows, _ = _graded(run, tmp_path, bank, "score")
        assert len({row["feedback"] for row in rows}) == 1


class TestCourseCheckLevels:
    @pytest.fixture(autouse=True)
    def _student(self, monkeypatch):
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        monkeypatch.delenv("MEMBRANELAB_FEEDBACK", raising=False)

    def test_check_named_by_default(self, bank, capsys):
        """check() without a level prints no direction, size or digit for a wrong number."""
        from membranelab.student import check

        answer = bank.problems["nernst-potassium"].variant("alice", "ps1").answers()["E_K"]
        assert check("ps1", "nernst-potassium", "E_K", f"{answer.value * 1.196:.4g} mV") == 0
        out = capsys.readouterr().out
        assert not WORDS.search(out.split("[")[0]), out
        assert not any(d in out for d in _digits(answer.value))

    def test_grader_setting_wins_over_the_cell(self, bank, capsys, monkeypatch):
        """MEMBRANELAB_FEEDBACK (set by the autograder from nbgrader_config.py) wins over the
        level written in the test cell."""
        from membranelab.student import check

        answer = bank.problems["nernst-potassium"].variant("alice", "ps1").answers()["E_K"]
        wrong = f"{answer.value * 1.196:.4g} mV"
        check("ps1", "nernst-potassium", "E_K", wrong, feedback="named")
        named = capsys.readouterr().out
        monkeypatch.setenv("MEMBRANELAB_FEEDBACK", "full")
        check("ps1", "nernst-potassium", "E_K", wrong, feedback="named")
        full = capsys.readouterr().out
        assert WORDS.search(full) and not WORDS.search(named.split("[")[0])
