"""Whitelist tokenizer and recursive-descent parser: student text -> sympy expression.

Nothing here calls ``eval``, ``exec``, ``sympify`` or ``parse_expr``: the text is split into
tokens of a few allowed kinds, and the parser builds the sympy tree itself from objects it
created (its own positive ``Symbol``s, sympy's ``Integer``/``Rational``, ``log``, ``exp``).
So sympy's own names (``I``, ``E``, ``N``, ``S``, ``Q``, ``beta``...) never leak into a
student's formula, and ``^`` means power, not XOR.

The pipeline, in order (each step a function with one job):

1. :func:`normalize` maps a few typographic characters one-to-one (offsets do not move).
2. :func:`tokenize` splits into NUMBER, NAME, OP tokens; any other character is refused.
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

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import sympy

from .limits import DEFAULT_LIMITS, Limits

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

#: Characters mapped one-to-one before tokenizing (so offsets stay those of the student's text).
#: Each is a typographic variant of an ASCII operator or of a space; nothing else is mapped.
TRANSLATIONS: Mapping[str, str] = {
    "\u2212": "-",  # MINUS SIGN, as typed by word processors
    "\u2013": "-",  # EN DASH, often pasted for a minus
    "\u00d7": "*",  # MULTIPLICATION SIGN
    "\u00b7": "*",  # MIDDLE DOT
    "\u22c5": "*",  # DOT OPERATOR
    "\u00a0": " ",  # NO-BREAK SPACE
    "\u2009": " ",  # THIN SPACE
    "\u202f": " ",  # NARROW NO-BREAK SPACE
    "\t": " ",
    "\n": " ",
    "\r": " ",
}

#: A decimal number: digits with an optional point and an optional e-exponent (1e-3, .5, 2.).
NUMBER_PATTERN = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"

# Why each token kind is safe: NUMBER becomes a sympy Rational built from digits; NAME is only
# looked up in the part's declared symbols and FUNCTIONS (never in a namespace); OP is a
# fixed set of arithmetic characters.  Quotes, dots after names, brackets, commas, "=", "_"
# at the start of a name ("__import__") and every non-ASCII character are refused.
_TOKEN_RE = re.compile(
    rf"(?P<space> +)|(?P<number>{NUMBER_PATTERN})|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^()])",
    re.ASCII,
)
_COMMA_DECIMAL_RE = re.compile(r"[0-9]+,[0-9]+", re.ASCII)

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
class Token:
    """One token: kind is "number", "name" or "op"; offset indexes the student's text."""

    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class ParseSuccess:
    """A parsed formula and the declared symbols it uses."""

    expr: sympy.Expr
    symbols: frozenset[str]


@dataclass(frozen=True)
class ParseFailure:
    """A refusal: a sentence for the student, the 0-based offset it points at, a stable note."""

    message: str
    offset: int
    note: str = "parse.error"
    pointer: str = ""

    def explain(self) -> str:
        """The message followed by the caret lines pointing at the offending character."""
        return f"{self.message}\n{self.pointer}" if self.pointer else self.message


class _Refusal(Exception):
    def __init__(self, message: str, offset: int, note: str = "parse.error") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.note = note


