"""Class mode: one student's standing on the assignment, read from the submissions table, and
the teacher's exports.

A part's mark is its best counted submission (as ``practice`` keeps the best try), its score
the share the scoring policy credits that try (:mod:`membranelab.service.scoring`) already
multiplied by the part's hint credit (:mod:`membranelab.web.db`); whether the part is finished
and its tries left are the policy's too; the answers export holds
that submission per (student, problem, part), in the columns of ``grade -o`` (student,
assignment, problem, part, answer, score, points, correct, note, feedback, expected) and then
``hints`` (hints of the part shown before that submission), so it can also be fed back to
``membranelab grade`` (which reads the columns it knows by name and grades without hints).  Totals: one row per rostered student, in
the layouts of ``grade --totals`` (:mod:`membranelab.service.totals`: long, or Canvas's import).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from membranelab.grading.numformat import csv_number
from membranelab.service.answers_csv import OUTPUT_COLUMNS
from membranelab.service.scoring import Stored, is_choice, standing_of
from membranelab.service.spreadsheet import SafeWriter
from membranelab.service.totals import Total

from .db import ClassDB, Submission

__all__ = [
    "ANSWERS_COLUMNS",
    "SUBMISSION_COLUMNS",
    "ClassBook",
    "PartMark",
    "answers_rows",
    "best_submissions",
    "csv_text",
    "submission_rows",
    "totals_rows",
]

#: Columns of the full submissions log export.
SUBMISSION_COLUMNS = ("id", "student", "assignment", "problem", "part", "try", "counted", "answer",
                      "score", "points", "correct", "note", "feedback", "level", "submitted_utc",
                      "hints", "late")
#: Columns of the answers export: ``grade -o``'s, then the hints shown before the answer.
ANSWERS_COLUMNS = (*OUTPUT_COLUMNS, "hints")


@dataclass(frozen=True)
class PartMark:
    """A student's standing on one part in class mode (``hints``: hints of it shown)."""

    tries: int
    earned: float
    finished: bool
    correct: bool
    last: Submission | None
    hints: int = 0
    #: tries left under the part's limit (None: no limit; ``finished`` says whether it takes one)
    left: int | None = 0


def best_submissions(subs: Iterable[Submission]) -> dict[tuple[str, str, str, str], Submission]:
    """Per (student, assignment, problem, part): the counted submission with the highest score
    (the earliest among equals)."""
    best: dict[tuple[str, str, str, str], Submission] = {}
    for sub in subs:
        if not sub.counted:
            continue
        key = (sub.student, sub.assignment, sub.problem, sub.part)
        if key not in best or sub.score > best[key].score:
            best[key] = sub
    return best


class ClassBook:
    """One student's marks on the class's assignment."""

    def __init__(self, db: ClassDB, student: str, assignment: str,
                 rules: Callable[[Any, Any], Any]) -> None:
        self.db = db
        self.student = student
        self.assignment = assignment
        self.rules = rules  # (problem, part) -> the part's scoring rules for this student

    def marks(self, problems: Sequence[Any], *, with_last: bool = False,
              totals: dict[tuple[str, str], tuple[int, float, bool]] | None = None,
              with_hints: bool = True) -> dict[tuple[str, str], PartMark]:
        """(problem id, part id) -> mark, for every part of ``problems`` (``with_last``: also
        each part's latest submission, counted or not; ``totals``: :meth:`ClassDB.part_totals`
        already read; ``with_hints=False``: the hints shown are not read, every mark says 0)."""
        if totals is None:
            totals = self.db.part_totals(self.student, self.assignment)
        shown = (self.db.all_hints(student=self.student, assignment=self.assignment)
                 if with_hints else {})
        last: dict[tuple[str, str], Submission] = {}
        if with_last:
            for sub in self.db.list_submissions(student=self.student, assignment=self.assignment):
                last[(sub.problem, sub.part)] = sub
        out: dict[tuple[str, str], PartMark] = {}
        for problem in problems:
            for part in problem.parts:
                key = (problem.id, part.id)
                tries, earned, correct = totals.get(key, (0, 0.0, False))
                now = self.standing(problem, part, (tries, earned, correct))
                out[key] = PartMark(tries=tries, earned=earned, finished=now.closed,
                                    correct=correct, last=last.get(key),
                                    hints=shown.get((self.student, self.assignment, *key), 0),
                                    left=now.tries_left)
        return out

    def standing(self, problem: Any, part: Any, total: tuple[int, float, bool]) -> Any:
        """The policy's standing of a part from its :meth:`ClassDB.part_totals` entry."""
        tries, earned, correct = total
        points = float(part.points)
        best = min(1.0, earned / points) if points > 0 else 0.0
        return standing_of(Stored(tries, best, correct), self.rules(problem, part),
                           choice=is_choice(part))

    @staticmethod
    def total(marks: dict[tuple[str, str], PartMark], problems: Sequence[Any]
              ) -> tuple[float, float]:
        """Points earned in ``marks`` and points of the whole assignment."""
        return (sum(m.earned for m in marks.values()),
                sum(p.points for problem in problems for p in problem.parts))

    def score(self, problems: Sequence[Any]) -> tuple[float, float]:
        """Points earned and points of the whole assignment."""
        return self.total(self.marks(problems), problems)


def answers_rows(subs: Iterable[Submission], expected: Any) -> list[list[str]]:
    """The answers export (``grade -o`` columns): each part's best counted submission;
    ``expected(problem, part, student)`` gives the expected-answer text."""
    best = best_submissions(subs)
    rows = []
    for (student, assignment, problem, part), sub in sorted(best.items()):
        rows.append([student, assignment, problem, part, sub.answer,
                     csv_number(sub.weight * sub.score), csv_number(sub.weight),
                     "true" if sub.correct else "false", sub.note,
                     " ".join(sub.feedback.split()), expected(problem, part, student),
                     str(sub.hints)])
    return rows


def totals_rows(subs: Iterable[Submission], students: Sequence[str], assignment: str,
                max_points: float) -> list[Total]:
    """One :class:`membranelab.service.totals.Total` per rostered student (those who submitted
    nothing score 0), sorted by student as ``grade --totals`` writes them: the maximum is
    every part of the assignment, ``answered`` the parts with a counted answer."""
    best = best_submissions(subs)
    totals = []
    for student in sorted(students):
        mine = [s for k, s in best.items() if k[0] == student and k[1] == assignment]
        totals.append(Total(student, assignment, round(sum(s.score * s.weight for s in mine), 6),
                            round(max_points, 6), sum(1 for s in mine if s.answer.strip())))
    return totals


def submission_rows(subs: Iterable[Submission]) -> list[list[str]]:
    """Every submission, in the order recorded."""
    import datetime as dt

    rows = []
    for index, s in enumerate(subs, start=1):
        when = dt.datetime.fromtimestamp(s.created, dt.timezone.utc).isoformat(timespec="seconds")
        rows.append([str(index), s.student, s.assignment, s.problem, s.part, str(s.seq),
                     "true" if s.counted else "false", s.answer, csv_number(s.score * s.weight),
                     csv_number(s.weight), "true" if s.correct else "false", s.note,
                     " ".join(s.feedback.split()), s.level, when, str(s.hints),
                     "true" if s.late else "false"])
    return rows


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV text: header then rows (every cell safe to open in a spreadsheet)."""
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()

