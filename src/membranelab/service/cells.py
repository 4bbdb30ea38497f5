"""What an answer cell says, read statically (``ast``; nothing is ever executed).

One rule, shared by the notebook's test cells (:func:`membranelab.student.answer_in`) and the
teacher's audit (:mod:`membranelab.course.answers`): a part's answer is the **last top-level
assignment, in its answer cell, to the pre-filled variable or to the prompt's own name**
(``p4_E_K = "..."`` or ``E_K = "..."``).  It is

* ``literal``: a string or a number (``"-95 mV"``, ``-95.0``): its text is the answer;
* ``computed``: any other expression (``nernst(...)``, an f-string, a list): the value exists only
  once the cell has run, so the audit cannot verify it without running code;
* ``none``: neither name is assigned (or the cell does not parse).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Assigned", "assigned", "literal_text", "stores_name"]


@dataclass(frozen=True)
class Assigned:
    """The answer found in a cell: ``kind`` (literal / computed / none), the ``name`` assigned
    last and, for a literal, its ``text``."""

    kind: str
    name: str | None = None
    text: str | None = None


NOTHING = Assigned("none")


def literal_text(node: ast.expr) -> str | None:
    """The answer text of a literal right-hand side (a string or a number), else None."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    return None


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def assigned(source: str, names: Iterable[str]) -> Assigned:
    """The last top-level assignment of ``source`` to one of ``names`` (see the module text)."""
    tree = _parse(source)
    if tree is None:
        return NOTHING
    wanted = set(names)
    found = NOTHING
    for stmt in tree.body:
        target, value = None, None
        if isinstance(stmt, ast.Assign):
            hits = [t.id for t in stmt.targets if isinstance(t, ast.Name) and t.id in wanted]
            target, value = (hits[-1] if hits else None), stmt.value
        elif (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
              and stmt.target.id in wanted and stmt.value is not None):
            target, value = stmt.target.id, stmt.value
        elif isinstance(stmt, (ast.AugAssign,)) and isinstance(stmt.target, ast.Name) \
                and stmt.target.id in wanted:
            target, value = stmt.target.id, None
        if target is None:
            continue
        text = literal_text(value) if value is not None else None
        found = Assigned("literal", target, text) if text is not None else Assigned(
            "computed", target)
    return found


def stores_name(source: str, names: Iterable[str]) -> bool:
    """True when ``source`` binds one of ``names`` anywhere (assignment, loop, import, global
    rebinding...), i.e. code in that cell may set the answer."""
    tree = _parse(source)
    if tree is None:
        return False
    wanted = set(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in wanted:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name) in wanted:
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and wanted & set(node.names):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value in wanted:
            return True  # globals()["E_K"] = ..., setattr tricks
    return False
