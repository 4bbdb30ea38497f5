"""Deterministic variants: sampling the parameters and evaluating a problem's computation.

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
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from membranelab.physics import SOLVERS
from membranelab.physics.constants import E_CHARGE, K_B, N_A, F, R
from membranelab.physics.units import from_si

from .model import Answer, Problem

__all__ = ["Variant", "canonical_id", "make_variant", "variant_seed", "evaluate", "CONSTANTS",
           "CONSTANT_UNITS", "CANONICAL"]

#: Names every expression and solver argument may use besides parameters and derived values (SI).
CONSTANTS: Mapping[str, float] = {"R": R, "F": F, "e": E_CHARGE, "N_A": N_A, "k_B": K_B,
                                  "pi": math.pi}
#: The SI unit of each constant (expressions are checked for dimensions at load).
CONSTANT_UNITS: Mapping[str, str] = {"R": "J/(mol*K)", "F": "C/mol", "e": "C", "N_A": "1/mol",
                                     "k_B": "J/K", "pi": "dimensionless"}

#: The student name that selects the source document's own case.
CANONICAL = "canonical"

_MAX_DRAWS = 1000


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


def evaluate(problem: Problem, param_si: Mapping[str, float], mistake: Any = None, *,
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


def _sample(problem: Problem, rng: np.random.Generator) -> dict[str, float]:
    for _ in range(_MAX_DRAWS):
        display = {name: p.values[int(rng.integers(len(p.values)))]
                   for name, p in problem.params.items()}
        if _constraints_hold(problem, display):
            return display
    raise RuntimeError(f"{problem.id}: no parameter draw satisfied the constraints "
                       f"in {_MAX_DRAWS} tries")


def _to_si(problem: Problem, display: Mapping[str, float]) -> dict[str, float]:
    return {name: problem.params[name].to_si(v) for name, v in display.items()}


def _constraints_hold(problem: Problem, display: Mapping[str, float]) -> bool:
    if not problem.constraints:
        return True
    env = dict(CONSTANTS)
    env.update(_to_si(problem, display))
    return all(c.evaluate(env) for c in problem.constraints)


def canonical_params(problem: Problem) -> dict[str, float]:
    """The canonical parameter values, in display units."""
    return {name: p.canonical for name, p in problem.params.items()}


def make_variant(problem: Problem, student: str = CANONICAL, assignment: str = "", *,
                 key: bytes | None = None) -> Variant:
    """The variant of ``student`` in ``assignment`` (``"canonical"``: the document's case);
    ``key``: a graded course's student key (the seed is keyed with it)."""
    if student == CANONICAL:
        display, name = canonical_params(problem), CANONICAL
    else:
        seed = variant_seed(student, assignment, problem.seed_key, key)
        display, name = _sample(problem, np.random.default_rng(seed)), f"{seed:016x}"
    values, _ = evaluate(problem, _to_si(problem, display))
    return Variant(problem=problem, key=name, params=display, values=values,
                   student=None if student == CANONICAL else student, assignment=assignment)


def _near_interval(kind: Any, wrong: float, right: float, width: float) -> bool:
    """Whether ``wrong`` passes for an answer in ``[right - width, right + width]`` within the
    tolerance of ``kind`` (relative, absolute; default 1 %)."""
    from membranelab.grading.judge import Tolerance

    tol = getattr(kind, "tolerance", {}) or {}
    nearest = min(max(wrong, right - width), right + width)
    return Tolerance(tol.get("relative"), tol.get("absolute"), None).close(wrong, nearest)


@dataclass(frozen=True, eq=False)
class Variant:
    """One set of numbers for a problem.

    ``params`` are display values (in each parameter's unit); ``values`` every SI value (constants,
    parameters, derived); ``key`` is ``"canonical"`` or the seed in hex.
    """

    problem: Problem
    key: str
    params: Mapping[str, float]
    values: Mapping[str, float] = field(repr=False)
    student: str | None = None
    assignment: str = ""

    @cached_property
    def _answers(self) -> dict[str, Answer]:
        return {part.id: part.answer_kind.reference(part, self) for part in self.problem.parts}

    def answer(self, part_id: str) -> Answer:
        """One part's reference answer (KeyError for an unknown part id)."""
        return self._answers[part_id]

    def answers(self) -> dict[str, Answer]:
        """Every part's reference answer, by part id."""
        return dict(self._answers)

    @cached_property
    def _mistake_envs(self) -> dict[str, dict[str, float]]:
        """{mistake name: every SI value recomputed with that mistake}, for the mistakes that the
        problem's numeric parts name and that apply to at least one solver call. Computed once."""
        from membranelab.grading.feedback import MISTAKES

        names = {m for part in self.problem.parts for m in part.answer_kind.mistakes}
        param_si = {n: self.values[n] for n in self.problem.params}
        envs = {}
        for name in sorted(names):
            mistake = MISTAKES.get(name)
            if mistake is None:
                continue
            try:
                env, applied = evaluate(self.problem, param_si, mistake)
            except (ValueError, ZeroDivisionError, OverflowError, KeyError, TypeError):
                continue
            if applied:
                envs[name] = env
        return envs

    def mistake_values(self, part_id: str) -> dict[str, float]:
        """{mistake name: the value the mistake gives, in the part's unit} for a part whose kind
        names mistakes (a computed quantity).

        The whole computation is redone with the mistake applied to every solver call (once per
        variant and mistake, then cached); mistakes that apply to no call, or give the right value
        or a non-finite one, are left out.
        """
        kind = self.problem.part(part_id).answer_kind
        if not kind.mistakes or kind.value is None or kind.unit is None:
            return {}
        right = self.values[kind.value]
        out = {}
        for name in kind.mistakes:
            env = self._mistake_envs.get(name)
            if env is None:
                continue
            wrong = env[kind.value]
            if math.isfinite(wrong) and not math.isclose(wrong, right, rel_tol=1e-9):
                out[name] = from_si(wrong, kind.unit)
        return out

    @cached_property
    def _rounding_widths(self) -> tuple[dict[str, float], dict[str, float]]:
        from .rounding import rounding_widths

        param_si = {n: self.values[n] for n in self.problem.params}
        return (rounding_widths(self.problem, param_si),
                rounding_widths(self.problem, param_si, coarse=True))

    def rounding_width(self, part_id: str) -> float:
        """How far the part's answer may lie from the reference, in the part's unit, when it is
        computed from the displayed values rounded as shown (:mod:`.rounding`; 0 for a part
        whose answer depends on no derived value). The coarse interval (intermediate values
        written to 3 figures) where no named mistake of the part falls within the tolerance of
        it, else the one of the values as the bank shows them. Computed once per variant."""
        kind = self.problem.part(part_id).answer_kind
        if not kind.unit or not kind.value:
            return 0.0
        fine, coarse = (abs(from_si(w.get(kind.value, 0.0), kind.unit) - from_si(0.0, kind.unit))
                        for w in self._rounding_widths)
        if coarse > fine and not any(_near_interval(kind, wrong, self.answer(part_id).number,
                                                    coarse)
                                     for wrong in self.mistake_values(part_id).values()):
            return coarse
        return fine

    def __repr__(self) -> str:
        return f"Variant({self.problem.id!r}, key={self.key!r})"
