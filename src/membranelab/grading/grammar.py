"""The one expression grammar: students' formulas and the bank's trusted expressions.

A recursive-descent parser over the tokens of :func:`.tokens.tokenize` that builds nothing
itself: each rule hands its parts to a back end (:class:`Backend`), which makes the nodes.  Two
back ends exist: sympy nodes for student text (:mod:`.parse`) and float evaluation with a
dimension check for the bank's data (:mod:`membranelab.bank.expr`).  A :class:`~.tokens.Dialect`
switches on what only one of them reads (comparisons and units for the bank, implicit products
for students); precedence, operators and functions are the same for both.

Grammar (``^`` and ``**`` are the same, right-associative, binding tighter than a sign, so
``-x**2`` is ``-(x**2)`` and ``2^-1`` is one half)::

    expression := sum [COMPARISON sum]   -- comparison: Dialect.comparisons only
    sum        := product (("+" | "-") product)*
    product    := signed (("*" | "/") signed | implicit)*
    implicit   := power                  -- Dialect.implicit_products, before a NAME or "("
    signed     := ("+" | "-") signed | power
    power      := atom (("^" | "**") signed)?
    atom       := NUMBER [UNIT] | NAME | FUNCTION "(" sum ")" | "(" sum ")"

UNIT tokens come only in :data:`~.tokens.BANK` text (a number followed by a unit, ``3 mV``).
FUNCTION is a key of :data:`FUNCTION_NAMES`; any other NAME is the back end's to resolve.

Implicit multiplication (students): a factor followed directly by a name, a function or "(" is
multiplied, with the same precedence as ``*`` (left to right): ``2x``, ``2(x+1)``, ``R T/F``,
``(a)(b)``; so ``1/2x`` is x/2, as on a calculator.  A number after a factor (``x 2``) is refused
as a missing operator: it is more often a typo.

Every refusal is a :class:`~.tokens.Refusal` with a catalog key and the offset it points at;
nesting deeper than ``limits.max_depth`` is refused before the stack is deep.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, Protocol, TypeVar

from .limits import DEFAULT_LIMITS, Limits
from .tokens import COMPARISONS, STUDENT, Dialect, Refusal, Token

__all__ = ["Backend", "FUNCTION_NAMES", "Parser"]

#: The functions of the grammar, with what each computes (back ends implement every one):
#: ``log`` is natural, as in this course's texts; ``lg`` is log10, as Chinese textbooks write it.
FUNCTION_NAMES: Mapping[str, str] = {
    "ln": "natural logarithm",
    "log": "natural logarithm",
    "lg": "decimal logarithm",
    "log10": "decimal logarithm",
    "exp": "exponential",
    "sqrt": "square root",
    "abs": "absolute value",
}

N = TypeVar("N")


class Backend(Protocol[N]):
    """What the grammar calls to build nodes of type ``N``; tokens carry offsets for messages."""

    def number(self, token: Token) -> N:
        """A number literal."""

    def quantity(self, number: Token, unit: Token) -> N:
        """A number followed by a unit (bank text only)."""

    def name(self, token: Token) -> N:
        """A name that is not a function call (a symbol, a parameter, a constant...)."""

    def call(self, function: Token, argument: N, close: Token) -> N:
        """``function(argument)``; ``function.text`` is a key of :data:`FUNCTION_NAMES`."""

    def group(self, inner: N, opening: Token, close: Token) -> N:
        """A parenthesised sub-expression."""

    def negate(self, sign: Token, operand: N) -> N:
        """``-operand``."""

    def sum(self, terms: list[tuple[Token | None, N]]) -> N:
        """Terms with their ``+``/``-`` operators (None for the first); at least two."""

    def product(self, factors: list[tuple[Token | None, N]]) -> N:
        """Factors with their ``*``/``/`` operators (None for the first and for an implicit
        product); at least two."""

    def power(self, base: N, exponent: N, operator: Token) -> N:
        """``base ^ exponent``."""

    def compare(self, operator: Token, left: N, right: N) -> N:
        """``left <op> right`` (bank text only)."""


class Parser(Generic[N]):
    """Recursive descent over ``tokens`` (grammar in the module docstring), building with
    ``backend``; ``length`` is the text's length (the offset of "the end")."""

    def __init__(self, tokens: list[Token], backend: Backend[N], dialect: Dialect = STUDENT, *,
                 length: int, limits: Limits = DEFAULT_LIMITS) -> None:
        self.tokens = tokens
        self.backend = backend
        self.dialect = dialect
        self.length = length
        self.limits = limits
        self.index = 0
        self.depth = 0
        #: whether the expression is a comparison (bank conditions)
        self.compared = False

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
    def parse(self) -> N:
        """The whole token list as one expression (a comparison when the dialect allows)."""
        if not self.tokens:
            raise Refusal("parse.empty", 0, "answer.empty")
        node = self.sum()
        if self.dialect.comparisons and self.at_op(*COMPARISONS):
            operator = self.take()
            node = self.backend.compare(operator, node, self.sum())
            self.compared = True
        token = self.peek()
        if token is not None:
            if token.text == ")":
                raise Refusal("parse.unmatched_close", token.offset,
                              params={"column": token.offset + 1})
            raise Refusal("parse.missing_operator", token.offset,
                          params={"token": repr(token.text), "column": token.offset + 1})
        return node

    def sum(self) -> N:
        terms: list[tuple[Token | None, N]] = [(None, self.product())]
        while self.at_op("+", "-"):
            operator = self.take()
            terms.append((operator, self.product()))
        return terms[0][1] if len(terms) == 1 else self.backend.sum(terms)

    def product(self) -> N:
        factors: list[tuple[Token | None, N]] = [(None, self.signed())]
        implicit = self.dialect.implicit_products
        while True:
            token = self.peek()
            if token is None:
                break
            if token.kind == "op" and token.text in ("*", "/"):
                self.take()
                factors.append((token, self.signed()))
            elif implicit and (token.kind == "name" or (token.kind == "op" and token.text == "(")):
                factors.append((None, self.power()))
            else:
                break
        return factors[0][1] if len(factors) == 1 else self.backend.product(factors)

    def signed(self) -> N:
        if self.at_op("+", "-"):
            sign = self.take()
            self.enter()
            operand = self.signed()
            self.depth -= 1
            return self.backend.negate(sign, operand) if sign.text == "-" else operand
        return self.power()

    def power(self) -> N:
        base = self.atom()
        if not self.at_op("^", "**"):
            return base
        operator = self.take()
        self.enter()
        exponent = self.signed()
        self.depth -= 1
        return self.backend.power(base, exponent, operator)

    def atom(self) -> N:
        token = self.peek()
        if token is None:
            raise Refusal("parse.ends_early", self.length)
        if token.kind == "number":
            self.take()
            following = self.peek()
            if following is not None and following.kind == "unit":
                return self.backend.quantity(token, self.take())
            return self.backend.number(token)
        if token.kind == "name":
            return self.name()
        if token.text == "(":
            self.take()
            self.enter()
            inner = self.sum()
            self.depth -= 1
            return self.backend.group(inner, token, self.close(token))
        if token.text == ")":
            raise Refusal("parse.close_before", token.offset,
                          params={"column": token.offset + 1})
        raise Refusal("parse.expected_atom", token.offset,
                      params={"column": token.offset + 1, "token": repr(token.text)})

    def close(self, opening: Token) -> Token:
        if self.at_op(")"):
            return self.take()
        raise Refusal("parse.missing_close", self.offset(),
                      params={"column": opening.offset + 1})

    def name(self) -> N:
        token = self.take()
        if token.text in FUNCTION_NAMES:
            opening = self.peek()
            if opening is None or opening.text != "(":
                raise Refusal("parse.function_parentheses", token.offset,
                              params={"name": token.text, "column": token.offset + 1})
            self.take()
            self.enter()
            argument = self.sum()
            self.depth -= 1
            return self.backend.call(token, argument, self.close(opening))
        return self.backend.name(token)
