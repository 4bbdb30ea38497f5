"""Rounding carried: how far a part's answer may move when the student works from the values as
shown, each rounded to its displayed figures.

A student computes a later part from the displayed values: the data (shown exactly as drawn),
the earlier parts' answers (rounded to the part's ``sigfigs``, as the prompt asks) and the
intermediate values they write down on the way. Each such rounding moves the value by at most
half a unit in its last shown place, and the move runs down the problem's own chain of derived
values (the solver's dependency graph, no per-problem code).

:func:`rounding_widths` bounds the effect on every part's value: the chain is evaluated with
each rounded value moved by plus and minus its half unit in the last place (the corners of the
rounding box along each axis), and the largest change of each part's value is summed over the
rounded values it depends on. That is the corner bound of interval arithmetic for a chain that
is linear over the box; the boxes here are well under 1 % of the values, so the curvature left
out is of second order. A value is rounded at the figures it has at the far edge of its own
interval (one that may cross a power of ten is rounded at the coarser place).

Two intervals per part: *coarse* (every intermediate value written to :data:`DISPLAY_SIGFIGS`
figures: E_K = −103 mV) and *as shown* (the bank shows a potential that a later part uses to
:data:`POTENTIAL_RESOLUTION`, −102.7 mV: :func:`shown_figures`, used by the reference answers
and the ``{{name}}`` placeholders). :meth:`membranelab.bank.Variant.rounding_width` takes the
coarse one unless a named mistake of the part falls within its tolerance, then the one as
shown; ``membranelab check`` reports a named mistake inside even that one. An answer within
the part's tolerance of ``[reference - width, reference + width]`` was computed from displayed
values and is right (note ``rounding.carried``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from membranelab.physics.units import dimensionality, from_si, to_si

from .model import Problem
from .values import Derived
from .variants import evaluate

__all__ = ["DISPLAY_SIGFIGS", "POTENTIAL_RESOLUTION", "ancestors", "dependencies", "half_unit",
           "part_values", "rounding_widths", "shown_as", "shown_figures"]

#: Figures a derived value is shown (and written down by a student) with, unless it is a
#: numeric part's answer (then: the part's ``sigfigs``).
DISPLAY_SIGFIGS = 3

#: A potential that a later part's value depends on is shown at least to this place (volts):
#: differences of potentials of 2 to 11 mV are asked, and −101 mV (3 figures) would move them
#: by up to 0.5 mV.
POTENTIAL_RESOLUTION = 1e-4

_NUMERIC_ERRORS = (ValueError, ZeroDivisionError, OverflowError, ArithmeticError)


def _names_in(arg: Any) -> Iterable[str]:
    if isinstance(arg, str):
        yield arg
    elif isinstance(arg, Mapping):
        for value in arg.values():
            yield from _names_in(value)
    elif isinstance(arg, (list, tuple)):
        for value in arg:
            yield from _names_in(value)


def _reads(d: Derived) -> frozenset[str]:
    """The names a derived value reads directly (its solver's arguments or its expression)."""
    return d.expr.names if d.expr is not None else frozenset(_names_in(d.args))


def dependencies(problem: Problem) -> dict[str, frozenset[str]]:
    """Derived name -> every derived name it depends on, directly or through others (itself
    excluded): the problem's dependency graph, closed."""
    derived = {d.name for d in problem.derived}
    out: dict[str, frozenset[str]] = {}
    for d in problem.derived:  # in order: what a value reads is already closed
        direct = _reads(d) & derived
        closed = set(direct)
        for name in direct:
            closed |= out.get(name, frozenset())
        out[d.name] = frozenset(closed)
    return out


def ancestors(problem: Problem, name: str) -> frozenset[str]:
    """The derived values ``name`` depends on (empty for a parameter or an unknown name)."""
    return dependencies(problem).get(name, frozenset())


def part_values(problem: Problem) -> dict[str, tuple[str, str, int]]:
    """Derived name -> (part id, unit, sigfigs) of the numeric part whose answer it is (the first
    such part)."""
    out: dict[str, tuple[str, str, int]] = {}
    for part in problem.parts:
        kind = part.answer_kind
        name, unit, figures = kind.value_name, kind.quantity_unit, kind.figures_asked
        if name is not None and unit is not None and figures is not None:
            out.setdefault(name, (part.id, unit, figures))
    return out


@lru_cache(maxsize=512)
def _plan(problem: Problem) -> tuple[dict[str, frozenset[str]], dict[str, tuple[int, str | None]],
                                     frozenset[str]]:
    """The problem's closed dependency graph, how each derived value is shown (figures, unit),
    and the potentials shown to :data:`POTENTIAL_RESOLUTION` (those a later part's value
    depends on). Problems are immutable: computed once per problem."""
    closure = dependencies(problem)
    parts = part_values(problem)
    shown: dict[str, tuple[int, str | None]] = {}
    for d in problem.derived:
        if d.name in parts:
            _, unit, figures = parts[d.name]
            shown[d.name] = (figures, unit)
        else:
            shown[d.name] = (DISPLAY_SIGFIGS, d.unit)
    feeding = set().union(*(closure.get(v, frozenset()) for v in parts)) if parts else set()
    fine = frozenset(n for n in feeding if shown[n][1] is not None
                     and dimensionality(shown[n][1]) == dimensionality("V"))
    return closure, shown, fine


def shown_as(problem: Problem) -> dict[str, tuple[int, str | None]]:
    """Derived name -> (figures, display unit) it is shown and written down with: a part's
    answer with the part's sigfigs and unit, any other value with :data:`DISPLAY_SIGFIGS` in its
    ``unit`` (None: SI); :func:`shown_figures` adds figures to potentials."""
    return dict(_plan(problem)[1])


def shown_figures(problem: Problem, name: str, si_value: float) -> int:
    """The significant figures derived value ``name`` is shown with at ``si_value``: as
    :func:`shown_as` says, and for a potential that a later part's value depends on, enough
    figures to show it to :data:`POTENTIAL_RESOLUTION` (−101.3 mV, not −101 mV: a difference of
    potentials of a few mV is asked further on)."""
    _, shown, fine = _plan(problem)
    figures, unit = shown.get(name, (DISPLAY_SIGFIGS, None))
    if name not in fine or unit is None:
        return figures
    shown_value = abs(from_si(si_value, unit) - from_si(0.0, unit))
    step = abs(from_si(POTENTIAL_RESOLUTION, unit) - from_si(0.0, unit))
    if shown_value == 0 or not math.isfinite(shown_value) or step == 0:
        return figures
    return max(figures, math.floor(math.log10(shown_value)) - math.floor(math.log10(step)) + 1)


def half_unit(si_value: float, figures: int, unit: str | None) -> float:
    """Half a unit in the last place of ``si_value`` shown with ``figures`` significant figures
    in ``unit`` (SI when None), in SI: the most that rounding it as shown moves it."""
    scale = 1.0 if unit is None else abs(to_si(1.0, unit) - to_si(0.0, unit)) or 1.0
    shown = si_value / scale
    if shown == 0 or not math.isfinite(shown):
        return 0.0
    place = 10.0 ** (math.floor(math.log10(abs(shown))) - figures + 1)
    return 0.5 * place * scale


def rounding_widths(problem: Problem, param_si: Mapping[str, float], *,
                    overrides: Mapping[str, float] | None = None,
                    targets: Iterable[str] | None = None,
                    extra_figures: int = 0, coarse: bool = False) -> dict[str, float]:
    """Target derived name -> half-width (SI) of the interval its value spans when every
    derived value it depends on is rounded as shown (see the module docstring).

    ``overrides`` substitutes derived values (a student's own earlier answers, in SI; they are
    rounded as shown too); ``targets`` defaults to every numeric part's value;
    ``extra_figures``: every value shown with that many more figures (what ``membranelab
    check`` proposes when an interval would swallow a named mistake); ``coarse``: the values
    that are not a part's answer rounded to :data:`DISPLAY_SIGFIGS` figures even where the bank
    shows more (a student who writes E_K = −103 mV). Each value is
    rounded at the figures it is shown with at the far edge of its own interval (a value that
    may cross a power of ten is rounded at the coarser place). A corner where the chain cannot
    be evaluated (out of a solver's domain) is left out."""
    closure, shown, _ = _plan(problem)
    parts = part_values(problem)
    wanted = [t for t in (targets if targets is not None else parts)
              if t in closure]
    if not wanted:
        return {}
    needed = set(wanted).union(*(closure[t] for t in wanted))
    rounded = [d.name for d in problem.derived if d.name in needed
               and any(d.name in closure[t] for t in wanted)]
    widths = dict.fromkeys(needed, 0.0)
    if not rounded:
        return {t: 0.0 for t in wanted}
    base, _ = evaluate(problem, param_si, overrides=overrides)
    for name in rounded:  # in the chain's order: a value's own width is complete when reached
        figures, unit = shown[name]
        edge = abs(base[name]) + widths[name]
        if name not in parts and not coarse:  # as the bank shows it (potentials: 0.1 mV)
            figures = shown_figures(problem, name, edge)
        step = half_unit(edge, figures + extra_figures, unit)
        if step == 0:
            continue
        moved = {t: 0.0 for t in needed if name in closure[t]}
        for sign in (1.0, -1.0):
            try:
                env, _ = evaluate(problem, param_si, overrides=overrides,
                                  nudges={name: sign * step})
            except _NUMERIC_ERRORS:
                continue
            for t in moved:
                change = abs(env[t] - base[t])
                if math.isfinite(change):
                    moved[t] = max(moved[t], change)
        for t, change in moved.items():
            widths[t] += change
    return {t: widths[t] for t in wanted}
