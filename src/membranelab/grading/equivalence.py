"""Formula equivalence: numeric comparison on points of the physical domain, then sympy.

:func:`equivalent` evaluates both expressions with numpy on fixed edge points and seeded
random points of each symbol's interval (log-uniform when the interval is positive), walking
the grammar's tree: the plain tree of :mod:`.numtree` (the fast path: no sympy object is built,
nor sympy imported, unless sympy must decide) or a sympy tree (:func:`.nodes.evaluate`, the
same operations; no code generation).  A part's sampling plan and its reference's values are
made once per part (cached).  Along with each value it carries a
floating-point error bound, so a rewrite such as ``g*(V^2 - 2*V*E + E^2)`` is not rejected for
cancellation while ``1.0001*x`` against ``x`` still fails.

* a clear disagreement at a well-conditioned point -> not equivalent;
* agreement at enough well-conditioned points -> equivalent;
* otherwise (NaN, inf, singular points) the points are drawn again from a wider domain, and if
  still undecided sympy gets a time-boxed try in a worker process
  (:mod:`.symbolic_worker`; the same limit from any thread).  No verdict in time, or sympy's
  ``equals`` returning None, stays undecided: the caller must not grade it as a plain "wrong".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from membranelab.incident import record_incident

from . import lazysympy, numtree, symbolic_worker
from .expression import parse_expression
from .fastonly import slow_path
from .limits import SYMPY_TIMEOUT_SECONDS
from .numtree import NAME_RE, ParseFailure, TreeParse

if TYPE_CHECKING:
    import sympy

#: What :func:`equivalent` compares: a sympy expression, or a formula parsed as a plain tree
#: (:mod:`.numtree`, the fast path: its sympy tree is built only if sympy must decide).
Formula: TypeAlias = "sympy.Expr | TreeParse"

__all__ = ["DEFAULT_INTERVAL", "Verdict", "equivalent", "sample_points"]

#: Sampling interval of a symbol when none is given (positive physical quantities).
DEFAULT_INTERVAL = (0.5, 5.0)
#: Wider interval tried when the first points cannot decide.
WIDE_INTERVAL = (1e-3, 1e3)
#: Relative tolerance of the numeric comparison.
RTOL = 1e-9
#: Random points drawn in addition to the edge points.
RANDOM_POINTS = 20
#: Points placed in the widest gaps left by the edge and random points, per symbol.
GAP_POINTS = 4
#: Seed of :func:`equivalent` when the caller gives none (public: :func:`.formula.check_formula`
#: passes a secret one, :func:`.seeds.formula_seed`).
DEFAULT_SEED = 20240611
_EPS = np.finfo(float).eps
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """equivalent is True, False or None (undecided); method says how it was decided.

    ``ratio`` is student/reference when that ratio is the same constant at every point (a sign
    error gives -1, log10 for ln gives 1/ln 10); ``difference`` likewise for student-reference.
    """

    equivalent: bool | None
    method: str
    detail: str = ""
    ratio: float | None = None
    difference: float | None = None


def _values(expr: Formula, columns: Mapping[str, np.ndarray], size: int,
            trusted: bool) -> tuple[np.ndarray, np.ndarray]:
    """Values and error bounds at the points ``columns`` (each symbol's values by name).  A
    plain tree is walked by :func:`.numtree.evaluate`, a sympy tree by :func:`.nodes.evaluate`
    (the same operations).  Nodes the walker does not know are NaN for a student's
    expression; for a trusted reference they go through lambdify (its free symbols were
    checked to be only our whitelisted Symbols), with a large error bound."""
    nan = np.full(size, math.nan)
    if isinstance(expr, TreeParse):
        with np.errstate(all="ignore"):
            try:
                return numtree.evaluate(expr.tree, columns, size)
            except (KeyError, TypeError, ValueError, RecursionError):
                return nan, nan
    slow_path("sympy evaluation")
    from .nodes import UnsupportedNode, evaluate  # a sympy tree: sympy is imported already

    sympy = lazysympy.sympy()
    env = {sympy.Symbol(name, positive=True): values for name, values in columns.items()}
    with np.errstate(all="ignore"):
        try:
            return evaluate(expr, env, size)
        except UnsupportedNode:
            if not trusted:
                return nan, nan
        except (TypeError, ValueError, RecursionError):
            return nan, nan
        symbols = sorted(env, key=lambda s: s.name)
        try:
            function = sympy.lambdify(symbols, expr, modules="numpy")
            value = np.asarray(function(*(env[s] for s in symbols)), dtype=float)
            value = np.broadcast_to(value, (size,)).astype(float)
        except Exception:  # noqa: BLE001 - a trusted reference that cannot be evaluated: a bug
            record_incident(log, "the reference %s cannot be evaluated numerically", expr)
            value = np.full(size, math.nan)
        return value, np.abs(value) * 1e3


def _interval(name: str, symbols: Mapping[str, tuple[float, float]] | Iterable[str],
              domain: Mapping[str, tuple[float, float]] | None) -> tuple[float, float]:
    if domain and name in domain:
        low, high = domain[name]
    elif isinstance(symbols, Mapping) and symbols.get(name) is not None:
        low, high = symbols[name]
    else:
        low, high = DEFAULT_INTERVAL
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"interval of {name!r} must be finite with low < high, got {(low, high)}")
    return low, high


def _unit_to_interval(unit: np.ndarray, low: float, high: float) -> np.ndarray:
    """Points of [0, 1] mapped onto the interval (log-uniformly when it is positive)."""
    if low > 0:
        return np.exp(math.log(low) + unit * (math.log(high) - math.log(low)))
    return low + unit * (high - low)


def _gap_points(unit: np.ndarray, count: int) -> np.ndarray:
    """The midpoints of the ``count`` widest gaps between the points ``unit`` (and 0, 1)."""
    ordered = np.unique(np.concatenate([unit, [0.0, 1.0]]))
    widths = np.diff(ordered)
    widest = np.argsort(-widths, kind="stable")[:count]
    midpoints: np.ndarray = (ordered[widest] + ordered[widest + 1]) / 2
    return midpoints


def sample_points(intervals: Mapping[str, tuple[float, float]], *, seed: int = DEFAULT_SEED,
                  count: int = RANDOM_POINTS, gaps: int = GAP_POINTS) -> dict[str, np.ndarray]:
    """Edge points (all low, all high, middle, two alternations), then ``count`` seeded random
    points stratified per symbol (one in each of ``count`` equal slices of its interval, log
    slices when positive, slices paired at random between symbols), then ``gaps`` points in the
    middle of each symbol's widest remaining gaps.  The same seed gives the same points (cached;
    the arrays are read-only)."""
    items = tuple(sorted((name, (float(low), float(high)))
                         for name, (low, high) in intervals.items()))
    return dict(_points(items, seed, count, gaps))


@lru_cache(maxsize=1024)
def _points(items: tuple[tuple[str, tuple[float, float]], ...], seed: int, count: int,
            gaps: int) -> tuple[tuple[str, np.ndarray], ...]:
    rng = np.random.default_rng(seed)
    columns = []
    for index, (name, (low, high)) in enumerate(items):
        alternate = (0.05, 0.95) if index % 2 else (0.95, 0.05)
        edges = np.array([0.0, 1.0, 0.5, *alternate])
        random = rng.permutation((np.arange(count) + rng.uniform(size=count)) / count)
        filled = rng.permutation(_gap_points(np.concatenate([edges, random]), gaps))
        values = _unit_to_interval(np.concatenate([edges, random, filled]), low, high)
        values[0], values[1] = low, high  # exactly the ends, whatever the rounding
        values.flags.writeable = False
        columns.append((name, values))
    return tuple(columns)


def _compare(a: np.ndarray, a_error: np.ndarray, b: np.ndarray, b_error: np.ndarray,
             rtol: float) -> tuple[bool | None, str]:
    """True/False when the points decide, None with a reason when they do not."""
    a_finite, b_finite = np.isfinite(a), np.isfinite(b)
    finite = a_finite & b_finite & np.isfinite(a_error) & np.isfinite(b_error)
    size = np.maximum(np.abs(a), np.abs(b))
    tolerance = rtol * size + 64 * _EPS * (a_error + b_error)
    reliable = finite & (tolerance <= 1e-6 * np.maximum(size, 1e-300))
    difference = np.abs(a - b)
    if (reliable & (difference > tolerance)).any():
        return False, "values differ at a point of the domain"
    one_sided = a_finite != b_finite
    if np.count_nonzero(reliable) >= max(8, a.size // 2) and not one_sided.any():
        return True, "values agree at every point"
    return None, "too few points where both formulas have finite values"


def _constant(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values)]
    if finite.size < 3:
        return None
    first = float(finite[0])
    if np.all(np.abs(finite - first) <= 1e-9 * max(abs(first), 1e-12)):
        return first
    return None


def _sign_kind(interval: tuple[float, float]) -> str:
    """The sign assumption a sampling interval guarantees: positive, negative or real."""
    low, high = interval
    if low > 0:
        return "positive"
    if high < 0:
        return "negative"
    return "real"


@lru_cache(maxsize=1024)
def _checked_reference(reference: Formula, names: tuple[str, ...]) -> None:
    """:func:`_check_symbols` of a reference, once per reference (every answer to a part
    is compared with the same one)."""
    _check_symbols(reference, names, "the reference")


@lru_cache(maxsize=1024)
def _reference_values(reference: Formula, spans: tuple[tuple[str, tuple[float, float]], ...],
                      seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A reference's values and error bounds at the points of ``seed`` over ``spans``: the same
    for every answer to the part, so computed once (read-only arrays)."""
    columns = sample_points(dict(spans), seed=seed)
    size = len(next(iter(columns.values()))) if columns else 1
    value, error = _values(reference, columns, size, trusted=True)
    value, error = np.array(value, dtype=float), np.array(error, dtype=float)
    value.flags.writeable = False
    error.flags.writeable = False
    return value, error


