"""Every command under ``--lang zh``: what it prints, its usage errors and its own errors carry
no English sentence (ids, units, symbols, paths and the student's own text aside)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from membranelab.bank import load_bank
from membranelab.cli import main

from .latin import english_words

PROBLEM = "nernst-potassium"
REPO = Path(__file__).resolve().parents[2]
#: Ids a command prints as ids (problems, topics, parts: what is typed): not sentences.
IDS = sorted({i for p in load_bank().problems.values()
              for i in (p.id, p.topic, *(part.id for part in p.parts))} | {"no-such-problem"},
             key=len, reverse=True)


def _without_ids(text: str) -> str:
    for name in IDS:
        text = text.replace(name, " ")
    return text


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    answers = tmp_path / "answers.csv"
    answers.write_text("student,assignment,problem,part,answer\n"
                       f"alice,hw1,{PROBLEM},E_K,-80 mV\n"
                       f"alice,hw1,{PROBLEM},direction,流出细胞\n"
                       f"alice,hw1,{PROBLEM},nope,1\n"
                       f"bob,hw1,no-such-problem,E_K,1\n"
                       "carol,hw1\n", encoding="utf-8")
    return tmp_path


def commands(tmp):
    """Command lines a student or teacher runs, right and wrong."""
    return [
        ["list"], ["show", PROBLEM], ["show", PROBLEM, "--student", "alice", "--solution"],
        ["render", PROBLEM, "-o", str(tmp / "site")],
        ["grade", str(tmp / "answers.csv"), "-o", str(tmp / "grades.csv"), "-j", "1",
         "--no-progress"],
        ["regrade", str(tmp / "answers.csv"), "--grades", str(tmp / "grades.csv"), "-j", "1",
         "--no-progress"],
        ["check", "--variants", "3", PROBLEM],
        # usage and errors
        [], ["grade"], ["grade", "x.csv", "-j", "abc"], ["grade", "x.csv", "--feedback", "x"],
        ["nope"], ["grade", "x.csv", "--zap"], ["show", "nernst-potasium"],
        ["show", PROBLEM, "--student", "ＣＡＮＯＮＩＣＡＬ"],
        ["grade", str(tmp / "answers.csv")], ["grade", str(tmp / "answers.csv"), "-o", str(tmp)],
        ["grade", str(tmp / "missing.csv"), "-o", str(tmp / "g.csv")],
        ["grade", str(tmp / "answers.csv"), "-o", str(tmp / "g.csv"), "-j", "0"],
        ["render", "-o", str(tmp / "answers.csv")], ["check", "--variants", "0"],
        ["list", "--topic", "nope"],
        ["course", "check", "--course-dir", str(REPO / "course")],
        ["course", "audit", "nope", "--course-dir", str(REPO / "course")],
        ["course", "check", "--course-dir", str(tmp / "no-such-course")],
        ["report", str(tmp / "grades.csv"), "-o", str(tmp / "report")],
        ["report", str(tmp / "missing.csv"), "-o", str(tmp / "report2")],
        ["regrade", str(tmp / "answers.csv"), "--grades", str(tmp / "answers.csv")],
    ]


def test_no_english_in_any_command(files, capsys):
    """Each command line's standard output and error, scanned."""
    seen, found = 0, []
    for argv in commands(files):
        main(["--lang", "zh", *argv])
        captured = capsys.readouterr()
        for text in (captured.out, captured.err):
            words = english_words(_without_ids(text))
            if words:
                found.append((argv, words, text[:600]))
            seen += bool(text.strip())
    assert found == []
    assert seen >= 20
    with (files / "grades.csv").open(encoding="utf-8") as handle:
        feedback = [row["feedback"] for row in csv.DictReader(handle)]
    assert len(feedback) == 5 and all(feedback)
    assert english_words(_without_ids(" ".join(feedback))) == [], feedback
