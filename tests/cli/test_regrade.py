"""``membranelab regrade``: the same answers graded again, and exactly whose score changed.

Each student's answer to E_K is the hand-computed Nernst potential of their public numbers,
off by a chosen relative error.  The packaged bank accepts 1 % (nernst-potassium's tolerance);
a copy of the bank with 2 % accepts the 1.5 % answers too, and nothing else changes.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from pathlib import Path

import pytest

from membranelab.bank import load_bank
from membranelab.cli import main

R, F = 8.314462618, 96485.33212  # SI 2019
REPO = Path(__file__).resolve().parents[2]
#: student -> relative error of their answer
ERRORS = {"ann": 0.0, "ben": 0.005, "cai": 0.015, "dan": 0.015, "eve": 0.03, "fay": -0.018}


def nernst_mv(k_out: float, k_in: float, celsius: float) -> float:
    return R * (celsius + 273.15) / F * math.log(k_out / k_in) * 1000


@pytest.fixture
def files(tmp_path):
    bank = load_bank()
    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "problem", "part", "answer"])
        for student, error in ERRORS.items():
            p = bank.problems["nernst-potassium"].variant(student, "hw1").params
            e_k = nernst_mv(p["K_out"], p["K_in"], p["T"]) * (1 + error)
            writer.writerow([student, "hw1", "nernst-potassium", "E_K", f"{e_k:.4f} mV"])
    grades = tmp_path / "grades.csv"
    assert main(["grade", str(answers), "-o", str(grades), "-j", "1", "--no-progress",
                 "--course-dir", str(_no_course(tmp_path))]) == 0
    return answers, grades


def _no_course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir(exist_ok=True)
    (folder / "assignments.yaml").write_text(
        "assignments:\n  - id: hw1\n    problems: [nernst-potassium]\n", encoding="utf-8")
    return folder


def _scores(path: Path) -> dict[str, float]:
    with path.open(encoding="utf-8") as handle:
        return {row["student"]: float(row["score"]) for row in csv.DictReader(handle)}


def test_hand_expectations(files):
    """Graded with the packaged 1 % tolerance: 0 and 0.5 % right, the rest wrong."""
    _, grades = files
    assert _scores(grades) == {s: 1.0 if abs(e) <= 0.01 else 0.0 for s, e in ERRORS.items()}


def test_an_unchanged_bank_changes_nothing_and_says_so(files, tmp_path, capsys):
    answers, grades = files
    before = grades.read_bytes()
    assert main(["regrade", str(answers), "--grades", str(grades), "-j", "1", "--no-progress",
                 "--course-dir", str(_no_course(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "No score changed (6 rows)" in out and "→" not in out
    assert grades.read_bytes() == before


def test_a_wider_tolerance_lists_exactly_the_students_it_changes(files, tmp_path, capsys):
    answers, grades = files
    bank = tmp_path / "bank"
    shutil.copytree(REPO / "problems", bank / "problems")
    shutil.copytree(REPO / "solutions", bank / "solutions")
    source = bank / "problems" / "nernst-potassium.md"
    text, n = re.subn(r"tolerance: \{relative: 0\.01\}", "tolerance: {relative: 0.02}",
                      source.read_text(encoding="utf-8"), count=1)
    assert n == 1
    source.write_text(text, encoding="utf-8")
    new = tmp_path / "new.csv"
    assert main(["--bank", str(bank), "regrade", str(answers), "--grades", str(grades), "-o",
                 str(new), "-j", "1", "--no-progress",
                 "--course-dir", str(_no_course(tmp_path))]) == 0
    out = capsys.readouterr().out
    expected = {s for s, e in ERRORS.items() if 0.01 < abs(e) <= 0.02}  # cai, dan, fay
    listed = set(re.findall(r"row \d+: (\w+), hw1, nernst-potassium, part E_K: 0 → 1 of 1", out))
    assert listed == expected == {"cai", "dan", "fay"}
    assert "3 rows of 3 students changed, 3 rows unchanged" in out
    assert _scores(new) == {s: 1.0 if abs(e) <= 0.02 else 0.0 for s, e in ERRORS.items()}
    assert _scores(grades) == {s: 1.0 if abs(e) <= 0.01 else 0.0 for s, e in ERRORS.items()}


def test_in_chinese(files, tmp_path, capsys):
    answers, grades = files
    assert main(["--lang", "zh", "regrade", str(answers), "--grades", str(grades), "-j", "1",
                 "--no-progress", "--course-dir", str(_no_course(tmp_path))]) == 0
    assert "没有分数改变（共 6 行）" in capsys.readouterr().out


def test_grades_of_other_answers_are_refused(files, tmp_path, capsys):
    """A grades file of other answers is refused in one line; nothing is written."""
    answers, grades = files
    other = tmp_path / "other.csv"
    other.write_text(grades.read_text(encoding="utf-8").replace("ann", "zed", 1),
                     encoding="utf-8")
    before = other.read_bytes()
    assert main(["regrade", str(answers), "--grades", str(other), "-j", "1", "--no-progress",
                 "--course-dir", str(_no_course(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "row 1 of the grades file" in err and len(err.strip().splitlines()) == 1
    assert other.read_bytes() == before
    assert main(["regrade", str(answers), "--grades", str(answers), "-o", str(tmp_path / "x.csv")]) == 2
    assert "not a grades file" in capsys.readouterr().err
