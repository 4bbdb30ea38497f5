"""A tiny, safe arithmetic and comparison language for problem files (never ``eval``).

Grammar (whitespace ignored)::

    condition  := sum [("<" | "<=" | ">" | ">=" | "==" | "!=") sum]
    sum        := product (("+" | "-") product)*
    product    := power (("*" | "/") power)*
    power      := unary ["**" unary]
    unary      := "-" unary | atom
    atom       := NUMBER | NAME | FUNC "(" sum ")" | "(" sum ")"

NAMEs are looked up in a mapping given at evaluation time (the bank passes SI values of parameters
and derived quantities, plus the constants R, F, e, N_A, k_B). FUNC is one of ``abs exp ln log10
sqrt``. An expression is parsed once into a small tree of tuples and evaluated many times.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__ = ["ExprError", "Expr", "FUNCTIONS"]

#: Functions an expression may call; each is total on the floats it is given or raises ValueError.
FUNCTIONS = {
    "abs": abs,
    "exp": math.exp,
    "ln": math.log,
    "log10": math.log10,
    "sqrt": math.sqrt,
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|<=|>=|==|!=|[-+*/()<>]))"
)
_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
}


class ExprError(ValueError):
    """An expression could not be parsed: message and character offset."""

    def __init__(self, message: str, offset: int) -> None:
        self.offset = offset
        super().__init__(f"{message} at offset {offset}")


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"unexpected character {text[pos:].lstrip()[:1]!r}", pos)
        kind = m.lastgroup
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        if value is not None and tok[1] != value:
            raise ExprError(f"expected {value!r}, found {tok[1] or 'end'!r}", tok[2])
        self.i += 1
        return tok

    def condition(self):
        left = self.sum()
        if self.peek()[1] in _COMPARE:
            op = self.take()[1]
            left = ("cmp", op, left, self.sum())
        tok = self.peek()
        if tok[0] != "end":
            raise ExprError(f"unexpected {tok[1]!r}", tok[2])
        return left

    def sum(self):
        node = self.product()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = ("op", op, node, self.product())
        return node

    def product(self):
        node = self.power()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = ("op", op, node, self.power())
        return node

    def power(self):
        node = self.unary()
        if self.peek()[1] == "**":
            self.take()
            node = ("op", "**", node, self.unary())
        return node

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return ("neg", self.unary())
        return self.atom()

    def atom(self):
        kind, value, offset = self.take()
        if kind == "num":
            return ("num", float(value))
        if kind == "name":
            if self.peek()[1] == "(":
                if value not in FUNCTIONS:
                    raise ExprError(f"unknown function {value!r}", offset)
                self.take("(")
                arg = self.sum()
                self.take(")")
                return ("call", value, arg)
            return ("name", value)
        if value == "(":
            node = self.sum()
            self.take(")")
            return node
        raise ExprError(f"unexpected {value or 'end'!r}", offset)


def _names(node) -> set[str]:
    kind = node[0]
    if kind == "name":
        return {node[1]}
    if kind == "num":
        return set()
    if kind == "neg":
        return _names(node[1])
    if kind == "call":
        return _names(node[2])
    return _names(node[2]) | _names(node[3])


def _evaluate(node, env: Mapping[str, float]):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return env[node[1]]
    if kind == "neg":
        return -_evaluate(node[1], env)
    if kind == "call":
        return FUNCTIONS[node[1]](_evaluate(node[2], env))
    if kind == "cmp":
        return _COMPARE[node[1]](_evaluate(node[2], env), _evaluate(node[3], env))
    return _ARITH[node[1]](_evaluate(node[2], env), _evaluate(node[3], env))


class Expr:
    """A parsed expression: ``Expr("K_in > 10 * K_out").evaluate({...})``."""

    __slots__ = ("text", "_tree", "names")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise ExprError("empty expression", 0)
        if len(text) > 500:
            raise ExprError("expression longer than 500 characters", 500)
        self.text = text
        self._tree = _Parser(text).condition()
        #: Names the expression reads (functions excluded).
        self.names = frozenset(_names(self._tree) if self._tree[0] != "cmp"
                               else _names(self._tree[2]) | _names(self._tree[3]))

    @property
    def is_condition(self) -> bool:
        """True for a comparison (evaluates to a bool)."""
        return self._tree[0] == "cmp"

    def evaluate(self, env: Mapping[str, float]):
        """The value (float, or bool for a comparison) with names looked up in ``env``."""
        return _evaluate(self._tree, env)

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"
