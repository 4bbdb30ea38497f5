"""The one door from course grading into the grader.

``membranelab course grade`` decides every graded answer through :func:`grade_answers` and
nothing else.  Whose numbers a student is graded against comes from the grading service
(:meth:`membranelab.service.GradingService.numbers`, keyed by the course secret); the verdict on
a problem's answers is the one the service gives (``GradingService.grade_problem`` is
``bank.grade`` over the same numbers), so a change of the grade of record is a change here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["grade_answers"]


def grade_answers(problem: Any, variant: Any, answers: Mapping[str, str]) -> Any:
    """The verdict on one problem's typed answers (part id -> text) for the student's keyed
    ``variant``: a :class:`membranelab.grading.GradeResult` (parts in the problem's order)."""
    from membranelab.bank import grade

    return grade(problem, variant, answers)
