"""Student text -> sympy expression: the sympy back end of the one grammar (:mod:`.grammar`).

Nothing here calls ``eval``, ``exec``, ``sympify`` or ``parse_expr``: the text is split into
tokens of a few allowed kinds, and the parser builds the sympy tree itself from objects it
created (its own positive ``Symbol``s, sympy's ``Integer``/``Rational``, ``log``, ``exp``).
So sympy's own names (``I``, ``E``, ``N``, ``S``, ``Q``, ``beta``...) never leak into a
student's formula, and ``^`` means power, not XOR.

The pipeline, in order (each step a function with one job):

1. ``tokens.normalize`` folds full-width and typographic characters (NFKC, minus signs, ``。``,
   ``÷``); ``latex.detex`` turns pasted LaTeX into plain text (``\\frac{a}{b}``, ``\\ln``);
   ``tokens.blank_assignment`` blanks a leading ``E =`` or ``ΔV =``; square brackets are
   parentheses (``ln[c_out/c_in]``).
2. ``tokens.tokenize`` splits into NUMBER, NAME, OP tokens (a superscript ``⁻¹`` is ``^-1``);
   any other character is refused.
2b. ``names.resolve_names`` reads names that are not declared: ``Ln(``, ``gK`` for ``g_K``,
   ``RT`` as ``R T`` (a run of symbols), or refuses one with two readings.
3. :class:`_Parser`, the grammar of :mod:`.grammar` in its student dialect (implicit products:
   ``2x``, ``R T/F``) with :class:`SympyBackend`, which checks exponent sizes *before* building
   a power (``10^10^10`` is refused, never computed; :mod:`.bounds`).

Names: a declared symbol; ``e`` (Euler's number) when ``e`` is not declared; a name read by
:mod:`.names` (reported in ``readings``); anything else is refused with the allowed names and a
"did you mean" for a case slip.  With ``ln10_literals``, a number that is ln 10 correctly
rounded (2.3, 2.303, 2.3026) is read as ln 10, a second reading of a formula that uses it.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import sympy

from membranelab.incident import INTERNAL_ERROR_KEY, record_incident

from .bounds import bounded_power, check_exp
from .grammar import FUNCTION_NAMES, Parser
from .latex import detex
from .limits import DEFAULT_LIMITS, Limits
from .names import resolve_names
from .nodes import FUNCTIONS, LOG10_FUNCTIONS, add, constant_value, mul, negate, power
from .tokens import (
    NUMBER_PATTERN,
    STUDENT,
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
    "SympyBackend",
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
    uses_ln10: bool = False


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


_LN10 = math.log(10)


def is_ln10(text: str) -> bool:
    """Whether a number literal is ln 10 correctly rounded to 2 or more figures (2.3, 2.303)."""
    if not re.fullmatch(r"[0-9]*\.[0-9]+", text):
        return False
    figures = len(text.replace(".", "").lstrip("0"))
    return 2 <= figures <= 15 and float(text) == float(f"{_LN10:.{figures}g}")


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


class SympyBackend:
    """The grammar's back end for student text: unevaluated sympy nodes over ``symbols``.

    Collects the symbols used, the letter runs read as products (``readings``) and whether
    ``log`` appeared; ``functions`` maps each function name to its builder (``LOG10_FUNCTIONS``
    reads ``log`` as log10)."""

    def __init__(self, symbols: Mapping[str, sympy.Symbol], limits: Limits,
                 functions: Mapping[str, Callable[[sympy.Expr], sympy.Expr]] = FUNCTIONS,
                 ln10_literals: bool = False) -> None:
        self.symbols = symbols
        self.functions = functions
        self.limits = limits
        self.ln10_literals = ln10_literals
        self.uses_log = False
        self.uses_ln10 = False
        self.used: set[str] = set()

    def number(self, token: Token) -> sympy.Expr:
        if is_ln10(token.text):
            self.uses_ln10 = True
            if self.ln10_literals:
                return sympy.log(sympy.Integer(10), evaluate=False)
        return _number(token.text, token.offset, self.limits)

    def quantity(self, number: Token, unit: Token) -> sympy.Expr:
        raise Refusal("parse.missing_operator", unit.offset,
                      params={"token": repr(unit.text), "column": unit.offset + 1})

    def group(self, inner: sympy.Expr, opening: Token, close: Token) -> sympy.Expr:
        return inner

    def negate(self, sign: Token, operand: sympy.Expr) -> sympy.Expr:
        return negate(operand)

    def sum(self, terms: list[tuple[Token | None, sympy.Expr]]) -> sympy.Expr:
        return add([negate(term) if op is not None and op.text == "-" else term
                    for op, term in terms])

    def product(self, factors: list[tuple[Token | None, sympy.Expr]]) -> sympy.Expr:
        return mul([power(factor, sympy.S.NegativeOne) if op is not None and op.text == "/"
                    else factor for op, factor in factors])

    def power(self, base: sympy.Expr, exponent: sympy.Expr, operator: Token) -> sympy.Expr:
        if not base.free_symbols and not exponent.free_symbols:
            # a power of numbers: exact only when small, never an exact number sized by the
            # exponent (1.0000001^1e9); refused when out of range (bounds.bounded_power)
            return bounded_power(base, exponent, operator.offset, self.limits)
        self.check_power(exponent, operator.offset)
        return power(base, exponent)

    def check_power(self, exponent: sympy.Expr, offset: int) -> None:
        """Refuse a power of a symbol before sympy builds it if its exponent is too large."""
        if not exponent.free_symbols:
            size = abs(constant_value(exponent))
            if not size <= self.limits.max_symbolic_exponent:
                raise Refusal("parse.exponent_too_large", offset, "limits.exponent",
                              {"column": offset + 1,
                               "limit": self.limits.max_symbolic_exponent})

    def compare(self, operator: Token, left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
        raise Refusal("parse.missing_operator", operator.offset,
                      params={"token": repr(operator.text), "column": operator.offset + 1})

    def call(self, function: Token, argument: sympy.Expr, close: Token) -> sympy.Expr:
        self.uses_log = self.uses_log or function.text == "log"
        if function.text == "exp" and not argument.free_symbols:
            check_exp(argument, function.offset, self.limits)  # exp(exp(1000)): refused
        return self.functions[function.text](argument)

    def name(self, token: Token) -> sympy.Expr:
        if token.text in self.symbols:
            self.used.add(token.text)
            return self.symbols[token.text]
        if token.text == "e":  # Euler's number, since e is not one of the part's symbols
            return sympy.E
        key, params = self.unknown_name(token)
        raise Refusal(key, token.offset, params=params)

    def unknown_name(self, token: Token) -> tuple[str, dict[str, object]]:
        """The message key and parameters for a name that is neither symbol nor function."""
        params: dict[str, object] = {
            "name": repr(token.text), "column": token.offset + 1,
            "allowed": ", ".join(sorted(self.symbols)) or "none",
            "functions": _FUNCTION_LIST}
        close = [name for name in list(self.symbols) + list(self.functions)
                 if name.lower() == token.text.lower()]
        if close:
            return "parse.unknown_name_suggest", {**params, "suggestion": close[0]}
        if token.text.lower() in ("pi", "π"):
            return "parse.unknown_name_constant", params
        return "parse.unknown_name", params


#: The functions as the unknown-name message lists them.
_FUNCTION_LIST = ", ".join(FUNCTION_NAMES)


class _Parser(Parser[sympy.Expr]):
    """Step 3: the grammar (:class:`.grammar.Parser`) over student text with the sympy back end;
    ``readings``, ``uses_log`` and ``used`` are the back end's findings."""

    def __init__(self, tokens: list[Token], symbols: Mapping[str, sympy.Symbol],
                 length: int, limits: Limits,
                 functions: Mapping[str, Callable[[sympy.Expr], sympy.Expr]] = FUNCTIONS,
                 ln10_literals: bool = False) -> None:
        self.sympy = SympyBackend(symbols, limits, functions, ln10_literals)
        super().__init__(tokens, self.sympy, STUDENT, length=length, limits=limits)


