"""Soundness of a loaded problem beyond its schema: what :mod:`membranelab.bank.load` refuses
(with a :class:`BankError` naming file and field) and :mod:`membranelab.bank.check` measures.

* the canonical variant satisfies the constraints;
* the constraints can be satisfied (a draw succeeds for a fixed seed);
* every named mistake of a numeric part applies to that part's solver chain: redoing the
  canonical computation with the mistake changes the part's value (``volts_for_millivolts``,
  which the grader detects from the unit, applies to parts whose unit is a voltage).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

import numpy as np

from membranelab.physics.units import PINT_ERRORS, checked_unit, pint_spelling, ureg

from .model import Part, Problem
from .variants import CONSTANTS, MAX_DRAWS, canonical_params, evaluate, sample, to_si_params

__all__ = ["failed_constraints", "constraints_satisfiable", "mistake_applies",
           "inapplicable_mistakes", "refuse_unsound", "UNIT_MISTAKES"]

logger = logging.getLogger(__name__)

#: Mistakes the grader recognises from the answer's size and unit, not by recomputing the
#: solver chain: name -> the dimension of the parts they apply to (a pint unit).
UNIT_MISTAKES: Mapping[str, str] = {"volts_for_millivolts": "V"}

_PROBE_SEED = 0x6D656D62  # fixed: the satisfiability probe is deterministic


def failed_constraints(problem: Problem, display: Mapping[str, float]) -> list[int]:
    """Indexes of the constraints that do not hold for parameter values ``display``."""
    env = dict(CONSTANTS)
    env.update(to_si_params(problem, display))
    return [i for i, c in enumerate(problem.constraints) if not c.evaluate(env)]


def constraints_satisfiable(problem: Problem) -> bool:
    """Whether a draw satisfying the constraints is found within the sampler's tries."""
    try:
        sample(problem, np.random.default_rng(_PROBE_SEED))
    except RuntimeError:
        return False
    return True


def _same_dimension(unit: str | None, reference: str) -> bool:
    if unit is None:
        return False
    try:
        return (ureg().Unit(pint_spelling(checked_unit(unit))).dimensionality
                == ureg().Unit(reference).dimensionality)
    except PINT_ERRORS:  # a unit pint cannot read has no dimension here
        logger.debug("cannot compare the dimension of %r with %r", unit, reference)
        return False


def mistake_applies(problem: Problem, part: Part, name: str,
                    param_si: Mapping[str, float] | None = None) -> bool:
    """Whether mistake ``name`` changes ``part``'s value (canonical parameters by default)."""
    from membranelab.grading.feedback import MISTAKES

    if name in UNIT_MISTAKES:
        return _same_dimension(part.answer_kind.unit, UNIT_MISTAKES[name])
    mistake = MISTAKES.get(name)
    key = part.answer_kind.value
    if mistake is None or mistake.recompute is None or key is None:
        return False
    if param_si is None:
        param_si = to_si_params(problem, canonical_params(problem))
    right, _ = evaluate(problem, param_si)
    try:
        wrong, applied = evaluate(problem, param_si, mistake)
    except (ValueError, ArithmeticError, KeyError, TypeError):
        return False
    value = wrong[key]
    return applied and math.isfinite(value) and not math.isclose(
        value, right[key], rel_tol=1e-9, abs_tol=0.0)


def inapplicable_mistakes(problem: Problem) -> list[tuple[int, str]]:
    """(part index, mistake name) for each named mistake that does not apply to its part."""
    param_si = to_si_params(problem, canonical_params(problem))
    return [(i, name) for i, part in enumerate(problem.parts)
            for name in part.answer_kind.mistakes
            if not mistake_applies(problem, part, name, param_si)]


def refuse_unsound(c, problem: Problem) -> None:
    """Raise ``c.fail(field, ...)`` (a BankError) for the first unsound point of ``problem``."""
    failed = failed_constraints(problem, canonical_params(problem))
    if failed:
        i = failed[0]
        raise c.fail(f"constraints[{i}]", f"the canonical values (the source document's case) "
                     f"violate {problem.constraints[i].text!r}")
    if problem.constraints and not constraints_satisfiable(problem):
        raise c.fail("constraints", f"no parameter draw satisfied the constraints in "
                     f"{MAX_DRAWS} tries: they are impossible or too narrow for the grids")
    for i, name in inapplicable_mistakes(problem):
        part = problem.parts[i]
        raise c.fail(f"parts[{i}].mistakes", f"mistake {name!r} cannot apply to part "
                     f"{part.id!r}: redoing its computation ({part.answer_kind.value}) with it changes "
                     "nothing")
