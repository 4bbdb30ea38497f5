"""Soundness of a loaded problem beyond its schema: what :mod:`membranelab.bank.load` refuses
(with a :class:`BankError` naming file and field) and :mod:`membranelab.bank.check` measures.

* the canonical variant satisfies the constraints;
* the constraints can be satisfied (a draw succeeds for a fixed seed);
* every part is sound by its own kind's measure (:meth:`~.protocols.AnswerKind.refusals`: e.g. a
  numeric part's named mistakes each apply to its solver chain).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .model import Problem
from .variants import CONSTANTS, MAX_DRAWS, canonical_params, sample, to_si_params

__all__ = ["failed_constraints", "constraints_satisfiable", "refuse_unsound"]

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
    for i, part in enumerate(problem.parts):
        for found in part.answer_kind.refusals(part, problem):
            raise c.fail(f"parts[{i}].{found.field}" if found.field else f"parts[{i}]",
                         found.refusal)
