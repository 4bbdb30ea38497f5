"""Expressions of problem files, read by the one grammar (:mod:`membranelab.grading.grammar`).

Problem files hold trusted expressions: derived values (``expr: "V_rest - E_K"``), constraints
and invariants (``"K_in > 10 * K_out"``), choice conditions (``if: "V_rest > E_K"``).  They are
read by the same tokenizer and grammar as students' formulas, in the bank dialect
(:data:`~membranelab.grading.tokens.BANK`): the same precedence (``-x**2`` is ``-(x**2)``;
``^`` and ``**`` are right-associative, ``2**3**2`` is 512), the same functions
(``ln log lg log10 exp sqrt abs``; ``log`` is natural), one comparison at the top, no implicit
products, and quantities: a number followed by a unit (``3 mV``, ``55 kJ/mol``, ``10 K``;
the unit in pint's spelling, without spaces) is converted to SI here, as parameters are.

The float back end below compiles the text once into closures evaluated many times with SI
values of the names (``Expr.evaluate``); :mod:`.dimensions` is a second back end over the same
tokens that checks units at load (``Expr.dimension``).  Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from membranelab.grading.grammar import Parser
from membranelab.grading.limits import Limits
from membranelab.grading.tokens import BANK, Refusal, Token, normalize, tokenize
from membranelab.physics.units import unit_factors

__all__ = ["ExprError", "Expr", "FUNCTIONS", "MAX_LENGTH"]

#: Longest expression accepted, in characters.
MAX_LENGTH = 500
_LIMITS = Limits(max_formula_length=MAX_LENGTH)

#: The grammar's functions as floats; each raises ValueError (or OverflowError) where it is
#: undefined instead of returning a complex number or NaN.
FUNCTIONS: Mapping[str, Callable[[float], float]] = {
    "ln": math.log,
    "log": math.log,
    "lg": math.log10,
    "log10": math.log10,
    "exp": math.exp,
    "sqrt": math.sqrt,
    "abs": abs,
}
_COMPARE: Mapping[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}

# Sentences of the errors (English, for the bank's author; named parameters).
UNKNOWN_UNIT = "{reason} at column {column}"
OFFSET_UNIT = ("unit {unit!r} at column {column} has an offset (a temperature scale): write "
               "temperatures in K")
TOO_LONG = "expression longer than {limit} characters"
EMPTY = "empty expression"

Env = Mapping[str, float]
Compiled = Callable[[Env], Any]


class ExprError(ValueError):
    """An expression could not be read: message and character offset."""

    def __init__(self, message: str, offset: int) -> None:
        self.offset = offset
        self.message = message
        super().__init__(f"{message} at offset {offset}")


def quantity_si(number: Token, unit: Token) -> float:
    """The SI value of ``<number> <unit>`` (as parameters are converted); ExprError for an
    unknown unit or one with an offset (degC: ``5 degC`` is not a temperature difference)."""
    try:
        scale, offset = unit_factors(unit.text)
    except ValueError as exc:
        raise ExprError(UNKNOWN_UNIT.format(reason=exc, column=unit.offset + 1),
                        unit.offset) from None
    if offset:
        raise ExprError(OFFSET_UNIT.format(unit=unit.text, column=unit.offset + 1), unit.offset)
    return scale * float(number.text)


class FloatBackend:
    """The grammar's back end for trusted bank data: closures of an SI environment."""

    def __init__(self) -> None:
        #: the names the expression reads (functions excluded)
        self.names: set[str] = set()

    def number(self, token: Token) -> Compiled:
        value = float(token.text)
        return lambda env: value

    def quantity(self, number: Token, unit: Token) -> Compiled:
        value = quantity_si(number, unit)
        return lambda env: value

    def name(self, token: Token) -> Compiled:
        name = token.text
        self.names.add(name)
        return lambda env: env[name]

    def call(self, function: Token, argument: Compiled, close: Token) -> Compiled:
        func = FUNCTIONS[function.text]
        return lambda env: func(argument(env))

    def group(self, inner: Compiled, opening: Token, close: Token) -> Compiled:
        return inner

    def negate(self, sign: Token, operand: Compiled) -> Compiled:
        return lambda env: -operand(env)

    def sum(self, terms: list[tuple[Token | None, Compiled]]) -> Compiled:
        first = terms[0][1]
        rest = [(op is not None and op.text == "-", term) for op, term in terms[1:]]

        def chained(env: Env) -> float:  # left to right, as written
            value = first(env)
            for minus, term in rest:
                value = value - term(env) if minus else value + term(env)
            return value

        return chained

    def product(self, factors: list[tuple[Token | None, Compiled]]) -> Compiled:
        first = factors[0][1]
        rest = [(op is not None and op.text == "/", factor) for op, factor in factors[1:]]

        def chained(env: Env) -> float:
            value = first(env)
            for divide, factor in rest:
                value = value / factor(env) if divide else value * factor(env)
            return value

        return chained

    def power(self, base: Compiled, exponent: Compiled, operator: Token) -> Compiled:
        return lambda env: math.pow(base(env), exponent(env))

    def compare(self, operator: Token, left: Compiled, right: Compiled) -> Compiled:
        test = _COMPARE[operator.text]
        return lambda env: test(left(env), right(env))


class Expr:
    """A parsed expression: ``Expr("K_in > 10 * K_out").evaluate({...})``."""

    __slots__ = ("text", "folded", "names", "is_condition", "_compiled", "_tokens")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise ExprError(EMPTY, 0)
        if len(text) > MAX_LENGTH:
            raise ExprError(TOO_LONG.format(limit=MAX_LENGTH), MAX_LENGTH)
        self.text = text
        #: the text after the tokenizer's normalisation (what token offsets index)
        self.folded = normalize(text)
        backend = FloatBackend()
        self._tokens = read(self.folded)
        self._compiled, self.is_condition = _parse(self._tokens, backend, len(self.folded))
        #: Names the expression reads (functions excluded).
        self.names = frozenset(backend.names)

    def evaluate(self, env: Env) -> Any:
        """The value (float, or bool for a comparison) with names looked up in ``env`` (SI)."""
        return self._compiled(env)

    def parse_with(self, backend: Any) -> Any:
        """The expression built by another back end of the grammar (e.g. :mod:`.dimensions`)."""
        return _parse(self._tokens, backend, len(self.folded))[0]

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"


def read(folded: str) -> list[Token]:
    """The bank-dialect tokens of normalized text (ExprError with the column on refusal)."""
    try:
        return tokenize(folded, _LIMITS, BANK)
    except Refusal as refusal:
        raise ExprError(refusal.message, refusal.offset) from None


def _parse(tokens: list[Token], backend: Any, length: int) -> tuple[Any, bool]:
    """(the node ``backend`` built, whether it is a comparison); ExprError on a refusal."""
    parser = Parser(tokens, backend, BANK, length=length, limits=_LIMITS)
    try:
        node = parser.parse()
    except Refusal as refusal:
        raise ExprError(refusal.message, refusal.offset) from None
    return node, parser.compared
