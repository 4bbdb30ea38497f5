"""Grading a student's answers to one variant: each part by its answer kind.

:func:`grade_part` handles what every kind shares -- a missing answer scores 0, and an internal
failure is logged with an incident id and scores 0 with a message naming it -- and leaves the
verdict on a given answer to the part's :class:`~membranelab.bank.kinds.AnswerKind` (numeric
parts go to ``check_quantity`` with their named mistakes recomputed, symbolic parts to
``check_formula``, choice parts to ``check_choice``; see :mod:`membranelab.bank.kinds`).
Nothing a student writes makes :func:`grade` raise.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from membranelab.grading import GradeResult, PartResult
from membranelab.incident import record_incident

from .model import Part, Problem
from .variants import Variant

__all__ = ["grade", "grade_part"]

_log = logging.getLogger(__name__)


def grade_part(problem: Problem, variant: Variant, part: Part, answer: object) -> PartResult:
    """The verdict on one part's answer (0 for a missing answer, never raises on the answer).

    The part is graded as the student saw it: in the variant's language (a choice's texts)."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return PartResult(False, 0.0, "", "missing", part_id=part.id, weight=part.points,
                          params={"part": part.id}, message_id="answer.missing_part",
                          readable=False)
    try:
        shown = variant.problem.part(part.id) if variant.problem is not problem else part
        return shown.answer_kind.grade(part, variant, answer)
    except Exception:  # noqa: BLE001 - a grading bug must not lose the other parts' marks
        incident = record_incident(_log, "grading part %s of %s (variant %s), answer %.200r",
                                   part.id, problem.id, variant.key, answer)
        return PartResult(False, 0.0, "", "error.internal", part_id=part.id, weight=part.points,
                          answer=str(answer), params={"incident": incident},
                          message_id="error.internal", readable=False)


def grade(problem: Problem, variant: Variant, answers: Mapping[str, object]) -> GradeResult:
    """Grade ``answers`` (part id -> the student's text) for ``variant`` of ``problem``.

    Parts without an answer score 0; answers for unknown part ids are ignored.
    """
    if variant.problem is not problem and variant.problem.id != problem.id:
        raise ValueError(f"variant of {variant.problem.id!r} given for problem {problem.id!r}")
    if not isinstance(answers, Mapping):
        answers = {}
    parts = [grade_part(problem, variant, part, answers.get(part.id)) for part in problem.parts]
    return GradeResult.from_parts(parts, problem_id=problem.id, variant=variant.key)
