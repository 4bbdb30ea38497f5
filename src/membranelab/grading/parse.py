"""Whitelist tokenizer and recursive-descent parser: student text -> sympy expression.

Nothing here calls ``eval``, ``exec``, ``sympify`` or ``parse_expr``: the text is split into
tokens of a few allowed kinds, and the parser builds the sympy tree itself from objects it
created (its own positive ``Symbol``s, sympy's ``Integer``/``Rational``, ``log``, ``exp``).
So sympy's own names (``I``, ``E``, ``N``, ``S``, ``Q``, ``beta``...) never leak into a
student's formula, and ``^`` means power, not XOR.

The pipeline, in order (each step a function with one job):

1. ``tokens.normalize`` folds full-width and typographic characters (NFKC, minus signs, ``。``).
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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import sympy

from membranelab.incident import INTERNAL_ERROR_KEY, record_incident

from .bounds import bounded_power, check_exp
from .limits import DEFAULT_LIMITS, Limits
from .nodes import FUNCTIONS, LOG10_FUNCTIONS, add, constant_value, mul, negate, power
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

SymbolsArg = Iterable[str] | Mapping[str, object]

@dataclass(frozen=True)
class ParseSuccess:
    """A parsed formula and the declared symbols it uses; ``readings`` are runs of letters
    read as products of one-letter symbols (("RT", "R·T"), ...); ``uses_log`` says whether
    the function ``log`` appears (it may have been meant as log10)."""

    expr: sympy.Expr
    symbols: frozenset[str]
    readings: tuple[tuple[str, str], ...] = ()
    uses_log: bool = False


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
                 length: int, limits: Limits, functions: Mapping = FUNCTIONS) -> None:
        self.tokens = tokens
        self.symbols = symbols
        self.functions = functions
        self.readings: list[tuple[str, str]] = []
        self.uses_log = False
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
            terms.append(right if sign == "+" else negate(right))
        return add(terms)

    def product(self) -> sympy.Expr:
        factors = [self.signed()]
        while True:
            token = self.peek()
            if token is None:
                return mul(factors)
            if token.kind == "op" and token.text in ("*", "/"):
                self.take()
                right = self.signed()
                factors.append(right if token.text == "*" else power(right, sympy.S.NegativeOne))
            elif token.kind == "name" or (token.kind == "op" and token.text == "("):
                factors.append(self.power())
            else:
                return mul(factors)

    def signed(self) -> sympy.Expr:
        if self.at_op("+", "-"):
            sign = self.take().text
            self.enter()
            operand = self.signed()
            self.depth -= 1
            return negate(operand) if sign == "-" else operand
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
        return power(base, exponent)

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
        if token.text in self.functions and following is not None and following.text == "(":
            self.uses_log = self.uses_log or token.text == "log"
            self.take()
            self.enter()
            argument = self.sum()
            self.depth -= 1
            self.close(following)
            if token.text == "exp" and not argument.free_symbols:
                check_exp(argument, token.offset, self.limits)  # exp(exp(1000)): refused
            return self.functions[token.text](argument)
        if token.text in self.symbols:
            self.used.add(token.text)
            return self.symbols[token.text]
        if token.text in self.functions:
            raise Refusal("parse.function_parentheses", token.offset,
                          params={"name": token.text, "column": token.offset + 1})
        if token.text == "e":  # Euler's number, since e is not one of the part's symbols
            return sympy.E
        letters = self.split_symbols(token.text)
        if letters:
            self.readings.append((token.text, "·".join(letters)))
            self.used.update(letters)
            return mul([self.symbols[letter] for letter in letters])
        key, params = self.unknown_name(token)
        raise Refusal(key, token.offset, params=params)

    def split_symbols(self, name: str) -> list[str]:
        """The one-letter symbols a run of letters is the product of (``RT`` is R·T when R
        and T are symbols and RT is not), or [] when it is not such a run."""
        if len(name) < 2 or not name.isalpha() or not all(ch in self.symbols for ch in name):
            return []
        return list(name)

    def unknown_name(self, token: Token) -> tuple[str, dict[str, object]]:
        """The message key and parameters for a name that is neither symbol nor function."""
        params: dict[str, object] = {
            "name": repr(token.text), "column": token.offset + 1,
            "allowed": ", ".join(sorted(self.symbols)) or "none",
            "functions": "ln, log, lg, log10, exp, sqrt"}
        close = [name for name in list(self.symbols) + list(self.functions)
                 if name.lower() == token.text.lower()]
        if close:
            return "parse.unknown_name_suggest", {**params, "suggestion": close[0]}
        if token.text.lower() in ("pi", "π"):
            return "parse.unknown_name_constant", params
        return "parse.unknown_name", params


def parse_expression(text: object, symbols: SymbolsArg, *, limits: Limits = DEFAULT_LIMITS,
                     log_base10: bool = False) -> ParseSuccess | ParseFailure:
    """Parse a student's formula over the declared ``symbols``; never raises on student text.

    ``symbols`` is a sequence of names (or a mapping whose keys are the names); each becomes a
    positive sympy Symbol made here.  ``log_base10`` reads ``log`` as log10 instead of ln.
    Returns :class:`ParseSuccess` or :class:`ParseFailure`.
    """
    table = make_symbols(symbols)
    if not isinstance(text, str):
        return _failure(Refusal("answer.invalid_type", 0, "answer.invalid_type"), "")
    if len(text) > limits.max_formula_length:
        return _failure(Refusal("answer.too_long", limits.max_formula_length, "limits.too_long",
                                {"length": len(text), "limit": limits.max_formula_length}), "")
    folded = normalize(text)
    normalized = blank_assignment(folded)
    try:
        tokens = tokenize(normalized, limits)
        parser = _Parser(tokens, table, len(normalized), limits,
                         LOG10_FUNCTIONS if log_base10 else FUNCTIONS)
        expr = parser.parse()
    except Refusal as refusal:
        return _failure(refusal, pointer(folded, refusal.offset))
    except Exception:  # noqa: BLE001 - a sympy corner case is our failure: refuse, never crash
        incident = record_incident(log, "formula %r could not be parsed", text)
        return _failure(Refusal(INTERNAL_ERROR_KEY, 0, "parse.error", {"incident": incident}), "")
    return ParseSuccess(expr, frozenset(parser.used), tuple(parser.readings), parser.uses_log)


def _failure(refusal: Refusal, caret: str) -> ParseFailure:
    return ParseFailure(refusal.message, refusal.offset, refusal.note, caret, refusal.key,
                        refusal.params)
