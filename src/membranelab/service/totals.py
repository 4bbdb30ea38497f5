"""Totals per (student, assignment) from a graded batch: what a gradebook imports.

``membranelab grade answers.csv -o grades.csv --totals totals.csv`` writes one row per (student,
assignment)::

    student,assignment,score,maximum,percentage,parts_answered
    alice,hw1,7.5,12,62.5,9

The **maximum** of an assignment whose problems are known (``course/assignments.yaml``, or the
file given with ``--assignments``) is the sum of the points of every part of its problems,
whatever the student answered: a mistyped problem or part id is a row error that still counts
toward it, so a typo cannot shrink a denominator.  For an assignment that is not in that file,
the maximum is the points of the distinct known parts the student answered (a warning says so).
Superseded and malformed rows add nothing; ``parts_answered`` counts the distinct parts with a
graded, non-empty answer.  ``layout="canvas"`` writes the same totals as Canvas's gradebook
import wants them: one row per student, one column per assignment (see README.md).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from membranelab.grading.numformat import csv_number
from membranelab.service.spreadsheet import SafeWriter

if TYPE_CHECKING:
    from membranelab.bank import Bank
    from membranelab.service.answers_csv import AnswerRow

__all__ = ["LAYOUTS", "TOTALS_COLUMNS", "Total", "assignment_problems", "compute_totals",
           "totals_csv_text"]

#: Columns of the long layout, in order.
TOTALS_COLUMNS = ("student", "assignment", "score", "maximum", "percentage", "parts_answered")
#: Layouts of the totals file.
LAYOUTS = ("long", "canvas")
#: Canvas gradebook import: the identifying columns before the assignments (the student id is
#: written as the SIS Login ID; the others are left empty for Canvas to match on that one).
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: The warning for an assignment the totals do not know (catalog keys: with an assignments file,
#: and without one); its parameter ``assignment``.
UNKNOWN_ASSIGNMENT = ("totals.unknown_assignment", "totals.unknown_assignment_no_file")
#: Notes of result rows that count for nothing.
_NOT_COUNTED = {"row.superseded", "row.malformed", "row.ungraded"}


@dataclass(frozen=True)
class Total:
    """One student's result in one assignment."""

    student: str
    assignment: str
    score: float
    maximum: float
    answered: int

    @property
    def percentage(self) -> float:
        """100 × score / maximum (0 when the maximum is 0)."""
        return 100.0 * self.score / self.maximum if self.maximum else 0.0


def assignment_problems(path: str | Path, bank: Bank) -> dict[str, tuple[str, ...]]:
    """Assignment id (trimmed, case-folded) -> its problem ids, from an ``assignments.yaml``."""
    from membranelab.service.assignments import load_assignments

    return {a.id.strip().casefold(): a.problems
            for a in load_assignments(path, bank.problems)}


def _points(bank: Bank, problem_id: str) -> dict[str, float]:
    problem = bank.problems.get(problem_id)
    return {} if problem is None else {p.id.casefold(): float(p.points) for p in problem.parts}


def compute_totals(rows: list[AnswerRow], results: Mapping[int, list[str]], bank: Bank,
                   assignments: Mapping[str, tuple[str, ...]] | None = None
                   ) -> tuple[list[Total], list[dict[str, str]]]:
    """(totals sorted by student then assignment, warnings) from graded rows and their results
    (``[score, points, correct, note, ...]``); each warning a message (``{"msg": key,
    **params}``, said in any language by :func:`membranelab.messages.gettext`)."""
    assignments = assignments or {}
    score: dict[tuple[str, str], float] = {}
    answered: dict[tuple[str, str], set[tuple[str, str]]] = {}
    seen_parts: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
    for row in rows:
        if not row.student or not row.assignment:
            continue
        key = (row.student, row.assignment)
        score.setdefault(key, 0.0)
        answered.setdefault(key, set())
        seen_parts.setdefault(key, {})
        fields = results[row.index]
        if fields[3] in _NOT_COUNTED:
            continue
        part = row.part.strip().casefold()
        points = _points(bank, row.problem)
        if part in points:
            seen_parts[key][(row.problem, part)] = points[part]
            if row.answer.strip():
                answered[key].add((row.problem, part))
        score[key] += float(fields[0])
    unknown = sorted({a for _, a in score if a not in assignments})
    said = UNKNOWN_ASSIGNMENT[0] if assignments else UNKNOWN_ASSIGNMENT[1]
    warnings = [{"msg": said, "assignment": repr(a)} for a in unknown]
    totals = []
    for (student, assignment), earned in sorted(score.items()):
        if assignment in assignments:
            maximum = sum(sum(_points(bank, pid).values()) for pid in assignments[assignment])
        else:
            maximum = sum(seen_parts[(student, assignment)].values())
        totals.append(Total(student, assignment, round(earned, 6), round(maximum, 6),
                            len(answered[(student, assignment)])))
    return totals, warnings


def totals_csv_text(totals: list[Total], layout: str = "long") -> str:
    """The totals file's text in ``layout`` (``long`` or ``canvas``)."""
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, lineterminator="\n")
    if layout == "long":
        writer.writerow(TOTALS_COLUMNS)
        for t in totals:
            writer.writerow([t.student, t.assignment, csv_number(t.score), csv_number(t.maximum),
                             f"{t.percentage:.2f}", t.answered])
        return buffer.getvalue()
    if layout != "canvas":
        raise ValueError(f"unknown totals layout {layout!r}; layouts: {', '.join(LAYOUTS)}")
    assignments = sorted({t.assignment for t in totals})
    maxima = {a: max(t.maximum for t in totals if t.assignment == a) for a in assignments}
    writer.writerow([*CANVAS_COLUMNS, *assignments])
    writer.writerow(["Points Possible", "", "", "", "",
                     *(csv_number(maxima[a]) for a in assignments)])
    by_student: dict[str, dict[str, Total]] = {}
    for t in totals:
        by_student.setdefault(t.student, {})[t.assignment] = t
    for student, theirs in sorted(by_student.items()):
        writer.writerow(["", "", "", student, "",
                         *(csv_number(theirs[a].score) if a in theirs else "" for a in assignments)])
    return buffer.getvalue()
