"""The instructor's answer key, used only inside ``### BEGIN SOLUTION`` regions.

``nbgrader generate_assignment`` strips those regions, so students never see these calls; the
source notebooks stay runnable and valid for any student id.  In a formative course the bank is
public: anyone with the package can compute any variant's answers.  In a graded course
(``graded=True``) the variant is keyed by the course secret, which only the teacher's machine
holds (see :mod:`membranelab.service.secret`).
"""

from __future__ import annotations

__all__ = ["answer_text"]


def answer_text(assignment: str, problem_id: str, part_id: str, *, graded: bool = False) -> str:
    """The reference answer text of the current student's variant (canonical without an id);
    ``graded``: the variant keyed by the course secret (an error without it)."""
    from membranelab.bank import load_bank
    from membranelab.service.secret import SecretError, kernel_key
    from membranelab.student import current_student

    problem = load_bank().problems[problem_id]
    student = current_student() or "canonical"
    if student == "canonical":
        variant = problem.variant("canonical")
    elif graded:
        key = kernel_key(assignment, student)
        if key is None:
            raise SecretError("this graded course's answer key needs the course secret "
                              "($MEMBRANELAB_COURSE_SECRET or course/.membranelab-secret)")
        variant = problem.variant(student, assignment, key=key)
    else:
        variant = problem.variant(student, assignment)
    answer = variant.answer(part_id)
    if answer.unit:
        return f"{answer.text} {answer.unit}"
    return answer.text
