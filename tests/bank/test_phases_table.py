"""The answer kinds' two phases -- parse (text -> reading) once, then grade (reading -> result)
-- give every verdict the graders gave when each kind read its answer inside grading.

``data/verdicts.jsonl`` was recorded by ``bench/verdict_table.py --golden`` from the code before
the phases were split (commit f3d0dd2): the answers of ``tests/grading/test_student_forms.py``
and answers made from every part's reference in its canonical variant as students vary them,
each with its verdict's fields but not its sentence (the catalog's wording may change).  A
change meant to change a verdict regenerates the file and says why in its commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from membranelab.bank import grade_part, load_bank

TABLE = Path(__file__).parent / "data" / "verdicts.jsonl"
FIELDS = ("correct", "score", "note", "notes", "message_id", "params", "readable", "expected",
          "answer")


def _rows() -> list[list]:
    return [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_table_covers_every_problem_and_verdict():
    """The table holds every problem of the bank, right, wrong and unreadable answers."""
    rows = _rows()
    assert len(rows) > 700
    assert {r[0] for r in rows} == set(load_bank().problems)
    kinds = {(r[3]["correct"], r[3]["readable"]) for r in rows}
    assert kinds == {(True, True), (False, True), (False, False)}


def test_every_verdict_as_recorded(bank):
    """Each answer graded by grade_part gets the recorded verdict, field for field."""
    differ = []
    for problem_id, part_id, answer, recorded in _rows():
        problem = bank.problems[problem_id]
        result = grade_part(problem, problem.variant(), problem.part(part_id), answer)
        got = {k: v for k, v in result.to_dict().items() if k in FIELDS}
        if got != recorded:
            differ.append((problem_id, part_id, answer, recorded, got))
    assert differ == []


class TestReadOnce:
    """grade_part reads an answer once: the kind's grade judges the reading its parse gave."""

    def test_numeric_answer_read_once(self, bank, monkeypatch):
        """A wrong number whose rounding interval is checked (the path that used to read the
        answer again) is read once."""
        from membranelab.bank.kinds import numeric

        calls = []
        real = numeric.read_quantity

        def counting(answer, unit, **kw):
            calls.append(answer)
            return real(answer, unit, **kw)

        monkeypatch.setattr(numeric, "read_quantity", counting)
        problem = bank.problems["nernst-potassium"]
        result = grade_part(problem, problem.variant(), problem.part("E_K"), "-97,5 mV")
        assert (result.correct, result.readable) == (False, True)
        assert calls == ["-97,5 mV"]

    def test_formula_parsed_once(self, bank, monkeypatch):
        """A right formula is parsed by the kind's parse and not again by check_formula."""
        from membranelab.grading import formula

        def refuse(*args, **kw):
            raise AssertionError("check_formula parsed the answer again")

        monkeypatch.setattr(formula, "parse_expression", refuse)
        problem = bank.problems["nernst-potassium"]
        part = next(p for p in problem.parts if p.kind == "symbolic")
        answer = problem.variant().answer(part.id).text
        result = grade_part(problem, problem.variant(), part, answer)
        assert (result.correct, result.note) == (True, "correct")
