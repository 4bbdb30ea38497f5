"""Records from the grading service's result model (:class:`membranelab.service.Verdict`).

Every reader of the report goes through here: a front end that grades through the service
hands over its verdicts, a reader of stored results makes verdicts of its rows first
(:func:`membranelab.service.stored.stored_verdict`).  :func:`record_from_verdicts` makes the
report's record of one student's tries of one part, oldest first:

* the final credited score is the best ``earned`` of the tries that counted (an unreadable
  answer costs no try), times ``credit`` (the caller's hint credit, when the verdicts are the
  grader's own; stored verdicts have it in ``earned`` already); the points are the part's;
* the first try gives the note (the result's stable tag, never the sentence), the answer and,
  for a choice part, the choice that was read: ``result.params["choice"]`` of a grader's
  verdict, else ``result.reading["choice"]`` of a stored one whose answer was read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .model import PartRecord

if TYPE_CHECKING:
    from membranelab.service import Verdict

__all__ = ["chosen", "record_from_verdicts", "with_choices"]


def chosen(verdict: Verdict) -> str | None:
    """The choice a verdict's answer selected (None: not a choice part, or no choice read)."""
    choice = verdict.result.params.get("choice")
    if not isinstance(choice, str):
        choice = getattr(verdict.result, "reading", {}).get("choice")
    return choice if isinstance(choice, str) else None


def record_from_verdicts(verdicts: Sequence[Verdict], *, hints: int = 0, credit: float = 1.0,
                         flags: tuple[str, ...] = ()) -> PartRecord:
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
    return PartRecord(
        student=r.student or "", assignment=r.assignment, problem=r.problem, part=r.part,
        score=max((v.earned for v in counted), default=0.0) * credit,
        points=max(v.points for v in verdicts), note=first.note, answer=str(r.answer),
        choice=chosen(first), hints=hints, tries=len(counted), flags=flags)


def with_choices(records: Iterable[PartRecord], choice_of: Callable[[str, str, str], str | None]
                 ) -> list[PartRecord]:
    """``records`` with the choice each first try's answer selects filled in where none was
    read (what a reader given ``choice_of`` does, after the fact: ``membranelab report``
    analyses the records for its figures before it opens the bank)."""
    return [replace(r, choice=choice_of(r.problem, r.part, r.answer))
            if r.choice is None and r.answer.strip() else r for r in records]
