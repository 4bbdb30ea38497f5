"""Deterministic variants: sampling the parameters and evaluating a problem's computation.

This is the arithmetic under :class:`membranelab.bank.model.Variant` (which
:func:`membranelab.bank.model.make_variant` builds with it); it reads a problem through
:class:`Computation` (its parameters, constraints and derived values), so it stands below the
model.

Seed of a variant: the first 8 bytes (big-endian) of
``sha256("\x1f".join((assignment, student, uid)))`` (``uid``: the problem's stable ``uid``, by
default its id), fed to ``numpy.random.default_rng``: the same student gets the same numbers on
every run and machine.  Student and assignment ids are matched after trimming and case-folding
(``" Alice"`` in ``"HW-1"`` is ``alice`` in ``hw-1``).  With a ``key`` (a graded course's
per-student key, see :mod:`membranelab.service.secret`) the digest is
``HMAC-SHA256(key, same message)``: without the key nobody can compute the numbers. Each
parameter takes a value of its grid (or choices) in file order; the constraints are checked on the SI values and the draw is
repeated (from the same generator) until they hold. The variant ``"canonical"`` takes every
parameter's canonical value (the source document's case).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import unicodedata
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from membranelab.physics import SOLVERS
from membranelab.physics.constants import E_CHARGE, K_B, N_A, F, R

from .expr import Expr
from .values import Derived, Parameter

__all__ = ["Computation", "canonical_id", "variant_seed", "evaluate", "sample", "to_si_params",
           "constraints_hold", "canonical_params", "CONSTANTS", "CONSTANT_UNITS", "CANONICAL",
           "MAX_DRAWS"]

#: Names every expression and solver argument may use besides parameters and derived values (SI).
CONSTANTS: Mapping[str, float] = {"R": R, "F": F, "e": E_CHARGE, "N_A": N_A, "k_B": K_B,
                                  "pi": math.pi}
#: The SI unit of each constant (expressions are checked for dimensions at load).
CONSTANT_UNITS: Mapping[str, str] = {"R": "J/(mol*K)", "F": "C/mol", "e": "C", "N_A": "1/mol",
                                     "k_B": "J/K", "pi": "dimensionless"}

#: The student name that selects the source document's own case.
CANONICAL = "canonical"

#: Draws a student's parameters may take to satisfy the constraints.
MAX_DRAWS = 1000


class Computation(Protocol):
    """What evaluating and sampling read of a problem (a
    :class:`~membranelab.bank.model.Problem` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Parameter]: ...

    @property
    def constraints(self) -> tuple[Expr, ...]: ...

    @property
    def derived(self) -> tuple[Derived, ...]: ...


def canonical_id(text: str) -> str:
    """A student or assignment id as matched everywhere: NFKC-normalised (full-width letters
    from a Chinese input method are the plain ones), trimmed and case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def variant_seed(student: str, assignment: str, problem_id: str,
                 key: bytes | None = None) -> int:
    """The 64-bit seed of (assignment, student, problem), keyed by ``key`` when given."""
    message = "\x1f".join((canonical_id(assignment), canonical_id(student), problem_id))
    data = message.encode("utf-8")
    digest = (hmac.new(key, data, hashlib.sha256).digest() if key
              else hashlib.sha256(data).digest())
    return int.from_bytes(digest[:8], "big")


def _resolve(arg: Any, env: Mapping[str, float]) -> Any:
    if isinstance(arg, str):
        return env[arg]
    if isinstance(arg, Mapping):
        return {k: _resolve(v, env) for k, v in arg.items()}
    if isinstance(arg, (list, tuple)):
        return [_resolve(v, env) for v in arg]
    return arg


def evaluate(problem: Computation, param_si: Mapping[str, float], mistake: Any = None, *,
             overrides: Mapping[str, float] | None = None,
             nudges: Mapping[str, float] | None = None) -> tuple[dict[str, float], bool]:
    """Every value of the problem in SI: constants, parameters, then derived values in order.

    With ``mistake`` (a grading ``Mistake``), each solver call is replaced by what the mistake
    gives when it applies; the flag returned says whether it applied to any call.
    ``overrides`` (derived name -> SI value) replaces a derived value by a given one (a
    student's own earlier answer: the chain after it is recomputed from it); ``nudges`` (derived
    name -> SI amount) adds an amount to a derived value once computed (a value rounded as
    displayed: :mod:`membranelab.bank.rounding`).
    """
    env: dict[str, float] = dict(CONSTANTS)
    env.update(param_si)
    applied = False
    for d in problem.derived:
        if overrides and d.name in overrides:
            value = overrides[d.name]
        elif d.expr is not None:
            value = d.expr.evaluate(env)
        else:
            assert d.solver is not None  # the schema gives a derived value an expr or a solver
            func = SOLVERS[d.solver]
            kwargs = _resolve(d.args, env)
            wrong = mistake.apply(d.solver, func, kwargs) if mistake is not None else None
            applied = applied or wrong is not None
            value = wrong if wrong is not None else func(**kwargs)
        env[d.name] = float(value) + (nudges.get(d.name, 0.0) if nudges else 0.0)
    return env, applied


def sample(problem: Computation, rng: np.random.Generator) -> dict[str, float]:
    """Display values of the parameters drawn from ``rng`` (each a value of its grid, in file
    order), drawn again until the constraints hold (RuntimeError after :data:`MAX_DRAWS`)."""
    for _ in range(MAX_DRAWS):
        display = {name: p.values[int(rng.integers(len(p.values)))]
                   for name, p in problem.params.items()}
        if constraints_hold(problem, display):
            return display
    raise RuntimeError(f"{problem.id}: no parameter draw satisfied the constraints "
                       f"in {MAX_DRAWS} tries")


def to_si_params(problem: Computation, display: Mapping[str, float]) -> dict[str, float]:
    """The parameters' display values in SI."""
    return {name: problem.params[name].to_si(v) for name, v in display.items()}


def constraints_hold(problem: Computation, display: Mapping[str, float]) -> bool:
    """Whether every constraint holds for the parameters' display values ``display``."""
    if not problem.constraints:
        return True
    env = dict(CONSTANTS)
    env.update(to_si_params(problem, display))
    return all(c.evaluate(env) for c in problem.constraints)


def canonical_params(problem: Computation) -> dict[str, float]:
    """The canonical parameter values, in display units."""
    return {name: p.canonical for name, p in problem.params.items()}
