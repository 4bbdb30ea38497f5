"""Units of the bank's expressions, checked at load: the grammar's dimension back end.

As brian2 checks the units of its equations, the bank checks every expression of a problem file
once, when the file is loaded, and refuses one that adds, subtracts or compares quantities of
different dimensions (``V_rest + 3 mM``), takes ``ln``/``exp`` of a quantity with a unit, or raises
one to a power that is not a constant number.  The dimension of each name is known before the
expression is read (:mod:`.schema` records them in file order):

* a parameter: the dimension of its display ``unit``;
* a constant (``R F e N_A k_B pi``): :data:`membranelab.bank.variants.CONSTANT_UNITS`;
* a derived value computed by a solver: the solver's SI unit
  (:data:`membranelab.physics.SOLVER_UNITS`; for a solver that returns the unit of one of its
  arguments, that argument's dimension); its display ``unit`` must have the same dimension;
* a derived value given by ``expr``: the dimension inferred here; its ``unit``, when given,
  must agree.

A number without a unit is a pure number, except a bare zero (``0``, ``0.0``), which fits any
dimension (``sigma > 0``, ``E_K < 0``): zero is zero in every unit.  Values stay floats in SI:
this back end only follows dimensions (pint's ``UnitsContainer``) and the value of constant
sub-expressions, which a power's exponent needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from membranelab.grading.tokens import Token
from membranelab.physics.units import dimensionality

from .expr import FUNCTIONS, Expr, ExprError, quantity_si

__all__ = ["DIMENSIONLESS", "DimensionError", "describe", "dimension_of", "unit_disagreement"]

#: The dimension of a pure number.
DIMENSIONLESS = dimensionality(None)

# Sentences of the errors (English, for the bank's author; named parameters).
MISMATCH = "cannot {verb} {left} ({left_text!r}) and {right} ({right_text!r}) at column {column}"
NOT_PURE = "the {role} must be a pure number, but {text!r} is {dimension} (column {column})"
NOT_CONSTANT = ("{text!r} is {dimension}: its power needs a constant exponent, not {exponent!r} "
                "(column {column})")
UNKNOWN = "no dimension is known for {name!r} (column {column})"
UNIT_MISMATCH = "the value is {dimension} but its unit {unit!r} is {unit_dimension}"
_VERBS = {"+": "add", "-": "subtract", "<": "compare", "<=": "compare", ">": "compare",
          ">=": "compare", "==": "compare", "!=": "compare"}

#: Units named in messages when a dimension is one of theirs (else SI base units are shown).
_NAMED_UNITS = ("V", "A", "S", "F", "C", "ohm", "W", "J", "J/mol", "J/K", "W/K", "J/(mol*K)",
                "C/mol", "1/mol", "mol/m**3", "mol", "K", "s", "Hz", "m", "m**2", "m**3", "kg")
#: SI base units, in the order they are written (kg·m²/(s³·A) is a volt).
_BASE = {"[mass]": "kg", "[length]": "m", "[time]": "s", "[current]": "A",
         "[temperature]": "K", "[substance]": "mol", "[luminosity]": "cd"}
_ORDER = {key: index for index, key in enumerate(_BASE)}
_TRANSCENDENTAL = ("ln", "log", "lg", "log10", "exp")


class DimensionError(ExprError):
    """An expression whose units do not fit together: message and character offset."""


def describe(dims: Any) -> str:
    """A dimension as a reader knows it: "volt (V)", "mol/m**3", "kg·m²/s³", "a pure number"."""
    if dims == DIMENSIONLESS:
        return "a pure number"
    for unit in _NAMED_UNITS:
        if dimensionality(unit) == dims:
            return unit
    items = sorted(dims.items(), key=lambda item: (_ORDER.get(item[0], len(_ORDER)), item[0]))
    up = [f"{_BASE.get(k, k)}^{v:g}" if v != 1 else _BASE.get(k, k) for k, v in items if v > 0]
    down = [f"{_BASE.get(k, k)}^{-v:g}" if v != -1 else _BASE.get(k, k)
            for k, v in items if v < 0]
    text = "*".join(up) or "1"
    return f"{text}/({'*'.join(down)})" if len(down) > 1 else f"{text}/{down[0]}" if down else text


@dataclass(frozen=True)
class _Dim:
    """A sub-expression's dimension; ``value`` when it is a constant (numbers and units only);
    ``bare`` when written with numbers only; ``start``/``end`` its span in the text."""

    dims: Any
    value: float | None
    bare: bool
    start: int
    end: int

    @property
    def free(self) -> bool:
        """A bare zero: it fits any dimension."""
        return self.bare and self.value == 0


def _span(first: _Dim, last: _Dim, dims: Any, value: float | None, bare: bool) -> _Dim:
    return _Dim(dims, value, bare, first.start, last.end)


def _constant(func: Any, *args: float | None) -> float | None:
    """``func(*args)`` when every argument is known and the result is a finite float."""
    if any(a is None for a in args):
        return None
    try:
        value = float(func(*args))
    except (ValueError, ArithmeticError, TypeError):
        return None
    return value if math.isfinite(value) else None


class DimensionBackend:
    """The grammar's back end following dimensions; raises DimensionError where they clash."""

    def __init__(self, text: str, dimensions: Mapping[str, Any]) -> None:
        self.text = text
        self.dimensions = dimensions

    def quote(self, node: _Dim) -> str:
        return self.text[node.start:node.end].strip()

    def number(self, token: Token) -> _Dim:
        end = token.offset + len(token.text)
        return _Dim(DIMENSIONLESS, float(token.text), True, token.offset, end)

    def quantity(self, number: Token, unit: Token) -> _Dim:
        return _Dim(dimensionality(unit.text), quantity_si(number, unit), False, number.offset,
                    unit.offset + len(unit.text))

    def name(self, token: Token) -> _Dim:
        if token.text not in self.dimensions:
            raise DimensionError(UNKNOWN.format(name=token.text, column=token.offset + 1),
                                 token.offset)
        return _Dim(self.dimensions[token.text], None, False, token.offset,
                    token.offset + len(token.text))

    def group(self, inner: _Dim, opening: Token, close: Token) -> _Dim:
        return _Dim(inner.dims, inner.value, inner.bare, opening.offset, close.offset + 1)

    def call(self, function: Token, argument: _Dim, close: Token) -> _Dim:
        name = function.text
        dims = argument.dims
        if name in _TRANSCENDENTAL:
            self.pure(argument, f"argument of {name}")
        elif name == "sqrt":
            dims = dims ** 0.5
        value = _constant(FUNCTIONS[name], argument.value)
        return _Dim(dims, value, argument.bare, function.offset, close.offset + 1)

    def negate(self, sign: Token, operand: _Dim) -> _Dim:
        value = None if operand.value is None else -operand.value
        return _Dim(operand.dims, value, operand.bare, sign.offset, operand.end)

    def sum(self, terms: list[tuple[Token | None, _Dim]]) -> _Dim:
        reference: _Dim | None = None
        value: float | None = 0.0
        for op, term in terms:
            if not term.free:
                if reference is None:
                    reference = term
                elif term.dims != reference.dims:
                    self.mismatch(op, reference, term)
            minus = op is not None and op.text == "-"
            value = _constant(lambda a, b, m=minus: a - b if m else a + b, value, term.value)
        dims = reference.dims if reference is not None else DIMENSIONLESS
        return _span(terms[0][1], terms[-1][1], dims, value, all(t.bare for _, t in terms))

    def product(self, factors: list[tuple[Token | None, _Dim]]) -> _Dim:
        dims, value = factors[0][1].dims, factors[0][1].value
        for op, factor in factors[1:]:
            divide = op is not None and op.text == "/"
            dims = dims / factor.dims if divide else dims * factor.dims
            value = _constant(lambda a, b, d=divide: a / b if d else a * b, value, factor.value)
        return _span(factors[0][1], factors[-1][1], dims, value,
                     all(f.bare for _, f in factors))

    def power(self, base: _Dim, exponent: _Dim, operator: Token) -> _Dim:
        self.pure(exponent, "exponent")
        dims = base.dims
        if dims != DIMENSIONLESS:
            if exponent.value is None:
                raise DimensionError(NOT_CONSTANT.format(
                    text=self.quote(base), dimension=describe(dims),
                    exponent=self.quote(exponent), column=operator.offset + 1), operator.offset)
            dims = dims ** exponent.value
        return _span(base, exponent, dims, _constant(math.pow, base.value, exponent.value),
                     base.bare and exponent.bare)

    def compare(self, operator: Token, left: _Dim, right: _Dim) -> _Dim:
        if not (left.free or right.free) and left.dims != right.dims:
            self.mismatch(operator, left, right)
        return _span(left, right, DIMENSIONLESS, None, False)

    def pure(self, node: _Dim, role: str) -> None:
        """Refuse ``node`` unless it is a pure number (bare zero included)."""
        if node.dims != DIMENSIONLESS and not node.free:
            raise DimensionError(NOT_PURE.format(role=role, text=self.quote(node),
                                                 dimension=describe(node.dims),
                                                 column=node.start + 1), node.start)

    def mismatch(self, operator: Token | None, left: _Dim, right: _Dim) -> None:
        verb = _VERBS.get(operator.text if operator else "+", "combine")
        offset = operator.offset if operator else right.start
        raise DimensionError(MISMATCH.format(
            verb=verb, left=describe(left.dims), left_text=self.quote(left),
            right=describe(right.dims), right_text=self.quote(right), column=offset + 1), offset)


def dimension_of(expr: Expr, dimensions: Mapping[str, Any]) -> Any:
    """The dimension of ``expr`` given those of its names (pure number for a comparison);
    DimensionError when its units do not fit together."""
    node = expr.parse_with(DimensionBackend(expr.folded, dimensions))
    return node.dims


def unit_disagreement(dims: Any, unit: str | None) -> str | None:
    """The sentence saying that a value of dimension ``dims`` cannot be shown in ``unit`` (a
    derived value's display unit; None: a pure number), or None when they agree."""
    expected = dimensionality(unit)
    if expected == dims:
        return None
    return UNIT_MISMATCH.format(dimension=describe(dims), unit=unit or "dimensionless",
                                unit_dimension=describe(expected))
