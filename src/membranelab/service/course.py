"""The course a request belongs to: which assignments are graded, and the secret that keys them.

A :class:`Course` is what decides *whose numbers* a student gets (:mod:`.numbers`).  Without a
course (:data:`NO_COURSE`) every variant is public: anyone with the package can compute it.  A
course read from its folder (:meth:`Course.open`) knows, from ``assignments.yaml``, which of its
assignments are graded; a graded assignment's variants are keyed by the course secret, which the
service loads only when a graded assignment is asked for and which never leaves it (no front end
receives it, no result or message carries it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .assignments import Assignment, AssignmentsError, load_assignments
from .errors import ServiceError
from .ids import normalize_id
from .secret import SecretError, load_secret, student_key

__all__ = ["ASSIGNMENTS_FILE", "DEFAULT_COURSE_DIR", "NO_COURSE", "Course"]

_log = logging.getLogger(__name__)

#: The course folder the commands use when none is given (relative to where they run).
DEFAULT_COURSE_DIR = "course"
#: The assignments file inside a course folder.
ASSIGNMENTS_FILE = "assignments.yaml"


@dataclass(frozen=True)
class Course:
    """Graded assignment ids (compared as :func:`~.ids.normalize_id`), the secret that keys
    them (None until needed or when absent), and where the course was read from."""

    graded: frozenset[str] = frozenset()
    secret: bytes | None = field(default=None, repr=False)
    folder: Path | None = None
    assignments: tuple[Assignment, ...] = ()
    secret_error: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "graded", frozenset(normalize_id(a) for a in self.graded))

    @classmethod
    def open(cls, folder: str | Path, problem_ids: Iterable[str] | None = None, *, secret: bytes | None = None
             ) -> Course:
        """The course in ``folder`` (its ``assignments.yaml``); the secret is looked for only
        when an assignment is graded.  ServiceError when the file cannot be read."""
        folder = Path(folder)
        path = folder / ASSIGNMENTS_FILE
        try:
            assignments = load_assignments(path, problem_ids)
        except AssignmentsError as exc:
            raise ServiceError("service.course_unreadable", error=str(exc)) from None
        graded = frozenset(normalize_id(a.id) for a in assignments if a.graded)
        error = ""
        if graded and secret is None:
            try:
                secret = load_secret(folder)
            except SecretError as exc:
                error = str(exc)
        return cls(graded=graded, secret=secret, folder=folder, assignments=assignments,
                   secret_error=error)

    @classmethod
    def find(cls, folder: str | Path | None, problem_ids: Iterable[str] | None = None
             ) -> Course:
        """The course in ``folder``, or in ``./course`` when it holds an assignments file, or
        :data:`NO_COURSE` when ``folder`` is None and there is none."""
        if folder is None:
            default = Path(DEFAULT_COURSE_DIR)
            if not (default / ASSIGNMENTS_FILE).is_file():
                return NO_COURSE
            folder = default
        if not (Path(folder) / ASSIGNMENTS_FILE).is_file():
            raise ServiceError("service.no_course", folder=str(folder))
        return cls.open(folder, problem_ids)

    def is_graded(self, assignment: str) -> bool:
        """True when ``assignment`` is one of this course's graded assignments."""
        return normalize_id(assignment) in self.graded

    def key(self, assignment: str, student: str) -> bytes | None:
        """The student's variant key in ``assignment``: None for an ungraded assignment;
        ServiceError when the assignment is graded and the secret is not here."""
        if not self.is_graded(assignment):
            return None
        if self.secret is None:
            raise ServiceError("service.secret_missing", assignment=assignment,
                               reason=self.secret_error or "-")
        return student_key(self.secret, assignment, student)

    def require_secret(self) -> None:
        """ServiceError now, rather than at the first graded row, when a graded course has no
        secret here."""
        if self.graded and self.secret is None:
            raise ServiceError("service.secret_missing", assignment=", ".join(sorted(self.graded)),
                               reason=self.secret_error or "-")


#: No course: every variant is public (self-study, a formative answers file).
NO_COURSE = Course()
