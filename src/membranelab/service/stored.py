"""Verdicts read back from what a front end stored: a grades file's row, a class database's
submission, a gradebook's grade.

A stored verdict keeps the ids, the answer, the points earned, the note (the message id) and
whether the answer counted as a try; it does not keep the sentence's parameters or what the
grader read.  :func:`stored_verdict` makes a :class:`~.grading.Verdict` of such a row again, so a
reader of stored results (the class report) works on the same result model as one that grades
live: the note and the message id, never the feedback sentence, and ``result.reading`` for what
was read.  ``reading`` may be given by the caller that re-read the answer with the grader's own
reader (:func:`membranelab.service.readback.read_answer`), e.g. the choice a choice part's answer
selects.

The points earned are stored after every rule that scales them (hint credit, a late share), so
the credit of the result is ``earned / points``, and ``correct`` is what was stored: a right
answer worth nothing after those rules is kept as right with credit 0, and extra credit (an
nbgrader gradebook's) makes the credit more than 1 (:class:`StoredResult` allows both, where a
grader's :class:`~membranelab.grading.PartResult` does not).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .grading import GradeRequest, Verdict
from .numbers import PRACTICE_ASSIGNMENT

__all__ = ["StoredResult", "stored_verdict"]


@dataclass(frozen=True)
class StoredResult:
    """The part of a :class:`~membranelab.grading.PartResult` a front end stores (the same
    attribute names, so a :class:`Verdict` reads it as it reads a grader's result)."""

    correct: bool
    score: float
    note: str
    feedback: str = ""
    message_id: str = ""
    readable: bool = True
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    reading: Mapping[str, Any] = field(default_factory=dict, hash=False)
    expected: str = ""
    part_id: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.score) and self.score >= 0.0):
            raise ValueError(f"StoredResult.score must be a finite number >= 0, "
                             f"got {self.score!r}")


def stored_verdict(*, student: str, assignment: str = PRACTICE_ASSIGNMENT, problem: str,
                   part: str, answer: str, earned: float, points: float, correct: bool,
                   note: str, counted: bool = True, feedback: str = "",
                   reading: Mapping[str, Any] | None = None) -> Verdict:
    """The verdict a stored row records (``earned`` points of ``points``; ValueError for a
    number that is not finite or is negative, or for points earned on a part worth none)."""
    for name, value in (("earned", earned), ("points", points)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if points == 0 and earned > 0:
        raise ValueError(f"{earned!r} points earned on a part worth none")
    credit = earned / points if points > 0 else 0.0
    result = StoredResult(correct=bool(correct), score=credit, note=note, feedback=feedback,
                          message_id=note, readable=bool(counted), reading=dict(reading or {}),
                          part_id=part)
    request = GradeRequest(problem=problem, part=part, answer=answer, student=student,
                           assignment=assignment)
    # a StoredResult has every attribute a Verdict reads of a PartResult
    return Verdict(request, result, float(points))  # type: ignore[arg-type]
