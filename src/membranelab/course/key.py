"""The instructor's answer key of a formative course, used only inside ``### BEGIN SOLUTION``.

``nbgrader generate_assignment`` strips those regions, so students never see these calls; the
source notebooks stay runnable and valid for any student id.  In a formative course the bank is
public: anyone with the package can compute any variant's answers.  A graded course's answer key
is never computed in a notebook kernel: its source notebooks hold no such call, and
``answer_text(..., graded=True)`` refuses (``membranelab course grade`` grades graded work,
holding the course secret outside every kernel).
"""

from __future__ import annotations

from membranelab.messages import gettext

__all__ = ["answer_text"]


def answer_text(assignment: str, problem_id: str, part_id: str, *, graded: bool = False) -> str:
    """The reference answer text of the current student's variant (canonical without an id);
    ``graded``: refused (ValueError): no kernel computes a graded course's answers."""
    if graded:
        raise ValueError(gettext("course.key_refused", "en"))
    from membranelab.bank import load_bank
    from membranelab.student import current_student

    problem = load_bank().problems[problem_id]
    student = current_student() or "canonical"
    if student == "canonical":
        variant = problem.variant("canonical")
    else:
        variant = problem.variant(student, assignment)
    answer = variant.answer(part_id)
    if answer.unit:
        return f"{answer.text} {answer.unit}"
    return answer.text