def _check_symbols(expr: Formula, names: Iterable[str], which: str) -> None:
    """ValueError unless every symbol of ``expr`` is one of ``names`` (as a positive Symbol)."""
    if isinstance(expr, TreeParse):
        extra = sorted(expr.symbols.difference(names))
        if extra:
            raise ValueError(f"{which} uses {extra[0]}, which is not one of the declared symbols")
        return
    sympy = lazysympy.sympy()
    allowed = {name: sympy.Symbol(name, positive=True) for name in names}
    for symbol in expr.free_symbols:
        if (not isinstance(symbol, sympy.Symbol) or not NAME_RE.match(symbol.name)
                or allowed.get(symbol.name) != symbol):
            raise ValueError(f"{which} uses {symbol!s}, which is not one of the declared symbols")


def _read(text: object, names: list[str] | tuple[str, ...]) -> Formula | ParseFailure:
    """A formula's text as :func:`.expression.parse_expression` reads it (the fast path
    first): its plain tree, or its sympy tree where the fast path does not decide (a constant
    power); anything but text is refused as the parser refuses it."""
    parsed = parse_expression(text, names)
    if isinstance(parsed, ParseFailure):
        return parsed
    return parsed.tree if parsed.tree is not None else parsed.expr


@lru_cache(maxsize=256)
def _read_reference(text: str, names: tuple[str, ...]) -> Formula:
    """A reference's text read once (the same object every call, so the caches of its checked
    symbols and its values keep it); ValueError when it does not parse."""
    parsed = _read(text, names)
    if isinstance(parsed, ParseFailure):
        raise ValueError(f"reference {text!r} does not parse: {parsed.message}")
    return parsed


