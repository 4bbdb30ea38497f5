"""Whitelist tokenizer and recursive-descent parser: student text -> sympy expression.

Nothing here calls ``eval``, ``exec``, ``sympify`` or ``parse_expr``: the text is split into
tokens of a few allowed kinds, and the parser builds the sympy tree itself from objects it
created (its own positive ``Symbol``s, sympy's ``Integer``/``Rational``, ``log``, ``exp``).
So sympy's own names (``I``, ``E``, ``N``, ``S``, ``Q``, ``beta``...) never leak into a
student's formula, and ``^`` means power, not XOR.

The pipeline, in order (each step a function with one job):

1. ``tokens.normalize`` maps a few typographic characters one-to-one (offsets do not move).
2. ``tokens.tokenize`` splits into NUMBER, NAME, OP tokens; any other character is refused.
3. :class:`_Parser` parses the grammar below, checking depth and exponent sizes *before*
   building a power (``10^10^10`` is refused, never computed).

Grammar (``^`` and ``**`` are the same, right-associative, binding tighter than a sign)::

    sum      := product (("+" | "-") product)*
    product  := signed (("*" | "/") signed | implicit)*
    implicit := power          -- only when the next token is a NAME or "(" (see below)
    signed   := ("+" | "-") signed | power
    power    := atom (("^" | "**") signed)?
    atom     := NUMBER | SYMBOL | FUNCTION "(" sum ")" | "(" sum ")"

Implicit multiplication: a factor followed directly by a symbol, a function or "(" is
multiplied, with the same precedence as ``*`` (left to right): ``2x``, ``2(x+1)``, ``R T/F``
(= R*T/F), ``(a)(b)``.  So ``1/2x`` means x/2, as in a calculator.  A number after a factor
(``x 2``, ``2 3``) is refused as a missing operator, because it is more often a typo.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import sympy

from .bounds import bounded_power, check_exp
from .limits import DEFAULT_LIMITS, Limits
from .tokens import (
    NUMBER_PATTERN,
    Refusal,
    Token,
    blank_assignment,
    normalize,
    pointer,
    tokenize,
)

log = logging.getLogger(__name__)

__all__ = [
    "FUNCTIONS",
    "constant_value",
    "NUMBER_PATTERN",
    "ParseFailure",
    "ParseSuccess",
    "Token",
    "blank_assignment",
    "make_symbols",
    "normalize",
    "parse_expression",
    "pointer",
    "tokenize",
]

# Builders of unevaluated sympy nodes: sympy's automatic evaluation (assumption queries,
# flattening, powers of numbers) is skipped, so building costs microseconds and can never
# start a long computation; the numeric test evaluates the tree itself.
def _add(terms: list[sympy.Expr]) -> sympy.Expr:
    return terms[0] if len(terms) == 1 else sympy.Add(*terms, evaluate=False)


def _mul(factors: list[sympy.Expr]) -> sympy.Expr:
    return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)


def _pow(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    return sympy.Pow(base, exponent, evaluate=False)


def _negate(expr: sympy.Expr) -> sympy.Expr:
    return sympy.Mul(sympy.S.NegativeOne, expr, evaluate=False)


def _log(arg: sympy.Expr) -> sympy.Expr:
    return sympy.log(arg, evaluate=False)


#: The functions a student may use, mapped to builders of sympy objects (log is natural).
FUNCTIONS: Mapping[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "ln": _log,
    "log": _log,
    "log10": lambda arg: _mul([_log(arg), _pow(_log(sympy.Integer(10)), sympy.S.NegativeOne)]),
    "exp": lambda arg: sympy.exp(arg, evaluate=False),
    "sqrt": lambda arg: _pow(arg, sympy.S.Half),
}


def constant_value(expr: sympy.Basic) -> float:
    """The float value of an expression without symbols, computed with Python floats
    (overflow gives inf, undefined gives nan); never calls sympy's evalf."""
    try:
        if expr.is_Number:
            return float(expr)
        values = [constant_value(arg) for arg in expr.args]
        if isinstance(expr, sympy.Add):
            return math.fsum(values)
        if isinstance(expr, sympy.Mul):
            return math.prod(values)
        if isinstance(expr, sympy.Pow):
            return math.pow(values[0], values[1])
        if isinstance(expr, sympy.log):
            return math.log(values[0])
        if isinstance(expr, sympy.exp):
            return math.exp(values[0])
    except OverflowError:
        return math.inf
    except (ValueError, TypeError, ZeroDivisionError):
        return math.nan
    return math.nan

SymbolsArg = Iterable[str] | Mapping[str, object]

