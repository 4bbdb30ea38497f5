"""The instructor's answer key, used only inside ``### BEGIN SOLUTION`` regions.

``nbgrader generate_assignment`` strips those regions, so students never see these calls; the
source notebooks stay runnable and valid for any student id.  (The bank itself is public: anyone
with the package can compute any variant's answers.  Variants stop copying numbers, not code.)
"""

from __future__ import annotations

__all__ = ["answer_text"]


def answer_text(assignment: str, problem_id: str, part_id: str) -> str:
    """The reference answer text of the current student's variant (canonical without an id)."""
    from membranelab.bank import load_bank
    from membranelab.student import current_student

    problem = load_bank().problems[problem_id]
    student = current_student() or "canonical"
    if student == "canonical":
        variant = problem.variant("canonical")
    else:
        variant = problem.variant(student, assignment)
    answer = variant.answers()[part_id]
    if answer.kind == "numeric" and answer.unit:
        return f"{answer.text} {answer.unit}"
    return answer.text