def _sympy(expr: Formula) -> sympy.Expr:
    """The sympy tree of a formula (built now for a plain tree: the slow path only)."""
    if isinstance(expr, TreeParse):
        built: sympy.Expr = expr.expr()
        return built
    return expr


Spans = tuple[tuple[str, tuple[float, float]], ...]
#: One attempt of the numeric comparison: (spans, seed, each symbol's points, point count).
Attempt = tuple[Spans, int, Mapping[str, np.ndarray], int]


def _key(symbols: Mapping[str, tuple[float, float]] | Iterable[str]) -> tuple[object, ...]:
    """``symbols`` (names, or names -> intervals) as a hashable key, in its own order."""
    if isinstance(symbols, Mapping):
        return ("intervals", *((name, None if symbols[name] is None else tuple(symbols[name]))
                               for name in symbols))
    return ("names", *symbols)


def _unkey(key: tuple[object, ...]) -> Mapping[str, Any] | list[str]:
    if key[0] == "intervals":
        return dict(key[1:])  # type: ignore[arg-type]
    return [str(name) for name in key[1:]]


@lru_cache(maxsize=1024)
def _plan(symbols: tuple[object, ...], domain: tuple[object, ...] | None, seed: int
          ) -> tuple[dict[str, tuple[float, float]], tuple[Attempt, ...]]:
    """The sampling intervals and both attempts (the domain's, then the wide one) of a part:
    the same for every answer to it, so made once (ValueError for a bad interval)."""
    spec = _unkey(symbols)
    given = _unkey(domain) if domain is not None else None
    names = sorted(spec)
    intervals = {name: _interval(name, spec, given) for name in names}  # type: ignore[arg-type]
    attempts = []
    for attempt, spans in enumerate((intervals, {n: WIDE_INTERVAL for n in names})):
        attempt_seed = (seed + attempt) % 2**64
        columns = sample_points(spans, seed=attempt_seed)
        size = len(next(iter(columns.values()))) if columns else 1
        attempts.append((tuple(sorted(spans.items())), attempt_seed, columns, size))
    return intervals, tuple(attempts)