@dataclass(frozen=True)
class ParseSuccess:
    """A parsed formula and the declared symbols it uses."""

    expr: sympy.Expr
    symbols: frozenset[str]


@dataclass(frozen=True)
class ParseFailure:
    """A refusal: the English sentence, the 0-based offset it points at, a stable note, the
    caret lines, and the catalog key and parameters of the sentence (for other languages)."""

    message: str
    offset: int
    note: str = "parse.error"
    pointer: str = ""
    key: str = ""
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def explain(self) -> str:
        """The message followed by the caret lines pointing at the offending character."""
        return f"{self.message}\n{self.pointer}" if self.pointer else self.message

def _number(text: str, offset: int, limits: Limits) -> sympy.Rational:
    """An exact sympy Rational for a number literal, refusing exponents beyond the limit."""
    mantissa, _, exponent = text.lower().partition("e")
    power = int(exponent) if exponent else 0
    if abs(power) > limits.max_literal_exponent:
        raise Refusal("parse.literal_range", offset, "limits.too_large",
                      {"number": text, "column": offset + 1,
                       "limit": limits.max_literal_exponent})
    whole, _, fraction = mantissa.partition(".")
    digits = int((whole or "0") + fraction)
    return sympy.Rational(digits, 10 ** len(fraction)) * sympy.Rational(10) ** power


@lru_cache(maxsize=256)
def _symbol_table(names: tuple[str, ...]) -> dict[str, sympy.Symbol]:
    return {name: sympy.Symbol(name, positive=True) for name in names}


_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def make_symbols(symbols: SymbolsArg) -> dict[str, sympy.Symbol]:
    """Our own positive Symbols for the declared names (names are checked, never evaluated)."""
    names = tuple(sorted(str(name) for name in symbols))
    for name in names:
        if not _NAME_RE.match(name) or name in FUNCTIONS:
            raise ValueError(f"symbol name {name!r} is not a plain identifier or is a function name")
    return _symbol_table(names)


