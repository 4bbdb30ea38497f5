"""Student ids as the service compares them, and the ids no student may have.

Every front end reads ids (rosters, answers CSVs, a class's sign-in, ``--student``) and passes
them here: an id is compared after :func:`membranelab.bank.variants.canonical_id` (NFKC, trimmed,
case-folded), so ``ＣＡＮＯＮＩＣＡＬ`` from a Chinese input method is ``canonical``.  The
published numbers of the lecture notes (the canonical variant) are reached only by giving no
student at all, never by an id.
"""

from __future__ import annotations

from membranelab.bank.variants import CANONICAL, canonical_id

from .errors import ServiceError

__all__ = ["RESERVED_IDS", "check_student", "is_reserved", "normalize_id"]

#: Ids that select something other than a student's own variant (compared after
#: :func:`normalize_id`): the bank's canonical variant.
RESERVED_IDS: frozenset[str] = frozenset({CANONICAL})


def normalize_id(text: str) -> str:
    """A student or assignment id as compared everywhere (NFKC, trimmed, case-folded)."""
    return canonical_id(text)


def is_reserved(student: str) -> bool:
    """True when ``student`` names a reserved id rather than a student."""
    return normalize_id(student) in RESERVED_IDS


def check_student(student: str) -> str:
    """``student`` unchanged when it may be a student's id; :class:`ServiceError` when it is
    empty or reserved."""
    if not normalize_id(student):
        raise ServiceError("service.student_empty")
    if is_reserved(student):
        raise ServiceError("service.student_reserved", student=student.strip()[:80])
    return student
