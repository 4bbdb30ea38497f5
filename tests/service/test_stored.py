"""Stored verdicts: a row a front end stored, read back into the grading service's result
model (the numbers below are the rows' own: earned / points by hand)."""

from __future__ import annotations

import pytest

from membranelab.service import Verdict
from membranelab.service.stored import StoredResult, stored_verdict


def _row(**changes):
    row = dict(student="alice", assignment="hw1", problem="nernst-potassium", part="E_K",
               answer="-41 mV", earned=0.0, points=2.0, correct=False, note="mistake.log10")
    row.update(changes)
    return row


class TestStoredVerdict:
    def test_a_verdict_of_the_service(self):
        """The row becomes a Verdict: its note is the message id, credit = earned / points."""
        verdict = stored_verdict(**_row(earned=1.6, correct=True, note="correct"))
        assert isinstance(verdict, Verdict)
        assert (verdict.note, verdict.message_id, verdict.correct) == ("correct", "correct", True)
        assert verdict.score == pytest.approx(0.8) and verdict.earned == pytest.approx(1.6)
        assert (verdict.request.student, verdict.request.part) == ("alice", "E_K")

    def test_the_sentence_is_not_kept_as_the_message(self):
        """A stored feedback sentence stays text; the message id is the note."""
        verdict = stored_verdict(**_row(), feedback="Did you use log10?")
        assert verdict.message_id == "mistake.log10"
        assert verdict.result.feedback == "Did you use log10?"

    def test_counted_and_reading(self):
        """``counted`` is the result's readable flag; what was read is kept as data."""
        verdict = stored_verdict(**_row(part="direction", answer="ｂ", note="choice.wrong"),
                                 counted=False, reading={"choice": "into the cell"})
        assert verdict.counted is False
        assert verdict.result.reading == {"choice": "into the cell"}

    def test_right_but_worth_nothing_is_kept(self):
        """A right answer handed in late with a late share of 0: correct, credit 0 (a
        grader's PartResult refuses that; a stored one keeps what was stored)."""
        verdict = stored_verdict(**_row(earned=0.0, correct=True, note="correct"))
        assert verdict.correct and verdict.earned == 0.0

    def test_extra_credit_is_kept(self):
        """A gradebook's extra credit: 2.5 of 2 points is credit 1.25."""
        assert stored_verdict(**_row(earned=2.5)).score == pytest.approx(1.25)

    @pytest.mark.parametrize(("changes", "match"), [
        ({"earned": -1.0}, "earned must be a finite number >= 0"),
        ({"earned": float("nan")}, "earned must be a finite number >= 0"),
        ({"points": float("inf")}, "points must be a finite number >= 0"),
        ({"earned": 1.0, "points": 0.0}, "points earned on a part worth none"),
    ])
    def test_bad_numbers(self, changes, match):
        """Numbers a grader never stores are refused, naming the field."""
        with pytest.raises(ValueError, match=match):
            stored_verdict(**_row(**changes))


def test_stored_result_refuses_a_negative_credit():
    """StoredResult's credit is a finite number >= 0."""
    with pytest.raises(ValueError, match="finite number >= 0"):
        StoredResult(correct=False, score=-0.5, note="x")
