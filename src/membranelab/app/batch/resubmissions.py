"""Which rows of an answers export count: resubmissions and problems outside their assignment.

* Of the rows answering the same (student, assignment, problem, part), the one with the latest
  ``timestamp`` (where the file has timestamps), else the last in the file, is graded; the
  others are *superseded*: 0 points, not counted, reported.
* Where an assignment's problems are known (``--assignments``), a row answering another problem
  under it is a row error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from membranelab.service.answers_csv import AnswerRow

__all__ = ["outside", "superseded"]



def outside(row: AnswerRow, assignments: Mapping[str, tuple[str, ...]] | None) -> AnswerRow:
    """The row, made a row error when its assignment's problems are known and exclude it."""
    if row.error is not None or not assignments or row.assignment not in assignments:
        return row
    known = assignments[row.assignment]
    if row.problem in known:
        return row
    return replace(row, error={"msg": "csv.not_in_assignment", "problem": repr(row.problem),
                               "assignment": repr(row.assignment), "known": ", ".join(known)})


def superseded(rows: list[AnswerRow]) -> dict[int, AnswerRow]:
    """Row index -> the row that replaces it: of the rows answering the same (student,
    assignment, problem, part), the one with the latest ``timestamp`` (where the file has
    timestamps), else the last in the file, wins."""
    latest: dict[tuple[str, str, str, str], AnswerRow] = {}
    for row in rows:
        key = (row.student, row.assignment, row.problem, row.part.casefold())
        best = latest.get(key)
        if best is None or _later(row, best):
            latest[key] = row
    return {row.index: latest[key] for row in rows
            if latest[key := (row.student, row.assignment, row.problem, row.part.casefold())]
            is not row}


def _later(row: AnswerRow, other: AnswerRow) -> bool:
    """True when ``row`` replaces ``other``: a later timestamp, or the same (or none) and later
    in the file."""
    if row.timestamp is not None and other.timestamp is not None \
            and row.timestamp != other.timestamp:
        return row.timestamp > other.timestamp
    return row.index > other.index
