"""Records from the grading service's result model (:class:`membranelab.service.Verdict`).

A front end that grades through the service (and keeps its verdicts) hands the report one
student's tries of one part, oldest first; :func:`record_from_verdicts` makes the report's
record of them: the final credited score is the best ``earned`` of the tries that counted (an
unreadable answer costs no try), the first try gives the note, the answer and, for a choice part,
the choice the grader read (``result.params["choice"]``, no re-reading).  Hint credit is the
caller's: ``credit`` (the part's credit after the hints shown) multiplies the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import PartRecord

if TYPE_CHECKING:
    from membranelab.service import Verdict

__all__ = ["record_from_verdicts"]


def record_from_verdicts(verdicts: Sequence[Verdict], *, hints: int = 0, credit: float = 1.0
                         ) -> PartRecord:
    """One student's record of one part from their verdicts, oldest first (ValueError for none,
    or for verdicts of different students or parts)."""
    if not verdicts:
        raise ValueError("no verdicts")
    first = verdicts[0]
    r = first.request
    where = (r.student, r.assignment, r.problem, r.part)
    if any((v.request.student, v.request.assignment, v.request.problem, v.request.part) != where
           for v in verdicts):
        raise ValueError(f"verdicts of several parts or students: {where} and others")
    counted = [v for v in verdicts if v.counted]
    choice = first.result.params.get("choice")
    return PartRecord(
        student=r.student or "", assignment=r.assignment, problem=r.problem, part=r.part,
        score=max((v.earned for v in counted), default=0.0) * credit, points=first.points,
        note=first.note, answer=str(first.request.answer),
        choice=choice if isinstance(choice, str) else None, hints=hints, tries=len(counted))
