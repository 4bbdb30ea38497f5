"""The fast path of the formula check: student text -> a plain tree of tuples, and its values.

:func:`parse_tree` runs the same pipeline as :func:`.parse.parse_expression` (the same
normalisation, tokenizer, name reading and grammar, :mod:`.grammar`) with a back end that
builds no sympy object: each node is a tuple, shaped exactly like the unevaluated sympy tree the
sympy back end builds (``a - b`` is a sum of ``a`` and ``(-1)*b``, ``a/b`` a product of ``a``
and ``b^-1``, ``sqrt(x)`` is ``x^0.5``, ``log10(x)`` is ``ln(x) * ln(10)^-1``), and
:func:`evaluate` walks it with numpy, operation for operation as :func:`.nodes.evaluate` walks
the sympy tree, so both give the same values and error bounds, bit for bit.

Nothing is evaluated but floating-point arithmetic at the sample points; the same bounds hold
(literal exponents, exponents of powers of symbols, depth, tokens).  Where the sympy back end
would call into :mod:`.bounds` (a power of two constants such as ``10^-3``, ``exp`` of a
constant other than a plain number well inside the bound), this back end does not decide: :func:`parse_tree` returns ``None`` and the caller
takes the sympy path, which keeps every refusal and value as it was.  Nodes::

    ("n", value)          a number (float; a literal is correctly rounded, e is math.e)
    ("s", name)           a declared symbol
    ("+", (terms...))     ("*", (factors...))     ("^", base, exponent)
    ("ln", arg)           ("exp", arg)            ("abs", arg)
    ("log", arg)          ln written ``log``: the same value; :func:`log10_reading` makes it
                          log10 without parsing the text again
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from membranelab.incident import INTERNAL_ERROR_KEY

from .fastonly import slow_path
from .grammar import FUNCTION_NAMES, Parser
from .latex import detex
from .limits import DEFAULT_LIMITS, Limits
from .names import resolve_names
from .tokens import STUDENT, Refusal, Token, blank_assignment, normalize, pointer, tokenize

__all__ = ["FUNCTION_LIST", "NAME_RE", "NamesBackend", "Node", "ParseFailure", "Source",
           "TreeParse", "checked_names", "evaluate", "failure", "fold", "internal_failure",
           "is_ln10", "literal_exponent", "log10_reading", "parse_tree", "too_long",
           "tree_constant"]

#: A node of the plain tree (nested tuples, see the module docstring).
Node = tuple[Any, ...]
#: The functions as the unknown-name message lists them.
FUNCTION_LIST = ", ".join(FUNCTION_NAMES)
#: Square brackets are parentheses in a formula (``ln[c_out/c_in]``).
_BRACKETS = str.maketrans("[]", "()")
_LN10 = math.log(10)
_MINUS_ONE: Node = ("n", -1.0)
_HALF: Node = ("n", 0.5)
_LN_TEN: Node = ("ln", ("n", 10.0))


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


def failure(refusal: Refusal, caret: str) -> ParseFailure:
    """The :class:`ParseFailure` of a refusal, with the caret lines under its offset."""
    return ParseFailure(refusal.message, refusal.offset, refusal.note, caret, refusal.key,
                        refusal.params)


def internal_failure(incident: str) -> ParseFailure:
    """The refusal of a formula our own code failed on (an incident was recorded)."""
    return failure(Refusal(INTERNAL_ERROR_KEY, 0, "parse.error", {"incident": incident}), "")


@dataclass(frozen=True)
class Source:
    """What a formula was parsed from, to parse it again with the sympy back end."""

    text: str
    names: tuple[str, ...]
    limits: Limits = DEFAULT_LIMITS
    log_base10: bool = False
    ln10_literals: bool = False


@dataclass(frozen=True, eq=False)
class TreeParse:
    """A parsed formula as a plain tree, with what :class:`.parse.ParseSuccess` tells of it,
    and the ``source`` its sympy tree is parsed from when the slow path needs one.  Compared
    and hashed by identity: a part's reference is parsed once and its values are cached by it
    (hashing the tree anew for every answer would cost more than the lookup saves)."""

    tree: Node
    symbols: frozenset[str]
    readings: tuple[tuple[str, str], ...] = ()
    uses_log: bool = False
    uses_ln10: bool = False
    source: Source = Source("", ())

    def expr(self) -> Any:
        """The sympy tree of the same text (:func:`.parse.parse_sympy`: imports sympy);
        ValueError if it does not parse there (it always does: one grammar)."""
        slow_path("sympy tree")
        from .parse import ParseSuccess, parse_sympy

        source = self.source
        parsed = parse_sympy(source.text, source.names, limits=source.limits,
                             log_base10=source.log_base10, ln10_literals=source.ln10_literals)
        if not isinstance(parsed, ParseSuccess):
            raise ValueError(f"{source.text!r} parses as a plain tree, not with sympy")
        return parsed.expr


#: A symbol's name: letters, digits and ``_``, starting with a letter.
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@lru_cache(maxsize=256)
def checked_names(names: tuple[str, ...]) -> dict[str, str]:
    """The declared names, sorted, as a table (ValueError for a name that is not a plain
    identifier or is a function's: names are checked, never evaluated)."""
    for name in names:
        if not NAME_RE.match(name) or name in FUNCTION_NAMES:
            raise ValueError(f"symbol name {name!r} is not a plain identifier or is a function name")
    return {name: name for name in sorted(names)}


def is_ln10(text: str) -> bool:
    """Whether a number literal is ln 10 correctly rounded to 2 or more figures (2.3, 2.303)."""
    if not re.fullmatch(r"[0-9]*\.[0-9]+", text):
        return False
    figures = len(text.replace(".", "").lstrip("0"))
    return 2 <= figures <= 15 and float(text) == float(f"{_LN10:.{figures}g}")


def literal_exponent(text: str, offset: int, limits: Limits) -> int:
    """The power of ten written in a number literal; Refusal beyond the limit."""
    _, _, exponent = text.lower().partition("e")
    power = int(exponent) if exponent else 0
    if abs(power) > limits.max_literal_exponent:
        raise Refusal("parse.literal_range", offset, "limits.too_large",
                      {"number": text, "column": offset + 1,
                       "limit": limits.max_literal_exponent})
    return power


def fold(text: str) -> tuple[str, str]:
    """Step 1 of the pipeline (:mod:`.parse`): (the folded text the caret lines quote, the
    normalized text the tokenizer reads)."""
    folded = detex(normalize(text))
    return folded, blank_assignment(folded).translate(_BRACKETS)


def too_long(text: str, limits: Limits) -> ParseFailure | None:
    """The refusal of a text longer than the limit, else None."""
    if len(text) > limits.max_formula_length:
        return failure(Refusal("answer.too_long", limits.max_formula_length, "limits.too_long",
                               {"length": len(text), "limit": limits.max_formula_length}), "")
    return None


class NamesBackend:
    """What both student back ends share: the declared names, the flags and the refusals."""

    def __init__(self, symbols: Mapping[str, object], limits: Limits,
                 ln10_literals: bool = False) -> None:
        self.symbols = symbols
        self.limits = limits
        self.ln10_literals = ln10_literals
        self.uses_log = False
        self.uses_ln10 = False
        self.used: set[str] = set()
        #: the function names in the order of the back end's table (for "did you mean")
        self.function_names: tuple[str, ...] = tuple(_FUNCTIONS)

    def quantity(self, number: Token, unit: Token) -> Any:
        raise Refusal("parse.missing_operator", unit.offset,
                      params={"token": repr(unit.text), "column": unit.offset + 1})

    def compare(self, operator: Token, left: Any, right: Any) -> Any:
        raise Refusal("parse.missing_operator", operator.offset,
                      params={"token": repr(operator.text), "column": operator.offset + 1})

    def group(self, inner: Any, opening: Token, close: Token) -> Any:
        return inner

    def refuse_exponent(self, size: float, offset: int) -> None:
        """Refuse a power of a symbol whose constant exponent is too large (or not a number)."""
        if not size <= self.limits.max_symbolic_exponent:
            raise Refusal("parse.exponent_too_large", offset, "limits.exponent",
                          {"column": offset + 1, "limit": self.limits.max_symbolic_exponent})

    def unknown_name(self, token: Token) -> tuple[str, dict[str, object]]:
        """The message key and parameters for a name that is neither symbol nor function."""
        params: dict[str, object] = {
            "name": repr(token.text), "column": token.offset + 1,
            "allowed": ", ".join(sorted(self.symbols)) or "none",
            "functions": FUNCTION_LIST}
        close = [name for name in list(self.symbols) + list(self.function_names)
                 if name.lower() == token.text.lower()]
        if close:
            return "parse.unknown_name_suggest", {**params, "suggestion": close[0]}
        if token.text.lower() in ("pi", "π"):
            return "parse.unknown_name_constant", params
        return "parse.unknown_name", params


class _NeedsSympy(Exception):
    """The formula holds a constant power or exp of a constant: the sympy path bounds it."""


def _constant(node: Node) -> bool:
    kind = node[0]
    if kind == "n":
        return True
    if kind == "s":
        return False
    if kind in ("+", "*"):
        return all(_constant(child) for child in node[1])
    if kind == "^":
        return _constant(node[1]) and _constant(node[2])
    return _constant(node[1])


def _mul(factors: list[Node]) -> Node:
    return factors[0] if len(factors) == 1 else ("*", tuple(factors))


def _log10(arg: Node) -> Node:
    return ("*", (("ln", arg), ("^", _LN_TEN, _MINUS_ONE)))


_FUNCTIONS = {
    "abs": lambda arg: ("abs", arg),
    "ln": lambda arg: ("ln", arg),
    "log": lambda arg: ("log", arg),
    "log10": _log10,
    "lg": _log10,
    "exp": lambda arg: ("exp", arg),
    "sqrt": lambda arg: ("^", arg, _HALF),
}
_LOG10_FUNCTIONS = {**_FUNCTIONS, "log": _log10}


class TreeBackend(NamesBackend):
    """The grammar's back end building plain trees (the shapes of :mod:`.nodes`' builders)."""

    def __init__(self, symbols: Mapping[str, object], limits: Limits, log_base10: bool = False,
                 ln10_literals: bool = False) -> None:
        super().__init__(symbols, limits, ln10_literals)
        self.functions: Mapping[str, Any] = _LOG10_FUNCTIONS if log_base10 else _FUNCTIONS

    def number(self, token: Token) -> Node:
        if is_ln10(token.text):
            self.uses_ln10 = True
            if self.ln10_literals:
                return _LN_TEN
        literal_exponent(token.text, token.offset, self.limits)
        return ("n", float(token.text))  # correctly rounded, as float() of sympy's Rational

    def negate(self, sign: Token, operand: Node) -> Node:
        return ("*", (_MINUS_ONE, operand))

    def sum(self, terms: list[tuple[Token | None, Node]]) -> Node:
        nodes = [("*", (_MINUS_ONE, term)) if op is not None and op.text == "-" else term
                 for op, term in terms]
        return nodes[0] if len(nodes) == 1 else ("+", tuple(nodes))

    def product(self, factors: list[tuple[Token | None, Node]]) -> Node:
        return _mul([("^", factor, _MINUS_ONE) if op is not None and op.text == "/"
                     else factor for op, factor in factors])

    def power(self, base: Node, exponent: Node, operator: Token) -> Node:
        if _constant(exponent):
            if _constant(base):
                raise _NeedsSympy()
            self.refuse_exponent(abs(tree_constant(exponent)), operator.offset)
        return ("^", base, exponent)

    def call(self, function: Token, argument: Node, close: Token) -> Node:
        self.uses_log = self.uses_log or function.text == "log"
        if function.text == "exp" and _constant(argument) and not self.small_exponent(argument):
            raise _NeedsSympy()
        node: Node = self.functions[function.text](argument)
        return node

    def small_exponent(self, argument: Node) -> bool:
        """Whether ``exp(argument)`` of a constant is one :func:`.bounds.check_exp` accepts
        for certain: a number or a negated number (no sum that could cancel) well inside the
        bound (``exp(1)``, ``exp(-2.5)``); anything else is left to the sympy path."""
        if argument[0] == "*" and len(argument[1]) == 2 and argument[1][0] == _MINUS_ONE:
            argument = argument[1][1]
        if argument[0] != "n":
            return False
        bound = 0.99 * self.limits.max_numeric_log10 * _LN10
        return bool(abs(argument[1]) <= bound)

    def name(self, token: Token) -> Node:
        if token.text in self.symbols:
            self.used.add(token.text)
            return ("s", token.text)
        if token.text == "e":  # Euler's number, since e is not one of the part's symbols
            return ("n", math.e)
        key, params = self.unknown_name(token)
        raise Refusal(key, token.offset, params=params)


def run_grammar(text: str, table: Mapping[str, object], limits: Limits, backend: Any
                ) -> tuple[Any, tuple[tuple[str, str], ...]] | ParseFailure:
    """A student's formula through the one front half and the grammar with ``backend``
    (this module's plain tree or the sympy back end): too long, folded, tokenized, names
    resolved against ``table``, parsed: (the backend's tree, the names' readings), or the
    refusal pointing at the offending character.  Anything but a :class:`Refusal` raised by
    the backend propagates to the caller."""
    refused = too_long(text, limits)
    if refused is not None:
        return refused
    folded, normalized = fold(text)
    try:
        tokens, readings = resolve_names(tokenize(normalized, limits), table)
        tree = Parser(tokens, backend, STUDENT, length=len(normalized), limits=limits).parse()
    except Refusal as refusal:
        return failure(refusal, pointer(folded, refusal.offset))
    return tree, tuple(readings)


def parse_tree(text: str, symbols: Iterable[str], *, limits: Limits = DEFAULT_LIMITS,
               log_base10: bool = False, ln10_literals: bool = False
               ) -> TreeParse | ParseFailure | None:
    """Parse a student's formula (a ``str``) over the declared names as
    :func:`.parse.parse_expression` does, into a plain tree; ``None`` where the sympy path must
    decide (a constant power, exp of a constant).  A refusal is the one the sympy path gives.
    May raise on our own bugs: the caller takes the sympy path then.

    The last :data:`PARSED_KEPT` readings are kept (the result is immutable and depends on
    the arguments only): a class types the same few spellings of a formula, and reading one
    is half the cost of grading it."""
    names = tuple(sorted(str(name) for name in symbols))
    return _parse_kept(text, names, limits, log_base10, ln10_literals)


#: How many formula readings :func:`parse_tree` keeps (each well under a few KB: an answer is
#: at most ``Limits.max_formula_length`` characters).
PARSED_KEPT = 4096


def _parse_names(text: str, names: tuple[str, ...], limits: Limits, log_base10: bool,
                 ln10_literals: bool) -> TreeParse | ParseFailure | None:
    table = checked_names(names)
    backend = TreeBackend(table, limits, log_base10, ln10_literals)
    try:
        ran = run_grammar(text, table, limits, backend)
    except _NeedsSympy:
        return None
    if isinstance(ran, ParseFailure):
        return ran
    tree, readings = ran
    return TreeParse(tree, frozenset(backend.used), readings, backend.uses_log,
                     backend.uses_ln10, Source(text, names, limits, log_base10, ln10_literals))


_parse_kept = lru_cache(maxsize=PARSED_KEPT)(_parse_names)


def evaluate(node: Node, env: Mapping[str, np.ndarray], size: int
             ) -> tuple[np.ndarray, np.ndarray]:
    """(value, error bound / eps) of a plain tree at ``size`` points (``env``: each symbol's
    values), the same operations as :func:`.nodes.evaluate` on the sympy tree of the same
    text (call under ``np.errstate(all="ignore")``: overflow gives inf, undefined NaN).

    Each leaf's arrays are made once per call (a number's once per size, kept read-only), and
    a negation ``(-1)*x`` skips the multiplications by the constant 1 that the general
    product does (``|-1| = 1``: the same floating-point results, fewer array operations)."""
    leaves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    return _walk(node, env, size, leaves)


#: Arrays of a number leaf, by (value, size): (value, |value|), read-only.
_NUMBERS: dict[tuple[float, int], tuple[np.ndarray, np.ndarray]] = {}
_MAX_NUMBERS = 4096


def _number(value: float, size: int) -> tuple[np.ndarray, np.ndarray]:
    key = (value, size)
    found = _NUMBERS.get(key)
    if found is None:
        array = np.full(size, value)
        error = np.abs(array)
        array.flags.writeable = error.flags.writeable = False
        if len(_NUMBERS) >= _MAX_NUMBERS:
            _NUMBERS.clear()
        found = _NUMBERS[key] = (array, error)
    return found


def _walk(node: Node, env: Mapping[str, np.ndarray], size: int,
          leaves: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    kind = node[0]
    if kind == "s":
        found = leaves.get(node[1])
        if found is None:
            value = env[node[1]]
            found = leaves[node[1]] = (value, np.abs(value))
        return found
    if kind == "n":
        return _number(node[1], size)
    if kind == "+":
        args = [_walk(child, env, size, leaves) for child in node[1]]
        value, error = args[0]
        for v, e in args[1:]:
            value, error = value + v, error + e
        return value, error + np.abs(value)
    if kind == "*":
        children = node[1]
        if len(children) == 2 and children[0] == _MINUS_ONE:  # -x: (-1)*x, |-1| = 1
            v, e = _walk(children[1], env, size, leaves)
            value = np.negative(v)
            return value, np.abs(value) * ((1.0 + e / np.abs(v)) + 1)
        args = [_walk(child, env, size, leaves) for child in children]
        value, relative = args[0][0], args[0][1] / np.abs(args[0][0])
        for v, e in args[1:]:
            value, relative = value * v, relative + e / np.abs(v)
        return value, np.abs(value) * (relative + 1)
    if kind == "^":
        base, base_error = _walk(node[1], env, size, leaves)
        exponent, exponent_error = _walk(node[2], env, size, leaves)
        value = np.power(base, exponent)
        relative = (np.abs(exponent) * base_error / np.abs(base)
                    + np.abs(np.log(np.abs(base))) * exponent_error)
        return value, np.abs(value) * (relative + 1)
    inner, inner_error = _walk(node[1], env, size, leaves)
    if kind == "ln" or kind == "log":
        value = np.log(inner)
        return value, inner_error / np.abs(inner) + np.abs(value)
    if kind == "exp":
        value = np.exp(inner)
        return value, np.abs(value) * (inner_error + 1)
    if kind == "abs":
        return np.abs(inner), inner_error
    raise ValueError(f"not a node of a plain tree: {kind!r}")


def _as_log10(node: Node) -> Node:
    kind = node[0]
    if kind == "log":
        return _log10(_as_log10(node[1]))
    if kind in ("n", "s"):
        return node
    if kind in ("+", "*"):
        return (kind, tuple(_as_log10(child) for child in node[1]))
    return (kind, *(_as_log10(child) for child in node[1:]))


def log10_reading(parsed: TreeParse) -> TreeParse:
    """The formula with ``log`` read as log10: the tree :func:`parse_tree` gives with
    ``log_base10`` (the same grammar, tokens and refusals: only the nodes of ``log`` differ),
    made from the first reading's tree instead of parsing the text again."""
    source = parsed.source
    return TreeParse(_as_log10(parsed.tree), parsed.symbols, parsed.readings, parsed.uses_log,
                     parsed.uses_ln10, Source(source.text, source.names, source.limits, True,
                                              source.ln10_literals))


def tree_constant(node: Node) -> float:
    """The value of a tree without symbols (as :func:`.nodes.constant_value`: overflow gives
    inf, undefined nan)."""
    if node[0] == "n":
        value: float = node[1]
        return value
    with np.errstate(all="ignore"):
        try:
            values, _ = evaluate(node, {}, 1)
        except (KeyError, TypeError, ValueError, RecursionError):
            return math.nan
    return float(values[0])
