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
3. :func:`.numtree.run_grammar`, the grammar of :mod:`.grammar` in its student dialect
   (implicit products: ``2x``, ``R T/F``) with :class:`SympyBackend`, which checks exponent
   sizes *before* building a power (``10^10^10`` is refused, never computed; :mod:`.bounds`).

The same pipeline with a back end that builds plain tuples instead of sympy nodes is the fast
path of the formula check (:mod:`.numtree`, which holds the steps and refusals both share);
this module is imported, and sympy with it, only where a sympy tree is needed.

Names: a declared symbol; ``e`` (Euler's number) when ``e`` is not declared; a name read by
:mod:`.names` (reported in ``readings``); anything else is refused with the allowed names and a
"did you mean" for a case slip.  With ``ln10_literals``, a number that is ln 10 correctly
rounded (2.3, 2.303, 2.3026) is read as ln 10, a second reading of a formula that uses it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import lru_cache

import sympy

from membranelab.incident import record_incident

from .bounds import bounded_power, check_exp
from .expression import ParseSuccess, SymbolsArg, parse_expression
from .limits import DEFAULT_LIMITS, Limits
from .nodes import FUNCTIONS, LOG10_FUNCTIONS, add, constant_value, mul, negate, power
from .numtree import (
    NamesBackend,
    ParseFailure,
    checked_names,
    failure,
    internal_failure,
    is_ln10,
    literal_exponent,
    run_grammar,
)
from .tokens import (
    Refusal,
    Token,
    pointer,
    tokenize,
)

log = logging.getLogger(__name__)

__all__ = [
    "FUNCTIONS",
    "constant_value",
    "ParseFailure",
    "ParseSuccess",
    "SympyBackend",
    "Token",
    "make_symbols",
    "parse_expression",
    "parse_sympy",
    "pointer",
    "tokenize",
]


def _number(text: str, offset: int, limits: Limits) -> sympy.Rational:
    """An exact sympy Rational for a number literal, refusing exponents beyond the limit."""
    power = literal_exponent(text, offset, limits)
    mantissa = text.lower().partition("e")[0]
    whole, _, fraction = mantissa.partition(".")
    digits = int((whole or "0") + fraction)
    return sympy.Rational(digits, 10 ** len(fraction)) * sympy.Rational(10) ** power


@lru_cache(maxsize=256)
def _symbol_table(names: tuple[str, ...]) -> dict[str, sympy.Symbol]:
    return {name: sympy.Symbol(name, positive=True) for name in names}


def make_symbols(symbols: SymbolsArg) -> dict[str, sympy.Symbol]:
    """Our own positive Symbols for the declared names (names are checked, never evaluated)."""
    names = tuple(sorted(str(name) for name in symbols))
    checked_names(names)
    return _symbol_table(names)


class SympyBackend(NamesBackend):
    """The grammar's back end for student text: unevaluated sympy nodes over ``symbols``.

    Collects the symbols used, the letter runs read as products (``readings``) and whether
    ``log`` appeared; ``functions`` maps each function name to its builder (``LOG10_FUNCTIONS``
    reads ``log`` as log10).  :class:`.numtree.TreeBackend` builds the same shapes as tuples."""

    def __init__(self, symbols: Mapping[str, sympy.Symbol], limits: Limits,
                 functions: Mapping[str, Callable[[sympy.Expr], sympy.Expr]] = FUNCTIONS,
                 ln10_literals: bool = False) -> None:
        super().__init__(symbols, limits, ln10_literals)
        self.symbols: Mapping[str, sympy.Symbol] = symbols
        self.functions = functions
        self.function_names = tuple(functions)

    def number(self, token: Token) -> sympy.Expr:
        if is_ln10(token.text):
            self.uses_ln10 = True
            if self.ln10_literals:
                return sympy.log(sympy.Integer(10), evaluate=False)
        return _number(token.text, token.offset, self.limits)

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
            self.refuse_exponent(abs(constant_value(exponent)), offset)

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


def parse_sympy(text: object, symbols: SymbolsArg, *, limits: Limits = DEFAULT_LIMITS,
                log_base10: bool = False, ln10_literals: bool = False
                ) -> ParseSuccess | ParseFailure:
    """Parse a student's formula over the declared ``symbols`` with the sympy back end (the
    slow path of :func:`.expression.parse_expression`); never raises on student text.

    ``symbols`` is a sequence of names (or a mapping whose keys are the names); each becomes a
    positive sympy Symbol made here.  ``log_base10`` reads ``log`` as log10 instead of ln;
    ``ln10_literals`` reads 2.303 (ln 10 rounded) as ln 10.
    Returns :class:`ParseSuccess` or :class:`ParseFailure`.
    """
    table = make_symbols(symbols)
    if not isinstance(text, str):
        return failure(Refusal("answer.invalid_type", 0, "answer.invalid_type"), "")
    found = SympyBackend(table, limits, LOG10_FUNCTIONS if log_base10 else FUNCTIONS,
                         ln10_literals)
    try:
        ran = run_grammar(text, table, limits, found)
    except Exception:  # noqa: BLE001 - a sympy corner case is our failure: refuse, never crash
        return internal_failure(record_incident(log, "formula %r could not be parsed", text))
    if isinstance(ran, ParseFailure):
        return ran
    expr, readings = ran
    return ParseSuccess(expr, frozenset(found.used), readings, found.uses_log,
                        found.uses_ln10)
