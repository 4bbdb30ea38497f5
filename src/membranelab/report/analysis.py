"""A class's report from its records: per assignment, per part, per student (no I/O).

:func:`analyse` groups :class:`~.model.PartRecord` values by assignment and builds, for each, the
students x parts matrix of final credited scores and the statistics of :mod:`.stats`.

* **Who counts:** a student counts in an assignment when they have at least one record in it
  (students who never submitted are left out); a part they did not answer counts 0 (a blank).
* **Scores** (facility, SD, discrimination, efficiency, alpha, totals) come from the final
  credited score; **option and mistake shares** from the first try.
* **Mistakes table** of a part: each named mistake (``mistake.*``), unreadable answers, answers
  needing review and blanks (:func:`.notes.note_kind` of the first try's note), and hints taken
  (at least one hint shown).  ``count`` students had it, ``share = count / S``, ``cost`` of them
  ended below the part's points; rows are sorted by cost, then count, then name.
* **Options** of a choice part (a part where some first try selected a choice): each choice's
  share among all students, the top third and the bottom third (:func:`.stats.thirds`), with
  ``None`` for a first try that selected no choice (blank or unreadable); ``key`` marks the
  choices whose first try was graded ``correct``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import stats
from .model import BLANK, PartKey, PartRecord
from .notes import NEEDS_REVIEW, note_kind

__all__ = ["AssignmentReport", "ClassReport", "NoteShare", "OptionShare", "PartReport",
           "StudentRow", "analyse"]

#: The notes of a first try that selected the right choice.
_CORRECT = frozenset({"correct", "choice.correct"})
#: How many named mistakes the report's bar chart shows.
TOP_MISTAKES = 10


@dataclass(frozen=True)
class NoteShare:
    """One row of a part's mistakes table (``note``: the note, or the kind for aggregate rows)."""

    kind: str
    note: str
    count: int
    share: float
    cost: int


@dataclass(frozen=True)
class OptionShare:
    """One choice of a choice part (``option`` None: no choice selected)."""

    option: str | None
    key: bool
    share: float
    top: float
    bottom: float


@dataclass(frozen=True)
class PartReport:
    """The statistics of one part (percentages; None where undefined)."""

    problem: str
    part: str
    points: float
    students: int
    mean: float
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    mistakes: tuple[NoteShare, ...]
    options: tuple[OptionShare, ...]

    @property
    def label(self) -> str:
        """``problem/part``."""
        return f"{self.problem}/{self.part}"


@dataclass(frozen=True)
class StudentRow:
    """One student's line: total, each part's score (in the assignment's part order), hints
    shown, flags (``needs_review`` when a part awaits review, then the records' own flags such
    as ``flagged``)."""

    student: str
    total: float
    percent: float
    scores: tuple[float, ...]
    hints: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class AssignmentReport:
    """One assignment: summary of totals, alpha, histogram, parts, students, top mistakes."""

    assignment: str
    maximum: float
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None
    histogram: tuple[int, ...]
    top_group: int
    bottom_group: int
    parts: tuple[PartReport, ...]
    students: tuple[StudentRow, ...]
    top_mistakes: tuple[tuple[str, str, int], ...]  # (part label, note, count)


@dataclass(frozen=True)
class ClassReport:
    """Every assignment of a source, in order of first appearance."""

    assignments: tuple[AssignmentReport, ...]


def analyse(records: Iterable[PartRecord]) -> ClassReport:
    """The report of ``records`` (at most one per student, assignment, problem and part:
    ValueError naming the duplicate otherwise)."""
    by_assignment: dict[str, dict[tuple[str, PartKey], PartRecord]] = {}
    for record in records:
        cell = by_assignment.setdefault(record.assignment, {})
        where = (record.student, record.key)
        if where in cell:
            raise ValueError(f"two records for {record.student} / {record.assignment} / "
                             f"{record.problem} / {record.part}")
        cell[where] = record
    return ClassReport(tuple(_assignment(name, cell) for name, cell in by_assignment.items()))


