"""A student's practice progress: one small JSON file in the user's data directory.

The directory is ``platformdirs.user_data_dir("membranelab")``, or ``$MEMBRANELAB_DATA_DIR``
when set (tests, shared machines).  The file is rewritten atomically after every graded attempt,
so a killed session resumes at the last answer given.

Layout of ``progress.json``::

    {"version": 1,
     "students": {"alice": {"problems": {"nernst-potassium": {
         "part": 1, "tries": {"E_K": 2}, "scores": {"E_K": 1.0}, "hints": {"E_K": 1},
         "revealed": false, "done": false}}}}}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from membranelab.app.atomic import atomic_write_text
from membranelab.app.errors import CliError

__all__ = ["DATA_DIR_ENV", "ProblemProgress", "ProgressStore", "data_dir"]

#: Environment variable that overrides the data directory.
DATA_DIR_ENV = "MEMBRANELAB_DATA_DIR"
_VERSION = 1
_FILE_NAME = "progress.json"


def data_dir() -> Path:
    """The directory holding membranelab's per-user files ($MEMBRANELAB_DATA_DIR wins)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("membranelab", appauthor=False))


@dataclass
class ProblemProgress:
    """Where a student stands on one problem (mutable; saved by :class:`ProgressStore`)."""

    part: int = 0
    tries: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)
    revealed: bool = False
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"part": self.part, "tries": dict(self.tries), "scores": dict(self.scores),
                "hints": dict(self.hints), "revealed": self.revealed, "done": self.done}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProblemProgress:
        """Rebuild from :meth:`to_dict`; wrong types raise ``ValueError``."""
        try:
            return cls(part=int(data.get("part", 0)),
                       tries={str(k): int(v) for k, v in dict(data.get("tries", {})).items()},
                       scores={str(k): float(v) for k, v in dict(data.get("scores", {})).items()},
                       hints={str(k): int(v) for k, v in dict(data.get("hints", {})).items()},
                       revealed=bool(data.get("revealed", False)),
                       done=bool(data.get("done", False)))
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"bad progress entry: {exc}") from exc


class ProgressStore:
    """Load, query and atomically save every student's progress in one file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / _FILE_NAME
        self._students: dict[str, dict[str, ProblemProgress]] = self._read()
        self._touched: set[str] = set()

    def _read(self) -> dict[str, dict[str, ProblemProgress]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != _VERSION:
                raise ValueError("unknown layout or version")
            return {str(student): {str(pid): ProblemProgress.from_dict(p)
                                   for pid, p in dict(entry.get("problems", {})).items()}
                    for student, entry in dict(data.get("students", {})).items()}
        except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
            raise CliError(f"cannot read progress file {self.path}: {exc}; "
                           f"delete it or set {DATA_DIR_ENV} to start afresh") from exc

    def get(self, student: str, problem_id: str) -> ProblemProgress:
        """The student's progress on a problem, created empty if new (not saved until :meth:`save`)."""
        self._touched.add(student)
        return self._students.setdefault(student, {}).setdefault(problem_id, ProblemProgress())

    def known(self, student: str, problem_id: str) -> bool:
        """True when the student has started this problem."""
        return problem_id in self._students.get(student, {})

    def started(self, student: str) -> list[str]:
        """The ids of the problems the student has progress on."""
        return sorted(self._students.get(student, {}))

    def reset(self, student: str, problem_ids: list[str] | None = None) -> None:
        """Forget one student's progress on ``problem_ids``, or on every problem when None
        (saved by the next :meth:`save`)."""
        self._touched.add(student)
        if problem_ids is None:
            self._students.pop(student, None)
            return
        entry = self._students.get(student, {})
        for problem_id in problem_ids:
            entry.pop(problem_id, None)

    def save(self) -> None:
        """Write atomically: the students used here over what the file holds now (so sessions
        of other students running at the same time keep their progress)."""
        current = self._read()
        for student in self._touched:
            current.pop(student, None)
            if student in self._students:
                current[student] = self._students[student]
        self._students = current
        data = {"version": _VERSION,
                "students": {s: {"problems": {pid: p.to_dict() for pid, p in probs.items()}}
                             for s, probs in sorted(self._students.items())}}
        try:
            atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            raise CliError(f"cannot write progress file {self.path}: {exc.strerror or exc}") from exc
