"""Schema of a problem file's front matter: each field checked and turned into the bank's
frozen dataclasses (:mod:`membranelab.bank.model`); every failure is a :class:`BankError` naming
the file and the field. :mod:`membranelab.bank.load` reads the files and calls these checks.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from membranelab.formulas import FORMULAS
from membranelab.physics import SOLVER_UNITS, SOLVERS
from membranelab.physics.errata import source_errata
from membranelab.physics.units import dimensionality, unit_factors

from .dimensions import DIMENSIONLESS, DimensionError, dimension_of, unit_disagreement
from .errors import BankError
from .expr import Expr, ExprError
from .kinds import KINDS, SpecContext, kind_class
from .model import DEFAULT_HINT_COST, Derived, Figure, Parameter, Part, Problem
from .plots import PLOTS, PlotContext, plot_class
from .template import Placeholder, placeholders
from .variants import CONSTANT_UNITS

__all__ = ["Checker", "TOP_KEYS", "REQUIRED_TOP", "check_parameter", "check_derived", "check_part",
           "check_figure", "check_placeholders", "check_uid", "check_order"]

TOP_KEYS = {"id", "uid", "order", "title", "topic", "source", "params", "constraints",
            "invariants", "derived", "parts", "errata", "figures", "scoring"}
REQUIRED_TOP = ("id", "title", "topic", "source", "params", "parts")
_PARAM_KEYS = {"low", "high", "step", "choices", "value", "unit", "canonical", "label"}
#: Fields of every part; each answer kind adds its own (``AnswerKind.fields``).
_PART_KEYS = frozenset({"id", "kind", "prompt", "points", "hints", "hint_cost"})
_UID = re.compile(r"[a-z0-9][a-z0-9\-]{0,63}")
#: A number YAML 1.1 reads as text (1e9, -2.5E-3: no dot or no exponent sign).
_FLOAT_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: Fields of every figure; each plot kind adds its own (``PlotKind.fields``).
_FIGURE_KEYS = frozenset({"id", "kind", "caption"})


class Checker:
    """Schema checks of one problem file; each failure raises BankError(file, field, ...).

    ``dimensions`` holds the dimension of every name met so far (constants, then parameters and
    derived values in file order), against which expressions are checked
    (:mod:`.dimensions`)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.dimensions: dict[str, Any] = {name: dimensionality(unit)
                                           for name, unit in CONSTANT_UNITS.items()}

    def fail(self, field: str, message: str) -> BankError:
        return BankError(self.file, field, message)

    def mapping(self, value: Any, field: str) -> Mapping:
        if not isinstance(value, Mapping):
            raise self.fail(field, f"expected a mapping, found {type(value).__name__}")
        return value

    def text(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"expected non-empty text, found {value!r}")
        return value

    def number(self, value: Any, field: str, minimum: float | None = None) -> float:
        """A finite number (``1e9``, a string to YAML 1.1, is read as the number it spells)."""
        if isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(field, f"expected a number, found {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise self.fail(field, f"expected a finite number, found {value!r}")
        if minimum is not None and number < minimum:
            raise self.fail(field, f"expected a number >= {minimum:g}, found {value!r}")
        return number

    def keys(self, spec: Mapping, allowed: AbstractSet[str], field: str) -> None:
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise self.fail(f"{field}.{unknown[0]}",
                            f"unknown field; allowed: {', '.join(sorted(allowed))}")

    def unit(self, value: Any, field: str) -> str:
        unit = self.text(value, field)
        try:
            unit_factors(unit)
        except ValueError as exc:
            raise self.fail(field, str(exc)) from None
        return unit

    def expr(self, value: Any, field: str, known: set[str], condition: bool | None) -> Expr:
        try:
            e = Expr(self.text(value, field))
        except ExprError as exc:
            raise self.fail(field, f"cannot parse {value!r}: {exc}") from None
        except RecursionError:
            raise self.fail(field, f"cannot parse {str(value)[:40]!r}...: nested too deeply") from None
        if condition is not None and e.is_condition != condition:
            raise self.fail(field, f"{value!r}: expected {'a comparison' if condition else 'a value'}")
        missing = sorted(e.names - known)
        if missing:
            raise self.fail(field, f"unknown name {missing[0]!r} in {value!r}")
        self.dimension(e, field)
        return e

    def dimension(self, e: Expr, field: str) -> Any:
        """The dimension of ``e`` over the names' dimensions; BankError when units clash."""
        try:
            return dimension_of(e, self.dimensions)
        except DimensionError as exc:
            raise self.fail(field, f"{exc.message} in {e.text!r}") from None


def check_parameter(c: Checker, name: str, spec: Any) -> Parameter:
    field = f"params.{name}"
    spec = c.mapping(spec, field)
    c.keys(spec, _PARAM_KEYS, field)
    if "unit" not in spec:
        raise c.fail(f"{field}.unit", "missing (use 'dimensionless' for pure numbers)")
    unit = c.unit(spec["unit"], f"{field}.unit")
    c.dimensions[name] = dimensionality(unit)
    raw: list[Any]
    values: tuple[float, ...]
    if "value" in spec:
        raw = [spec["value"]]
        values = (c.number(spec["value"], f"{field}.value"),)
    elif "choices" in spec:
        raw = list(spec["choices"]) if isinstance(spec["choices"], list) else []
        if not raw:
            raise c.fail(f"{field}.choices", "expected a non-empty list of numbers")
        values = tuple(c.number(v, f"{field}.choices") for v in raw)
    else:
        for key in ("low", "high", "step"):
            if key not in spec:
                raise c.fail(f"{field}.{key}", "missing (give low/high/step, choices or value)")
        raw = [spec["low"], spec["high"], spec["step"]]
        low, high, step = (c.number(spec[k], f"{field}.{k}") for k in ("low", "high", "step"))
        if step <= 0 or high < low:
            raise c.fail(field, f"need step > 0 and high >= low, found {low}..{high} by {step}")
        n = round((high - low) / step)
        if n > 100_000 or abs(low + n * step - high) > 1e-9 * max(1.0, abs(high)):
            raise c.fail(f"{field}.step", f"{step} does not divide {low}..{high} (or too fine)")
        values = tuple(round(low + k * step, 12) for k in range(n + 1))
    canonical = spec.get("canonical", values[0] if "value" in spec else None)
    if canonical is None:
        raise c.fail(f"{field}.canonical", "missing: the source document's value")
    raw.append(canonical)
    canonical = c.number(canonical, f"{field}.canonical")
    if not any(abs(canonical - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
        if not ("low" in spec and values[0] <= canonical <= values[-1]):
            raise c.fail(f"{field}.canonical", f"{canonical} is outside the parameter's values")
    integer = all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
    return Parameter(name, unit, canonical, values, integer, str(spec.get("label", "")))


def _check_args(c: Checker, args: Any, field: str, known: set[str]) -> None:
    if isinstance(args, str):
        if args not in known:
            raise c.fail(field, f"unknown name {args!r}")
    elif isinstance(args, Mapping):
        for k, v in args.items():
            _check_args(c, v, f"{field}.{k}", known)
    elif isinstance(args, list):
        for i, v in enumerate(args):
            _check_args(c, v, f"{field}[{i}]", known)
    else:
        c.number(args, field)


def check_derived(c: Checker, name: str, spec: Any, known: set[str], field: str) -> Derived:
    """A derived value (``expr`` or ``solver`` + ``args``); its dimension is recorded in
    ``c.dimensions`` (see :mod:`.dimensions` for the rule) and must fit its display ``unit``."""
    spec = c.mapping(spec, field)
    if "expr" in spec:
        expr = c.expr(spec["expr"], f"{field}.expr", known, False)
        unit = c.unit(spec["unit"], f"{field}.unit") if "unit" in spec else None
        _record_dimension(c, name, c.dimension(expr, f"{field}.expr"), unit, field)
        return Derived(name, expr=expr, unit=unit)
    if "solver" not in spec:
        raise c.fail(f"{field}.solver", "missing (give a solver with args, or an expr)")
    solver = spec["solver"]
    if solver not in SOLVERS:
        raise c.fail(f"{field}.solver", f"unknown solver {solver!r}; known: {', '.join(SOLVERS)}")
    args = c.mapping(spec.get("args", {}), f"{field}.args")
    _check_args(c, dict(args), f"{field}.args", known)
    try:
        inspect.signature(SOLVERS[solver]).bind(**args)
    except TypeError as exc:
        raise c.fail(f"{field}.args", f"do not fit {solver}(): {exc}") from None
    unit = c.unit(spec["unit"], f"{field}.unit") if "unit" in spec else None
    _record_dimension(c, name, _solver_dimension(c, solver, args, unit, field), unit, field)
    return Derived(name, solver=solver, args=dict(args), unit=unit)


def _solver_dimension(c: Checker, solver: str, args: Mapping, unit: str | None, field: str
                      ) -> Any:
    """The dimension of a solver's result: its SI unit (``SOLVER_UNITS``), or for a solver
    returning its argument's unit, that argument's (a number argument: the display unit's)."""
    declared = SOLVER_UNITS.get(solver)
    if declared is None:
        raise c.fail(f"{field}.solver", f"solver {solver!r} declares no unit (SOLVER_UNITS)")
    if not declared.startswith("="):
        return dimensionality(declared)
    argument = args.get(declared[1:])
    if isinstance(argument, str):
        return c.dimensions[argument]
    return dimensionality(unit) if unit is not None else DIMENSIONLESS


def _record_dimension(c: Checker, name: str, dims: Any, unit: str | None, field: str) -> None:
    """Record ``name``'s dimension; BankError when its display ``unit`` has another one."""
    if unit is not None:
        disagreement = unit_disagreement(dims, unit)
        if disagreement:
            raise c.fail(f"{field}.unit", disagreement)
    c.dimensions[name] = dims


def check_uid(c: Checker, meta: Mapping, pid: str) -> str:
    """The problem's stable ``uid`` (default: its id): lower-case letters, digits and hyphens."""
    uid = meta.get("uid", pid)
    if not isinstance(uid, str) or not _UID.fullmatch(uid):
        raise c.fail("uid", f"expected lower-case letters, digits and '-' (at most 64), "
                     f"found {uid!r}")
    return uid


def check_order(c: Checker, meta: Mapping) -> float | None:
    """The teaching position (``order``, a number; None when absent)."""
    if "order" not in meta:
        return None
    order = c.number(meta["order"], "order")
    if not math.isfinite(order):
        raise c.fail("order", f"expected a finite number, found {meta['order']!r}")
    return order


def check_part(c: Checker, i: int, spec: Any, known: set[str], derived: list[Derived]) -> Part:
    """Part ``i``: the common fields here, the rest by its answer kind
    (:mod:`membranelab.bank.kinds`); a ``solver``/``expr`` on the part itself is added to
    ``derived`` (and ``known``) under the part's id."""
    field = f"parts[{i}]"
    spec = c.mapping(spec, field)
    kind = kind_class(spec.get("kind"))
    if kind is None:
        c.keys(spec, _PART_KEYS | _all_kind_fields(), field)
        raise c.fail(f"{field}.kind", f"expected {KINDS.expected()}, found {spec.get('kind')!r}")
    c.keys(spec, _PART_KEYS | kind.fields, field)
    pid = c.text(spec.get("id"), f"{field}.id")
    prompt = c.text(spec.get("prompt"), f"{field}.prompt")
    points = c.number(spec.get("points", 1), f"{field}.points", minimum=0)
    hints = spec.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
        raise c.fail(f"{field}.hints", "expected a list of texts")
    hint_cost = c.number(spec.get("hint_cost", DEFAULT_HINT_COST), f"{field}.hint_cost")
    if not 0 <= hint_cost <= 1:
        raise c.fail(f"{field}.hint_cost", f"expected a share of the points in 0..1, "
                     f"found {hint_cost!r}")

    def derive(own: Mapping[str, Any]) -> str:
        derived.append(check_derived(c, pid, own, known, field))
        known.add(pid)
        return pid

    ctx = SpecContext(checker=c, field=field, part_id=pid, known=frozenset(known), derive=derive,
                      dimensions=c.dimensions)
    return Part(id=pid, answer_kind=kind.from_spec(spec, ctx), prompt=prompt, points=points,
                hints=tuple(hints), hint_cost=hint_cost)


def _all_kind_fields() -> frozenset[str]:
    """Every field some registered kind reads (a part of unknown kind is checked against all)."""
    return frozenset().union(*(kind.fields for n in KINDS.names()
                               if (kind := kind_class(n)) is not None))


def check_figure(c: Checker, i: int, spec: Any, params: Mapping[str, Parameter], known: set[str]
                 ) -> Figure:
    """Figure ``i``: ``id`` and ``caption`` here, the rest by its plot kind
    (:mod:`membranelab.bank.plots`)."""
    field = f"figures[{i}]"
    spec = c.mapping(spec, field)
    plot = plot_class(spec.get("kind"))
    c.keys(spec, _FIGURE_KEYS | (plot.fields if plot else _all_plot_fields()), field)
    fid = c.text(spec.get("id"), f"{field}.id")
    caption = c.text(spec.get("caption"), f"{field}.caption")
    if plot is None:
        raise c.fail(f"{field}.kind", f"expected {PLOTS.expected()}, found {spec.get('kind')!r}")
    ctx = PlotContext(checker=c, field=field, params=params, known=frozenset(known),
                      check_args=lambda value, f: _check_args(c, value, f, known),
                      dimensions=c.dimensions)
    return Figure(fid, caption, plot.from_spec(spec, ctx))


def _all_plot_fields() -> frozenset[str]:
    """Every field some registered plot kind reads."""
    return frozenset().union(*(plot.fields for n in PLOTS.names()
                               if (plot := plot_class(n)) is not None))


def check_placeholders(c: Checker, text: str, field: str, problem: Problem) -> None:
    names = set(problem.params) | {p.id for p in problem.parts} | {d.name for d in problem.derived}
    figures = {f.id for f in problem.figures}
    errata = source_errata()
    try:
        found: list[Placeholder] = placeholders(text)
    except ValueError as exc:
        raise c.fail(field, str(exc)) from None
    for ph in found:
        if ph.prefix == "formula" and ph.name not in FORMULAS:
            raise c.fail(field, f"unknown formula {{{{{ph.text}}}}}")
        if ph.prefix == "erratum" and ph.name not in errata:
            raise c.fail(field, f"unknown erratum {{{{{ph.text}}}}}")
        if ph.prefix == "figure" and ph.name not in figures:
            raise c.fail(field, f"unknown figure {{{{{ph.text}}}}}")
        if not ph.prefix:
            if ph.name not in names:
                raise c.fail(field, f"unknown name {{{{{ph.text}}}}}: not a parameter, part or "
                             f"derived value")
            if ph.unit is not None:
                try:
                    unit_factors(ph.unit)
                except ValueError as exc:
                    raise c.fail(field, f"{{{{{ph.text}}}}}: {exc}") from None
