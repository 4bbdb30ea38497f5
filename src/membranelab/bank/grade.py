"""Grading a student's answers to one variant with :mod:`membranelab.grading`.

Numeric parts go to ``check_quantity`` with the expected value in the part's unit, the part's
tolerance and the values of its named mistakes (the whole computation redone with each mistake
applied to every solver call, see :meth:`Variant.mistake_values`); symbolic parts to
``check_formula`` with the formula's text and sampling domains; choice parts to ``check_choice``.
A missing answer scores 0; nothing a student writes makes :func:`grade` raise.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from membranelab.formulas import FORMULAS
from membranelab.grading import (
    GradeResult,
    PartResult,
    check_choice,
    check_formula,
    check_quantity,
)
from membranelab.grading.quantity import DEFAULT_RELATIVE
from membranelab.incident import record_incident

from .i18n import choice_index
from .model import Part, Problem
from .variants import Variant

__all__ = ["grade", "grade_part"]

_log = logging.getLogger(__name__)


def _solver_of(problem: Problem, part: Part) -> str:
    for d in problem.derived:
        if d.name == part.value and d.solver:
            return d.solver
    return ""


def _grade_choice(variant: Variant, part: Part, answer: object, expected: str) -> PartResult:
    """A choice part in the variant's language; a choice's text in any language of the problem
    counts as that choice (choices are keyed by id, not by their display text)."""
    shown = variant.problem.part(part.id)  # the choices as the student saw them
    given = answer
    if isinstance(answer, str):
        index = choice_index(variant.problem, part.id, answer)
        if index is not None:
            given = shown.choices[index]
    result = check_choice(given, expected, shown.choices, part_id=part.id, weight=part.points,
                          aliases=shown.aliases, why=shown.why)
    return replace(result, answer=answer) if given is not answer else result


def grade_part(problem: Problem, variant: Variant, part: Part, answer: object) -> PartResult:
    """The verdict on one part's answer (0 for a missing answer, never raises on the answer)."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return PartResult(False, 0.0, "", "missing", part_id=part.id, weight=part.points,
                          params={"part": part.id}, message_id="answer.missing_part",
                          readable=False)
    ans = variant.answers()[part.id]
    try:
        if part.kind == "numeric":
            tol = part.tolerance
            return check_quantity(
                answer, ans.value, part.unit,
                relative=tol.get("relative"), absolute=tol.get("absolute"),
                sigfigs=int(tol["sigfigs"]) if "sigfigs" in tol else None,
                mistakes=variant.mistake_values(part.id), solver=_solver_of(problem, part),
                min_sigfigs=part.sigfigs,
                part_id=part.id, weight=part.points)
        if part.kind == "symbolic":
            formula = FORMULAS[part.formula]
            return check_formula(answer, formula.text, dict(formula.domains),
                                 part_id=part.id, weight=part.points,
                                 relative=part.tolerance.get("relative", DEFAULT_RELATIVE))
        return _grade_choice(variant, part, answer, ans.text)
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
