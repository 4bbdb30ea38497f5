"""``parse_expression``: a student's formula read over the declared symbols, the fast way first.

The text is read by the plain-tree back end (:mod:`.numtree`: no sympy object, sympy not
imported); the sympy tree (``ParseSuccess.expr``) is built from the same text by the sympy back
end (:mod:`.parse`) only when something asks for it (sympy's fallback, printing, LaTeX).  A
formula the fast path leaves to sympy (a power of two constants, exp of a constant: bounded by
:mod:`.bounds`) is read by the sympy back end at once.  Either way the refusals, the symbols
used, the readings and the values are those of the sympy back end (tests/grading/test_numtree).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from membranelab.incident import record_incident

from .fastonly import slow_path
from .limits import DEFAULT_LIMITS, Limits
from .numtree import ParseFailure, TreeParse, checked_names, failure, parse_tree
from .tokens import Refusal

__all__ = ["ParseSuccess", "parse_expression"]

log = logging.getLogger(__name__)

SymbolsArg = Iterable[str] | Mapping[str, object]


class ParseSuccess:
    """A parsed formula and the declared symbols it uses; ``readings`` are runs of letters
    read as products of one-letter symbols (("RT", "R·T"), ...); ``uses_log`` says whether
    the function ``log`` appears (it may have been meant as log10); ``uses_ln10`` whether a
    number is ln 10 rounded.  ``tree`` is the plain tree of the fast path (None when the sympy
    back end read it); ``expr`` the sympy tree, built on first use from ``tree``'s text."""

    __slots__ = ("_expr", "readings", "symbols", "tree", "uses_ln10", "uses_log")

    def __init__(self, expr: Any, symbols: frozenset[str],
                 readings: tuple[tuple[str, str], ...] = (), uses_log: bool = False,
                 uses_ln10: bool = False, *, tree: TreeParse | None = None) -> None:
        if expr is None and tree is None:
            raise ValueError("a ParseSuccess needs its sympy tree or its plain tree")
        self._expr = expr
        self.symbols = symbols
        self.readings = readings
        self.uses_log = uses_log
        self.uses_ln10 = uses_ln10
        self.tree = tree

    @property
    def expr(self) -> Any:
        """The sympy tree (built now from the text if the fast path read it: imports sympy)."""
        if self._expr is None:
            assert self.tree is not None  # noqa: S101 - __init__ requires one of the two
            self._expr = self.tree.expr()
        return self._expr

    def _key(self) -> tuple[Any, ...]:
        shape = self.tree.tree if self.tree is not None else self.expr
        return (shape, self.symbols, self.readings, self.uses_log, self.uses_ln10)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParseSuccess):
            return NotImplemented
        if (self.tree is None) != (other.tree is None):
            return bool(self.expr == other.expr) and self._key()[1:] == other._key()[1:]
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.symbols, self.readings, self.uses_log, self.uses_ln10))

    def __repr__(self) -> str:
        shown = self.tree.source.text if self.tree is not None else str(self._expr)
        return f"ParseSuccess({shown!r}, symbols={sorted(self.symbols)})"


def parse_expression(text: object, symbols: SymbolsArg, *, limits: Limits = DEFAULT_LIMITS,
                     log_base10: bool = False, ln10_literals: bool = False
                     ) -> ParseSuccess | ParseFailure:
    """Parse a student's formula over the declared ``symbols``; never raises on student text.

    ``symbols`` is a sequence of names (or a mapping whose keys are the names), each a plain
    identifier (ValueError otherwise); each becomes a positive sympy Symbol in ``expr``.
    ``log_base10`` reads ``log`` as log10 instead of ln; ``ln10_literals`` reads 2.303 (ln 10
    rounded) as ln 10.  Returns :class:`ParseSuccess` or :class:`ParseFailure`.
    """
    names = tuple(sorted(str(name) for name in symbols))
    checked_names(names)
    if not isinstance(text, str):
        return failure(Refusal("answer.invalid_type", 0, "answer.invalid_type"), "")
    try:
        tree = parse_tree(text, names, limits=limits, log_base10=log_base10,
                          ln10_literals=ln10_literals)
    except Exception:  # noqa: BLE001 - our bug in the fast path: recorded, sympy's reads it
        record_incident(log, "the plain-tree parser failed on %r", text)
        tree = None
    if isinstance(tree, TreeParse):
        return ParseSuccess(None, tree.symbols, tree.readings, tree.uses_log, tree.uses_ln10,
                            tree=tree)
    if tree is not None:
        return tree
    slow_path("sympy parser")
    from .parse import parse_sympy  # the slow path: sympy's tree, bounded by bounds.py

    return parse_sympy(text, names, limits=limits, log_base10=log_base10,
                       ln10_literals=ln10_literals)
