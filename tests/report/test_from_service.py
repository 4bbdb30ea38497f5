"""Records from the grading service's verdicts: answers graded by GradingService for the
canonical numbers of nernst-potassium (no student id), as students type them."""

from __future__ import annotations

import math

import pytest

from membranelab.bank import load_bank
from membranelab.report import analyse
from membranelab.report.from_service import record_from_verdicts
from membranelab.service import GradeRequest, GradingService

# Canonical nernst-potassium (K_out 4 mM, K_in 140 mM, 37 C), by hand:
# E_K = 8.314462618 * 310.15 / 96485.33212 * ln(4/140) = -95.02 mV; log10 instead: -41.27 mV.
RT_F_MV = 8.314462618 * 310.15 / 96485.33212 * 1000
E_K = RT_F_MV * math.log(4 / 140)
E_K_LOG10 = RT_F_MV * math.log10(4 / 140)


@pytest.fixture(scope="module")
def service():
    return GradingService(load_bank())


def _verdicts(service, part, *answers, student=None):
    return [service.grade(GradeRequest("nernst-potassium", part, a, student=student,
                                       assignment="practice")) for a in answers]


def test_first_try_mistake_then_right(service):
    """log10 first (note mistake.log10), then right: score 1 of 1 point, two tries counted."""
    record = record_from_verdicts(_verdicts(service, "E_K", f"{E_K_LOG10:.1f} mV",
                                            f"{E_K:.1f} mV"))
    assert (record.note, record.score, record.points, record.tries) == (
        "mistake.log10", 1.0, 1.0, 2)
    assert record.answer == f"{E_K_LOG10:.1f} mV"


def test_unreadable_costs_no_try(service):
    """'banana' (unreadable, not counted) then a wrong value: no credit, one try counted."""
    record = record_from_verdicts(_verdicts(service, "E_K", "banana", "-20 mV"))
    assert record.note == "parse.error" and record.tries == 1 and record.score == 0.0


def test_choice_read_by_the_grader(service):
    """A letter and full-width Chinese IME text are named as the choice the grader read."""
    [letter] = _verdicts(service, "direction", "b")
    assert record_from_verdicts([letter]).choice == letter.result.params["choice"]
    report = analyse([record_from_verdicts(_verdicts(service, "direction", a, student=s))
                      for s, a in (("s1", "b"), ("s2", "into the cell"), ("s3", "ｂ"))])
    options = {o.option: o.share for o in report.assignments[0].parts[0].options}
    assert options == pytest.approx({"out of the cell": 2 / 3, "into the cell": 1 / 3})


def test_mixed_parts_refused(service):
    """Verdicts of two parts are not one record."""
    mixed = _verdicts(service, "E_K", "1 mV") + _verdicts(service, "direction", "b")
    with pytest.raises(ValueError, match="several parts"):
        record_from_verdicts(mixed)


def test_stored_choice_is_read_from_the_reading():
    """A stored verdict keeps no params: the choice is the reading's, and the best counted
    score of the stored tries is the record's (1.6 of 2 after a hint)."""
    from membranelab.service.stored import stored_verdict

    rows = [dict(answer="ｂ", earned=0.0, note="choice.wrong",
                 reading={"choice": "into the cell"}),
            dict(answer="zzz", earned=0.0, note="choice.invalid", counted=False),
            dict(answer="a", earned=1.6, note="correct", correct=True)]
    verdicts = [stored_verdict(student="s1", assignment="hw1", problem="p", part="dir",
                               points=2.0, **{"correct": False, **row}) for row in rows]
    record = record_from_verdicts(verdicts, hints=1)
    assert (record.choice, record.note, record.answer) == ("into the cell", "choice.wrong", "ｂ")
    assert (record.score, record.points, record.tries, record.hints) == (1.6, 2.0, 2, 1)


def test_with_choices_fills_only_what_was_not_read():
    """with_choices names the choice of a first try that has none; a blank stays None."""
    from membranelab.report import PartRecord
    from membranelab.report.from_service import with_choices

    records = [PartRecord("a", "hw1", "p", "dir", 1, 1, "correct", "b"),
               PartRecord("b", "hw1", "p", "dir", 0, 1, "answer.empty", "  "),
               PartRecord("c", "hw1", "p", "dir", 0, 1, "choice.wrong", "a", choice="kept")]
    filled = with_choices(records, lambda problem, part, answer: f"{part}:{answer}")
    assert [r.choice for r in filled] == ["dir:b", None, "kept"]
