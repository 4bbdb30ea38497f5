"""What the report reads: one record per (student, assignment, problem, part).

Every source (a grades CSV from ``membranelab grade``, a class-mode database, an nbgrader
gradebook) is read into :class:`PartRecord` values and nothing else; the statistics
(:mod:`.stats`, :mod:`.analysis`) know no source.  The record is deliberately small so that it can
later be read off the grading service's one result model.

``score`` is the final credited score in points (after hint credit, best counted try), ``points``
the part's maximum; ``note``, ``answer`` and ``choice`` describe the student's *first* try (the
grader's note such as ``mistake.log10``; the answer text; for a choice part the choice it selects,
else None); ``hints`` is how many hints the student was shown; ``tries`` how many tries counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["BLANK", "GRADEBOOK", "SQLITE_MAGIC", "PartKey", "PartRecord", "ReportInputError"]

#: The note of a part a student left blank (or never answered in an assignment they submitted).
BLANK = "answer.empty"

#: The first bytes of an SQLite database file (a class database or a gradebook).
SQLITE_MAGIC = b"SQLite format 3\x00"
#: An nbgrader gradebook's file name in a course directory.
GRADEBOOK = "gradebook.db"

#: A part of an assignment: (problem, part).
PartKey = tuple[str, str]


class ReportInputError(ValueError):
    """A source cannot be read as a class's results; ``key`` and ``params`` name the message
    of the catalog that says why (the command line shows it as one line)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class PartRecord:
    """One student's result on one part of one assignment (see the module's docstring)."""

    student: str
    assignment: str
    problem: str
    part: str
    score: float
    points: float
    note: str = ""
    answer: str = ""
    choice: str | None = None
    hints: int = 0
    tries: int = 1
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("score", "points"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if self.hints < 0 or self.tries < 0:
            raise ValueError("hints and tries must be >= 0")

    @property
    def key(self) -> PartKey:
        """(problem, part)."""
        return (self.problem, self.part)
