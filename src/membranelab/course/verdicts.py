"""The one door from course grading into the grading service.

``membranelab course grade`` decides every graded answer through :func:`grade_answer` and
nothing else: a :class:`membranelab.service.GradeRequest` to the course's
:class:`membranelab.service.GradingService` (whose numbers: the student's, keyed by the course
secret; the verdict; its sentence at the assignment's language and feedback level).
"""

from __future__ import annotations

from typing import Any

__all__ = ["grade_answer"]


def grade_answer(service: Any, request: Any) -> Any:
    """The service's :class:`membranelab.service.Verdict` on one typed answer."""
    return service.grade(request)
