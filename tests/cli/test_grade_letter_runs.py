"""Formulas whose letters run together before a power (issue 22), as students type them, with the
verdict a teacher gives, through ``membranelab.bank.grade_part`` and through ``membranelab grade``.

A run of one-letter symbols is a product and the power binds to the last letter only, as on
paper: ``CV^2/2`` is C·V²/2, the energy stored on the membrane capacitance (not (CV)²/2), and
``nm^(-1)`` is n·m⁻¹ = n/m, the coupling ratio of a pump moving n Na⁺ out per m K⁺ in (not
1/(nm)).  The parts are those of a small problem written here (a bank under tmp_path), whose
symbolic parts name the package's formulas ``capacitor_energy`` (C*V^2/2) and ``pump_coupling``
(n/m).  ``grade`` reads that bank with ``--bank`` in its worker processes (started by a fork
server: nothing patched in this process reaches them), so the command is run as a teacher runs
it, from an empty folder.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os

import pytest

from membranelab.bank import grade_part, load_bank
from tests.bank.bankfixture import write

RIGHT, WRONG, UNREAD = "right", "wrong", "unread"

PROBLEM = """---
id: capacitor-forms
title: Energy on the membrane capacitor
topic: capacitance
source: "test: issue 22, letter runs before a power"
params:
  V_rest: {low: -80, high: -60, step: 1, unit: mV, canonical: -70}
parts:
  - id: energy
    prompt: "Write the energy stored on the membrane capacitance using `C` and `V`."
    kind: symbolic
    formula: capacitor_energy
  - id: coupling
    prompt: "Write the pump's coupling ratio using `n` (Na⁺ out) and `m` (K⁺ in) per cycle."
    kind: symbolic
    formula: pump_coupling
---
A membrane at {{V_rest}} mV.
"""
SOLUTION = "U = C V²/2; r = n/m.\n"

# (part, answer as typed, the teacher's verdict, note)
CASES: list[tuple[str, str, str, str]] = [
    ("energy", "CV^2/2", RIGHT, "correct"),            # C·V²/2: the power on V only
    ("energy", "1/2 CV^2", RIGHT, "correct"),
    ("energy", "CV²/2", RIGHT, "correct"),             # a superscript two, as phones type it
    ("energy", "C*V^2/2", RIGHT, "correct"),
    ("energy", "(CV)^2/2", WRONG, "formula.not_equivalent"),  # brackets make the power whole
    ("energy", "CV/2", WRONG, "formula.not_equivalent"),
    ("coupling", "nm^(-1)", RIGHT, "correct"),          # n·m⁻¹
    ("coupling", "nm^-1", RIGHT, "correct"),
    ("coupling", "n m⁻¹", RIGHT, "correct"),
    ("coupling", "n/m", RIGHT, "correct"),
    ("coupling", "(nm)^(-1)", WRONG, "formula.not_equivalent"),  # 1/(n·m)
    ("coupling", "m/n", WRONG, "formula.not_equivalent"),
]


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory):
    return write(tmp_path_factory.mktemp("letters"), PROBLEM, "capacitor-forms", SOLUTION)


def verdict(score: float, correct: bool, readable: bool) -> str:
    if correct and score == 1.0:
        return RIGHT
    return WRONG if readable else UNREAD


@pytest.mark.parametrize(("part", "answer", "expected", "note"), CASES)
def test_grade_part(bank_dir, part, answer, expected, note) -> None:
    """Each form gets the teacher's verdict from ``grade_part``."""
    problem = load_bank(bank_dir).problems["capacitor-forms"]
    result = grade_part(problem, problem.variant("alice"), problem.part(part), answer)
    assert (verdict(result.score, result.correct, result.readable), result.note) == (
        expected, note), result.feedback


def test_letter_run_is_said(bank_dir) -> None:
    """A right letter run says how it was read (C·V), so the student can check."""
    from membranelab.messages import part_text

    problem = load_bank(bank_dir).problems["capacitor-forms"]
    result = grade_part(problem, problem.variant("alice"), problem.part("energy"), "CV^2/2")
    assert "formula.implicit_product" in result.notes
    assert "C·V" in part_text(result, lang="en", level="named")


@pytest.mark.slow
def test_grade_command(bank_dir, tmp_path) -> None:
    """The same verdicts in the grades file of ``membranelab grade`` (one assignment per row,
    so no row supersedes another)."""
    from membranelab.cli import main

    answers, output = tmp_path / "answers.csv", tmp_path / "grades.csv"
    with open(answers, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["student", "assignment", "problem", "part", "answer"])
        for number, (part, answer, _, _) in enumerate(CASES):
            out.writerow(["alice", f"form{number:02d}", "capacitor-forms", part, answer])
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(["--bank", str(bank_dir), "grade", str(answers), "-o", str(output),
                         "-j", "1", "--no-progress", "--lang", "en"])
    finally:
        os.chdir(here)
    assert code == 0, err.getvalue()
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert [(r["part"], r["answer"]) for r in rows] == [(c[0], c[1]) for c in CASES]
    for row, (_, answer, expected, note) in zip(rows, CASES, strict=True):
        full = float(row["score"]) == float(row["points"]) and row["correct"] == "true"
        got = RIGHT if full else WRONG
        assert (got, row["note"]) == (expected, note), (answer, row["feedback"])