class _Parser:
    """Step 3: recursive descent over the token list (grammar in the module docstring)."""

    def __init__(self, tokens: list[Token], symbols: Mapping[str, sympy.Symbol],
                 length: int, limits: Limits) -> None:
        self.tokens = tokens
        self.symbols = symbols
        self.length = length
        self.limits = limits
        self.index = 0
        self.depth = 0
        self.used: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------
    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def offset(self) -> int:
        token = self.peek()
        return token.offset if token else self.length

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at_op(self, *ops: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.text in ops

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise Refusal("parse.too_deep", self.offset(), "limits.too_deep",
                          {"limit": self.limits.max_depth, "column": self.offset() + 1})

    # -- grammar ---------------------------------------------------------------------------
    def parse(self) -> sympy.Expr:
        if not self.tokens:
            raise Refusal("parse.empty", 0, "answer.empty")
        expr = self.sum()
        token = self.peek()
        if token is not None:
            if token.text == ")":
                raise Refusal("parse.unmatched_close", token.offset,
                              params={"column": token.offset + 1})
            raise Refusal("parse.missing_operator", token.offset,
                          params={"token": repr(token.text), "column": token.offset + 1})
        return expr

    def sum(self) -> sympy.Expr:
        terms = [self.product()]
        while self.at_op("+", "-"):
            sign = self.take().text
            right = self.product()
            terms.append(right if sign == "+" else _negate(right))
        return _add(terms)

    def product(self) -> sympy.Expr:
        factors = [self.signed()]
        while True:
            token = self.peek()
            if token is None:
                return _mul(factors)
            if token.kind == "op" and token.text in ("*", "/"):
                self.take()
                right = self.signed()
                factors.append(right if token.text == "*" else _pow(right, sympy.S.NegativeOne))
            elif token.kind == "name" or (token.kind == "op" and token.text == "("):
                factors.append(self.power())
            else:
                return _mul(factors)

    def signed(self) -> sympy.Expr:
        if self.at_op("+", "-"):
            sign = self.take().text
            self.enter()
            operand = self.signed()
            self.depth -= 1
            return _negate(operand) if sign == "-" else operand
        return self.power()

    def power(self) -> sympy.Expr:
        base = self.atom()
        if not self.at_op("^", "**"):
            return base
        operator = self.take()
        self.enter()
        exponent = self.signed()
        self.depth -= 1
        if not base.free_symbols and not exponent.free_symbols:
            # a power of numbers: exact only when small, never an exact number sized by the
            # exponent (1.0000001^1e9); refused when out of range (bounds.bounded_power)
            return bounded_power(base, exponent, operator.offset, self.limits)
        self.check_power(base, exponent, operator.offset)
        return _pow(base, exponent)

    def check_power(self, base: sympy.Expr, exponent: sympy.Expr, offset: int) -> None:
        """Refuse a power of a symbol before sympy builds it if its exponent is too large."""
        if not exponent.free_symbols:
            size = abs(constant_value(exponent))
            if not size <= self.limits.max_symbolic_exponent:
                raise Refusal("parse.exponent_too_large", offset, "limits.exponent",
                              {"column": offset + 1,
                               "limit": self.limits.max_symbolic_exponent})

    def atom(self) -> sympy.Expr:
        token = self.peek()
        if token is None:
            raise Refusal("parse.ends_early", self.length)
        if token.kind == "number":
            self.take()
            return _number(token.text, token.offset, self.limits)
        if token.kind == "name":
            return self.name()
        if token.text == "(":
            self.take()
            self.enter()
            inner = self.sum()
            self.depth -= 1
            self.close(token)
            return inner
        if token.text == ")":
            raise Refusal("parse.close_before", token.offset,
                          params={"column": token.offset + 1})
        raise Refusal("parse.expected_atom", token.offset,
                      params={"column": token.offset + 1, "token": repr(token.text)})

    def close(self, opening: Token) -> None:
        if self.at_op(")"):
            self.take()
            return
        raise Refusal("parse.missing_close", self.offset(),
                      params={"column": opening.offset + 1})

    def name(self) -> sympy.Expr:
        token = self.take()
        following = self.peek()
        if token.text in FUNCTIONS and following is not None and following.text == "(":
            self.take()
            self.enter()
            argument = self.sum()
            self.depth -= 1
            self.close(following)
            if token.text == "exp" and not argument.free_symbols:
                check_exp(argument, token.offset, self.limits)  # exp(exp(1000)): refused
            return FUNCTIONS[token.text](argument)
        if token.text in self.symbols:
            self.used.add(token.text)
            return self.symbols[token.text]
        if token.text in FUNCTIONS:
            raise Refusal("parse.function_parentheses", token.offset,
                          params={"name": token.text, "column": token.offset + 1})
        key, params = self.unknown_name(token)
        raise Refusal(key, token.offset, params=params)

    def unknown_name(self, token: Token) -> tuple[str, dict[str, object]]:
        """The message key and parameters for a name that is neither symbol nor function."""
        params: dict[str, object] = {
            "name": repr(token.text), "column": token.offset + 1,
            "allowed": ", ".join(sorted(self.symbols)) or "none",
            "functions": "ln, log, log10, exp, sqrt"}
        close = [name for name in list(self.symbols) + list(FUNCTIONS)
                 if name.lower() == token.text.lower()]
        if close:
            return "parse.unknown_name_suggest", {**params, "suggestion": close[0]}
        if token.text.lower() in ("e", "pi"):
            return "parse.unknown_name_constant", params
        return "parse.unknown_name", params


def parse_expression(text: object, symbols: SymbolsArg,
                     *, limits: Limits = DEFAULT_LIMITS) -> ParseSuccess | ParseFailure:
    """Parse a student's formula over the declared ``symbols``; never raises on student text.

    ``symbols`` is a sequence of names (or a mapping whose keys are the names); each becomes a
    positive sympy Symbol made here.  Returns :class:`ParseSuccess` or :class:`ParseFailure`.
    """
    table = make_symbols(symbols)
    if not isinstance(text, str):
        return _failure(Refusal("answer.invalid_type", 0, "answer.invalid_type"), "")
    if len(text) > limits.max_formula_length:
        return _failure(Refusal("answer.too_long", limits.max_formula_length, "limits.too_long",
                                {"length": len(text), "limit": limits.max_formula_length}), "")
    normalized = blank_assignment(normalize(text))
    try:
        tokens = tokenize(normalized, limits)
        parser = _Parser(tokens, table, len(normalized), limits)
        expr = parser.parse()
    except Refusal as refusal:
        return _failure(refusal, pointer(text, refusal.offset))
    except Exception as error:  # noqa: BLE001 - a sympy corner case: refuse, never crash
        log.exception("formula %r could not be parsed", text[:200])
        return _failure(Refusal("parse.unreadable", 0, "parse.error",
                                {"error": type(error).__name__}), "")
    return ParseSuccess(expr, frozenset(parser.used))


def _failure(refusal: Refusal, caret: str) -> ParseFailure:
    return ParseFailure(refusal.message, refusal.offset, refusal.note, caret, refusal.key,
                        refusal.params)