def _assignment(name: str, cell: dict[tuple[str, PartKey], PartRecord]) -> AssignmentReport:
    students = list(dict.fromkeys(s for s, _ in cell))
    parts = list(dict.fromkeys(k for _, k in cell))
    points = np.array([max(r.points for (_, k), r in cell.items() if k == key) for key in parts])
    x = np.zeros((len(students), len(parts)))
    row = {s: i for i, s in enumerate(students)}
    col = {k: j for j, k in enumerate(parts)}
    for (student, key), record in cell.items():
        x[row[student], col[key]] = record.score
    totals = x.sum(axis=1)
    rest = stats.rest_of_test(x)
    top, bottom = stats.thirds(totals)
    maximum = float(points.sum())
    percents = 100.0 * totals / maximum if maximum > 0 else np.zeros_like(totals)
    reports = []
    for j, key in enumerate(parts):
        firsts = [cell.get((s, key)) for s in students]
        reports.append(PartReport(
            problem=key[0], part=key[1], points=float(points[j]), students=len(students),
            mean=float(x[:, j].mean()), facility=stats.facility(x[:, j], points[j]),
            sd=stats.sd_percent(x[:, j], points[j]),
            discrimination=stats.discrimination(x[:, j], rest[:, j]),
            efficiency=stats.efficiency(x[:, j], rest[:, j]),
            mistakes=_mistakes(firsts, x[:, j], float(points[j])),
            options=_options(firsts, top, bottom)))
    mean, median, sd = stats.summary(totals)
    return AssignmentReport(
        assignment=name, maximum=maximum, mean=mean, median=median, sd=sd,
        alpha=stats.alpha(x), histogram=stats.histogram(percents),
        top_group=int(top.sum()), bottom_group=int(bottom.sum()), parts=tuple(reports),
        students=tuple(_student(s, x[i], percents[i], [cell.get((s, k)) for k in parts])
                       for i, s in enumerate(students)),
        top_mistakes=_top_mistakes(reports))


def _mistakes(firsts: list[PartRecord | None], scores: np.ndarray, points: float
              ) -> tuple[NoteShare, ...]:
    """The part's mistakes table (see the module's docstring)."""
    count: dict[tuple[str, str], int] = {}
    cost: dict[tuple[str, str], int] = {}
    for record, score in zip(firsts, scores, strict=True):
        note = record.note.strip() if record is not None else BLANK  # never answered
        kind = note_kind(note)
        rows = []
        if kind is not None:
            rows.append((kind, note if kind == "mistake" else kind))
        if record is not None and record.hints > 0:
            rows.append(("hints", "hints"))
        for key in rows:
            count[key] = count.get(key, 0) + 1
            cost[key] = cost.get(key, 0) + int(score < points - 1e-9)
    total = len(firsts)
    shares = [NoteShare(kind, note, n, n / total, cost[(kind, note)])
              for (kind, note), n in count.items()]
    return tuple(sorted(shares, key=lambda s: (-s.cost, -s.count, s.note)))


def _options(firsts: list[PartRecord | None], top: np.ndarray, bottom: np.ndarray
             ) -> tuple[OptionShare, ...]:
    """The choices' shares overall, in the top and in the bottom third (empty: not a choice
    part)."""
    chosen = [r.choice if r is not None else None for r in firsts]
    if all(c is None for c in chosen):
        return ()
    keys = {r.choice for r in firsts if r is not None and r.choice is not None
            and r.note in _CORRECT}
    options: list[str | None] = [*sorted({c for c in chosen if c is not None})]
    if any(c is None for c in chosen):
        options.append(None)
    def share(mask: np.ndarray, option: str | None) -> float:
        group = [c for c, inside in zip(chosen, mask, strict=True) if inside]
        return sum(c == option for c in group) / len(group) if group else 0.0

    everyone = np.ones(len(chosen), dtype=bool)
    return tuple(OptionShare(o, o in keys, share(everyone, o), share(top, o), share(bottom, o))
                 for o in options)


def _student(student: str, scores: np.ndarray, percent: float,
             records: list[PartRecord | None]) -> StudentRow:
    present = [r for r in records if r is not None]
    flags = tuple(dict.fromkeys(([NEEDS_REVIEW] if any(r.note == NEEDS_REVIEW for r in present)
                                 else []) + [f for r in present for f in r.flags]))
    return StudentRow(student, float(scores.sum()), float(percent),
                      tuple(float(v) for v in scores),
                      sum(r.hints for r in records if r is not None), flags)


def _top_mistakes(parts: list[PartReport]) -> tuple[tuple[str, str, int], ...]:
    """The :data:`TOP_MISTAKES` most common named mistakes over all parts (by count, then
    part and note)."""
    rows = [(p.label, m.note, m.count) for p in parts for m in p.mistakes if m.kind == "mistake"]
    return tuple(sorted(rows, key=lambda r: (-r[2], r[0], r[1]))[:TOP_MISTAKES])
