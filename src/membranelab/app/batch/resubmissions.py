"""Which rows of an answers export count: resubmissions and problems outside their assignment.

* Of the rows answering the same (student, assignment, problem, part), the one with the latest
  ``timestamp`` (where the file has timestamps), else the last in the file, is graded; the
  others are *superseded*: 0 points, not counted, reported.
* Where an assignment's problems are known (``--assignments``), a row answering another problem
  under it is a row error.
* A row whose timestamp cannot be read (or only by guessing its day/month order) is not graded;
  nor are the other rows answering the same part, whose order it leaves unknown
  (:func:`hold_unordered`): all are listed, none is scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from membranelab.service.answers_csv import AnswerRow

__all__ = ["hold_unordered", "outside", "superseded"]



def outside(row: AnswerRow, assignments: Mapping[str, tuple[str, ...]] | None) -> AnswerRow:
    """The row, made a row error when its assignment's problems are known and exclude it."""
    if row.error is not None or not assignments or row.assignment not in assignments:
        return row
    known = assignments[row.assignment]
    if row.problem in known:
        return row
    return replace(row, error={"msg": "csv.not_in_assignment", "problem": repr(row.problem),
                               "assignment": repr(row.assignment), "known": ", ".join(known)})


def _part_key(row: AnswerRow) -> tuple[str, str, str, str]:
    return (row.student, row.assignment, row.problem, row.part.casefold())


def hold_unordered(rows: list[AnswerRow]) -> list[AnswerRow]:
    """The rows, those answering the same part as an ungraded one (its timestamp unreadable)
    made ungraded too: which answer is the last is unknown."""
    unknown: dict[tuple[str, str, str, str], AnswerRow] = {}
    for row in rows:
        if row.ungraded is not None and row.error is None:
            unknown.setdefault(_part_key(row), row)
    out = []
    for row in rows:
        first = unknown.get(_part_key(row))
        if first is not None and row.ungraded is None and row.error is None:
            row = replace(row, ungraded={"msg": "batch.order_unknown", "line": first.line})
        out.append(row)
    return out


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