def pointer(text: str, offset: int, width: int = 40) -> str:
    """Two lines: an excerpt of ``text`` around ``offset`` and a caret under that character."""
    start = max(0, offset - width // 2)
    excerpt = text[start : start + width]
    shown = "".join(ch if ch.isprintable() and ch not in "\u200b\u200c\u200d" else "?"
                    for ch in excerpt)
    prefix = "..." if start > 0 else ""
    caret = " " * (len(prefix) + offset - start) + "^"
    return f"  {prefix}{shown}\n  {caret}"


def _describe_char(ch: str) -> str:
    """A character as the student can recognise it, with its Unicode name when unusual."""
    if ch.isascii() and ch.isprintable():
        return f"'{ch}'"
    name = unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    return f"'{ch}' ({code} {name})" if ch.isprintable() and name else f"{code} {name}".strip()


_ASSIGNMENT_RE = re.compile(r"\s*[A-Za-z][A-Za-z0-9_]*\s*=(?!=)")


def blank_assignment(text: str) -> str:
    """Replace a leading ``name =`` (as in ``E_K = -95 mV``) by spaces, keeping offsets."""
    match = _ASSIGNMENT_RE.match(text)
    return " " * match.end() + text[match.end() :] if match else text


def normalize(text: str) -> str:
    """Step 1: map typographic minus, times and spaces to ASCII, one character for one."""
    return "".join(TRANSLATIONS.get(ch, ch) for ch in text)


def tokenize(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Token]:
    """Step 2: split normalized text into tokens; refuse any character outside the whitelist."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None:
            raise _Refusal(_unexpected_character(text, position), position)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), position))
            if len(tokens) > limits.max_tokens:
                raise _Refusal(
                    f"The formula is too long: more than {limits.max_tokens} symbols, numbers "
                    f"and operators (at column {position + 1}).",
                    position,
                    "limits.too_large",
                )
        position = match.end()
    return tokens


def _unexpected_character(text: str, position: int) -> str:
    """The message for a character no token may start with."""
    ch = text[position]
    column = position + 1
    if ch == "," and _COMMA_DECIMAL_RE.match(text, max(0, position - 1)) is not None:
        left = re.search(r"[0-9]+$", text[:position])
        right = re.match(r"[0-9]+", text[position + 1 :])
        suggestion = f"{left.group() if left else ''}.{right.group() if right else ''}"
        return (f"Use a decimal point, not a comma, at column {column}: "
                f"write {suggestion}.")
    if ch == "_":
        return f"A name cannot start with '_' (column {column}); use the symbols of the question."
    if ch in "'\"":
        return f"Quotes are not allowed in a formula (column {column})."
    if ch in "[]{}":
        return f"Use round parentheses ( ) for grouping, not {ch!r} (column {column})."
    if not ch.isascii():
        return (f"The character {_describe_char(ch)} at column {column} is not allowed; "
                "type the formula with plain letters, digits and + - * / ^ ( ).")
    return (f"The character {_describe_char(ch)} at column {column} is not allowed in a formula; "
            "use numbers, the question's symbols, + - * / ^ ( ) and ln, log10, exp, sqrt.")


def _number(text: str, offset: int, limits: Limits) -> sympy.Rational:
    """An exact sympy Rational for a number literal, refusing exponents beyond the limit."""
    mantissa, _, exponent = text.lower().partition("e")
    power = int(exponent) if exponent else 0
    if abs(power) > limits.max_literal_exponent:
        raise _Refusal(
            f"The number {text} at column {offset + 1} is out of range "
            f"(exponents up to ±{limits.max_literal_exponent}).",
            offset,
            "limits.too_large",
        )
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
            raise _Refusal(
                f"The formula is nested too deeply (more than {self.limits.max_depth} levels "
                f"of parentheses, signs or powers) at column {self.offset() + 1}.",
                self.offset(),
                "limits.too_deep",
            )

    # -- grammar ---------------------------------------------------------------------------
    def parse(self) -> sympy.Expr:
        if not self.tokens:
            raise _Refusal("The answer is empty: write a formula.", 0, "answer.empty")
        expr = self.sum()
        token = self.peek()
        if token is not None:
            if token.text == ")":
                raise _Refusal(f"Unexpected ')' at column {token.offset + 1}: no '(' to close.",
                               token.offset)
            raise _Refusal(
                f"Missing operator before {token.text!r} at column {token.offset + 1}.",
                token.offset,
            )
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
        self.check_power(base, exponent, operator.offset)
        return _pow(base, exponent)

    def check_power(self, base: sympy.Expr, exponent: sympy.Expr, offset: int) -> None:
        """Refuse a power before sympy builds it if its size would be unreasonable."""
        if not exponent.free_symbols:
            size = abs(constant_value(exponent))
            if not base.free_symbols:
                magnitude = abs(constant_value(base))
                log10 = size * abs(math.log10(magnitude)) if 0 < magnitude < math.inf else (
                    0.0 if magnitude == 0 and size < math.inf else math.inf)
                if not log10 <= self.limits.max_numeric_log10:
                    raise _Refusal(
                        f"The power at column {offset + 1} gives a number too large to use "
                        f"(more than 10^{self.limits.max_numeric_log10:g}).",
                        offset,
                        "limits.exponent",
                    )
            elif not size <= self.limits.max_symbolic_exponent:
                raise _Refusal(
                    f"The exponent at column {offset + 1} is too large "
                    f"(at most {self.limits.max_symbolic_exponent}).",
                    offset,
                    "limits.exponent",
                )

    def atom(self) -> sympy.Expr:
        token = self.peek()
        if token is None:
            raise _Refusal(
                "The formula ends too early: a number, symbol or '(' is missing at the end.",
                self.length,
            )
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
            raise _Refusal(f"Unexpected ')' at column {token.offset + 1}: something is missing "
                           "before it.", token.offset)
        raise _Refusal(
            f"Expected a number, symbol or '(' at column {token.offset + 1}, found {token.text!r}.",
            token.offset,
        )

    def close(self, opening: Token) -> None:
        if self.at_op(")"):
            self.take()
            return
        raise _Refusal(
            f"Missing ')' to close the '(' at column {opening.offset + 1}.",
            self.offset(),
        )

    def name(self) -> sympy.Expr:
        token = self.take()
        following = self.peek()
        if token.text in FUNCTIONS and following is not None and following.text == "(":
            self.take()
            self.enter()
            argument = self.sum()
            self.depth -= 1
            self.close(following)
            return FUNCTIONS[token.text](argument)
        if token.text in self.symbols:
            self.used.add(token.text)
            return self.symbols[token.text]
        if token.text in FUNCTIONS:
            raise _Refusal(
                f"The function {token.text} at column {token.offset + 1} needs parentheses: "
                f"write {token.text}(...).",
                token.offset,
            )
        raise _Refusal(self.unknown_name(token), token.offset)

    def unknown_name(self, token: Token) -> str:
        allowed = ", ".join(sorted(self.symbols)) or "none"
        close = [name for name in list(self.symbols) + list(FUNCTIONS)
                 if name.lower() == token.text.lower()]
        hint = f" Did you mean {close[0]}?" if close else ""
        if not close and token.text.lower() in ("e", "pi"):
            hint = " Constants are not allowed: write exp(1) for e."
        return (f"Unknown name {token.text!r} at column {token.offset + 1}.{hint} "
                f"Allowed symbols: {allowed}; functions: ln, log, log10, exp, sqrt "
                "(names are case-sensitive; write a product of two symbols with * or a space).")


def parse_expression(text: object, symbols: SymbolsArg,
                     *, limits: Limits = DEFAULT_LIMITS) -> ParseSuccess | ParseFailure:
    """Parse a student's formula over the declared ``symbols``; never raises on student text.

    ``symbols`` is a sequence of names (or a mapping whose keys are the names); each becomes a
    positive sympy Symbol made here.  Returns :class:`ParseSuccess` or :class:`ParseFailure`.
    """
    table = make_symbols(symbols)
    if not isinstance(text, str):
        return ParseFailure("The answer must be text.", 0, "answer.invalid_type")
    if len(text) > limits.max_formula_length:
        return ParseFailure(
            f"The answer is too long ({len(text)} characters; at most "
            f"{limits.max_formula_length}).",
            limits.max_formula_length,
            "limits.too_long",
        )
    normalized = blank_assignment(normalize(text))
    try:
        tokens = tokenize(normalized, limits)
        parser = _Parser(tokens, table, len(normalized), limits)
        expr = parser.parse()
    except _Refusal as refusal:
        return ParseFailure(refusal.message, refusal.offset, refusal.note,
                            pointer(text, refusal.offset))
    except (RecursionError, MemoryError, OverflowError, ValueError, TypeError,
            ZeroDivisionError) as error:  # a sympy corner case: refuse, never crash
        return ParseFailure(f"This formula cannot be read ({type(error).__name__}).", 0,
                            "parse.error")
    return ParseSuccess(expr, frozenset(parser.used))