#: Square brackets are parentheses in a formula (``ln[c_out/c_in]``).
_BRACKETS = str.maketrans("[]", "()")


def parse_expression(text: object, symbols: SymbolsArg, *, limits: Limits = DEFAULT_LIMITS,
                     log_base10: bool = False, ln10_literals: bool = False
                     ) -> ParseSuccess | ParseFailure:
    """Parse a student's formula over the declared ``symbols``; never raises on student text.

    ``symbols`` is a sequence of names (or a mapping whose keys are the names); each becomes a
    positive sympy Symbol made here.  ``log_base10`` reads ``log`` as log10 instead of ln;
    ``ln10_literals`` reads 2.303 (ln 10 rounded) as ln 10.
    Returns :class:`ParseSuccess` or :class:`ParseFailure`.
    """
    table = make_symbols(symbols)
    if not isinstance(text, str):
        return _failure(Refusal("answer.invalid_type", 0, "answer.invalid_type"), "")
    if len(text) > limits.max_formula_length:
        return _failure(Refusal("answer.too_long", limits.max_formula_length, "limits.too_long",
                                {"length": len(text), "limit": limits.max_formula_length}), "")
    folded = detex(normalize(text))
    normalized = blank_assignment(folded).translate(_BRACKETS)
    try:
        tokens, readings = resolve_names(tokenize(normalized, limits), table)
        parser = _Parser(tokens, table, len(normalized), limits,
                         LOG10_FUNCTIONS if log_base10 else FUNCTIONS, ln10_literals)
        expr = parser.parse()
    except Refusal as refusal:
        return _failure(refusal, pointer(folded, refusal.offset))
    except Exception:  # noqa: BLE001 - a sympy corner case is our failure: refuse, never crash
        incident = record_incident(log, "formula %r could not be parsed", text)
        return _failure(Refusal(INTERNAL_ERROR_KEY, 0, "parse.error", {"incident": incident}), "")
    found = parser.sympy
    return ParseSuccess(expr, frozenset(found.used), tuple(readings), found.uses_log,
                        found.uses_ln10)


def _failure(refusal: Refusal, caret: str) -> ParseFailure:
    return ParseFailure(refusal.message, refusal.offset, refusal.note, caret, refusal.key,
                        refusal.params)
