"""Whose numbers: the one place that decides which variant a request is graded against.

* no student (``None``): the lecture notes' published numbers (the canonical variant);
* a reserved id (``canonical``, in any case or width): refused (:mod:`.ids`);
* an assignment the course marks graded: the student's variant keyed by the course secret
  (refused when the secret is not here, never silently public);
* anything else: the student's public variant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .course import NO_COURSE, Course
from .ids import check_student

if TYPE_CHECKING:
    from membranelab.bank import Problem, Variant

__all__ = ["PRACTICE_ASSIGNMENT", "numbers_for"]

#: The assignment name of self-study variants (practice, notebook, demo, show --student, serve).
PRACTICE_ASSIGNMENT = "practice"


def numbers_for(problem: Problem, student: str | None, assignment: str = PRACTICE_ASSIGNMENT,
                course: Course = NO_COURSE, *, lang: str | None = None) -> Variant:
    """The variant ``student`` is graded against in ``assignment`` (see the module doc); with
    ``lang`` the same numbers with that language's text.  ServiceError for a reserved or empty
    id, or a graded assignment without its secret."""
    if student is None:
        return problem.variant("canonical", lang=lang)
    check_student(student)
    key = course.key(assignment, student)
    return problem.variant(student=student, assignment=assignment, key=key, lang=lang)
