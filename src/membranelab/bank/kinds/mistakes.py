"""The numeric kind's named mistakes: the values they give in a variant, and whether one
applies to a part at all (what the loader refuses and ``membranelab check`` reports).

A named mistake (:data:`membranelab.grading.feedback.MISTAKES`) is recomputed by re-running the
problem's solver chain with the mistake applied to every solver call
(:func:`~membranelab.bank.variants.evaluate`); a few are told from the answer's size and unit
instead (:data:`UNIT_MISTAKES`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from membranelab.physics.units import PINT_ERRORS, checked_unit, pint_spelling, ureg

from ..variants import canonical_params, evaluate, to_si_params

if TYPE_CHECKING:
    from ..model import Problem, Variant

__all__ = ["UNIT_MISTAKES", "mistake_applies", "with_mistake"]

_log = logging.getLogger(__name__)

#: Mistakes the grader recognises from the answer's size and unit, not by recomputing the
#: solver chain: name -> the dimension of the parts they apply to (a pint unit).
UNIT_MISTAKES: Mapping[str, str] = {"volts_for_millivolts": "V"}


def mistake_applies(problem: Problem, value: str, unit: str, name: str,
                    param_si: Mapping[str, float] | None = None) -> bool:
    """Whether mistake ``name`` changes the derived value ``value`` (a part's answer, in
    ``unit``) of ``problem`` (canonical parameters by default)."""
    from membranelab.grading.feedback import MISTAKES

    if name in UNIT_MISTAKES:
        return _same_dimension(unit, UNIT_MISTAKES[name])
    mistake = MISTAKES.get(name)
    if mistake is None or mistake.recompute is None:
        return False
    if param_si is None:
        param_si = to_si_params(problem, canonical_params(problem))
    right, _ = evaluate(problem, param_si)
    try:
        wrong, applied = evaluate(problem, param_si, mistake)
    except (ValueError, ArithmeticError, KeyError, TypeError):
        return False
    found = wrong[value]
    return applied and math.isfinite(found) and not math.isclose(
        found, right[value], rel_tol=1e-9, abs_tol=0.0)


def _same_dimension(unit: str, reference: str) -> bool:
    """Whether ``unit`` (the bank's spelling) measures what pint unit ``reference`` does."""
    try:
        return (ureg().Unit(pint_spelling(checked_unit(unit))).dimensionality
                == ureg().Unit(reference).dimensionality)
    except PINT_ERRORS:  # a unit pint cannot read has no dimension here
        _log.debug("cannot compare the dimension of %r with %r", unit, reference)
        return False


def with_mistake(variant: Variant, name: str) -> dict[str, float] | None:
    """Every SI value of ``variant`` recomputed with mistake ``name`` applied to every solver
    call; None when there is no such mistake, it applies to no call, or the chain fails."""
    from membranelab.grading.feedback import MISTAKES

    mistake = MISTAKES.get(name)
    if mistake is None:
        return None
    param_si = {n: variant.values[n] for n in variant.problem.params}
    try:
        env, applied = evaluate(variant.problem, param_si, mistake)
    except (ValueError, ZeroDivisionError, OverflowError, KeyError, TypeError):
        return None
    return env if applied else None