def equivalent(student: Formula | str, reference: Formula | str,
               symbols: Mapping[str, tuple[float, float]] | Iterable[str],
               domain: Mapping[str, tuple[float, float]] | None = None, *,
               rtol: float = RTOL, seed: int = DEFAULT_SEED,
               timeout: float = SYMPY_TIMEOUT_SECONDS, fallback: bool = True) -> Verdict:
    """Decide whether two expressions over positive ``symbols`` are equal on the domain.

    Either may be text in the parser's syntax (a student's text that does not parse gives
    ``Verdict(False, "parse")``; a reference that does not parse raises ``ValueError``), a
    sympy expression, or a :class:`.numtree.TreeParse` (the fast path: no sympy object is
    built unless the numeric comparison cannot decide).

    ``symbols``: names, or a mapping name -> (low, high); ``domain`` overrides intervals.
    ``seed`` draws the sample points (:func:`sample_points`); ``fallback`` False stops after
    the numeric comparison (undecided: ``Verdict(None, "numeric")``).
    Free symbols of both expressions must be positive Symbols with declared names
    (``ValueError`` otherwise: the parser never produces anything else).
    """
    names = sorted(symbols)
    if isinstance(reference, str):
        reference = _read_reference(reference, tuple(names))
    if not (isinstance(student, TreeParse) or lazysympy.is_sympy(student)):
        parsed_student = _read(student, names)
        if isinstance(parsed_student, ParseFailure):
            return Verdict(False, "parse", parsed_student.message)
        student = parsed_student
    _check_symbols(student, names, "the answer")
    _checked_reference(reference, tuple(names))
    intervals, attempts = _plan(_key(symbols), _key(domain) if domain else None, seed)
    reason = ""
    for spans, attempt_seed, columns, size in attempts:
        a, a_error = _values(student, columns, size, trusted=False)
        b, b_error = _reference_values(reference, spans, attempt_seed)
        with np.errstate(all="ignore"):
            decided, reason = _compare(a, a_error, b, b_error, rtol)
        if decided is not None:
            if decided:
                return Verdict(True, "numeric", reason)
            with np.errstate(all="ignore"):
                clear = (np.abs(a) > 1e6 * _EPS * a_error) & (np.abs(b) > 1e6 * _EPS * b_error)
                return Verdict(False, "numeric", reason, ratio=_constant((a / b)[clear]),
                               difference=_constant((a - b)[clear]))
    if not fallback:
        return Verdict(None, "numeric", reason)
    # sympy decides under the signs the domain guarantees (a symbol sampled over negative
    # values must not be simplified as positive: sqrt(E^2) is not E when E < 0), in a worker
    # process stopped at the time limit whatever thread this is (symbolic_worker)
    signs = tuple((name, _sign_kind(intervals[name])) for name in names)
    outcome = symbolic_worker.decide(_sympy(student), _sympy(reference), signs, timeout)
    if outcome.status is not symbolic_worker.Decision.DONE:
        log.info("symbolic fallback gave no verdict (%s: %s)", outcome.status.value,
                 outcome.detail)
        return Verdict(None, outcome.status.value,
                       f"{reason}; sympy gave no verdict ({outcome.detail})")
    if outcome.value is None:
        return Verdict(None, "undecided", f"{reason}; sympy could not decide")
    return Verdict(bool(outcome.value), "sympy", reason)
