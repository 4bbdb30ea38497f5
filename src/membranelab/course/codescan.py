"""What a student's code cells try, read statically (``ast``; nothing is executed).

``membranelab course grade`` never runs student code, so code cannot change a grade; this only
tells the teacher what a notebook *attempted*, as the ``suspicious code`` flag:

``internals``
    imports ``membranelab.course`` (the answer key's home), the service's secret, course or
    numbers, ``membranelab.nbgrader_ext`` or ``membranelab.notebooks`` -- by ``import``, ``from ... import``,
    ``importlib.import_module(...)`` or ``__import__(...)``;
``patch``
    changes anything of ``membranelab``: assigns or deletes an attribute of a name bound to a
    ``membranelab`` import (``student.check = ...``, ``setattr(s, "check", ...)``), rebinds a
    name imported from it (``def check(...)`` after ``from membranelab.student import check``),
    or names a ``membranelab`` path in a patching call (``mock.patch("membranelab...")``);
``environment``
    reads the environment (``os.environ``, ``os.getenv``, ``%env``, a shell line ``!...``);
``files``
    reads or lists files (``open``, ``Path.read_text``, ``os.listdir``, ``glob``, ``os.walk``,
    ``subprocess``, ``os.system``...).

Lines starting with ``%`` or ``!`` (IPython magics and shell escapes) are judged by their first
word and then blanked, so the rest of the cell still parses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["KINDS", "scan"]

#: What :func:`scan` reports, in report order.
KINDS = ("internals", "patch", "environment", "files")

_INTERNAL = ("membranelab.course", "membranelab.nbgrader_ext", "membranelab.notebooks",
             "membranelab.service.secret", "membranelab.service.course",
             "membranelab.service.numbers")
_FILE_CALLS = frozenset({"open", "read_text", "read_bytes", "listdir", "scandir", "walk", "glob",
                         "iglob", "rglob", "iterdir", "system", "popen", "Popen",
                         "check_output", "check_call", "loadtxt", "read_csv", "fdopen"})
_FILE_MODULES = frozenset({"subprocess", "glob", "shutil", "pathlib", "io"})
_ENV_CALLS = frozenset({"getenv", "getenvb", "environ", "environb"})


def _internal(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in _INTERNAL)


def _root(node: ast.expr) -> str | None:
    """The name at the root of an attribute chain (``a`` of ``a.b.c``)."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _strip_magics(source: str, found: set[str]) -> str:
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("!") or stripped.startswith("%%bash") \
                or stripped.startswith("%%sh") or stripped.startswith("%sx") \
                or stripped.startswith("%system"):
            found.update(("environment", "files"))
            lines.append("")
        elif stripped.startswith("%env") or stripped.startswith("%set_env"):
            found.add("environment")
            lines.append("")
        elif stripped.startswith(("%load", "%run", "%cat", "%pycat", "%%writefile")):
            found.add("files")
            lines.append("")
        elif stripped.startswith("%"):
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def _imports(tree: ast.AST, bound: set[str], found: set[str]) -> None:
    """Record names bound to membranelab imports in ``bound``; internals and file modules."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "membranelab":
                    bound.add(alias.asname or alias.name.split(".")[0])
                    if _internal(alias.name):
                        found.add("internals")
                if alias.name.split(".")[0] in _FILE_MODULES:
                    found.add("files")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "membranelab":
                for alias in node.names:
                    bound.add(alias.asname or alias.name)
                    if _internal(f"{node.module}.{alias.name}"):
                        found.add("internals")
            if node.module.split(".")[0] in _FILE_MODULES:
                found.add("files")
            if node.module == "os" and any(a.name in ("environ", "getenv", "environb")
                                           for a in node.names):
                found.add("environment")


def _calls(tree: ast.AST, bound: set[str], found: set[str]) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            strings = [a.value for a in node.args
                       if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name in ("import_module", "__import__") and any(_internal(s) for s in strings):
                found.add("internals")
            if name in ("setattr", "delattr") and node.args and _root(node.args[0]) in bound:
                found.add("patch")
            if "patch" in name.lower() and any(s.startswith("membranelab") for s in strings):
                found.add("patch")
            if name in _FILE_CALLS:
                found.add("files")
            if name in _ENV_CALLS:
                found.add("environment")
        elif isinstance(node, ast.Attribute) and node.attr in ("environ", "environb"):
            found.add("environment")
        elif isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            found.add("environment")


def _stores(tree: ast.AST, bound: set[str], found: set[str]) -> None:
    """Attribute stores on membranelab names, and rebinding of names imported from it."""
    for node in ast.walk(tree):
        targets: Iterable[ast.expr] = ()
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = (node.target,)
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and _root(target) in bound:
                found.add("patch")
            elif isinstance(target, ast.Name) and target.id in bound:
                found.add("patch")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.name in bound:
            found.add("patch")


def _parse(source: str, found: set[str]) -> ast.Module | None:
    try:
        return ast.parse(_strip_magics(source, found))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


@lru_cache(maxsize=8)
def _bound(context: tuple[str, ...]) -> frozenset[str]:
    """Names the notebook's own cells bind to membranelab imports (the same for every
    submission of an assignment: computed once)."""
    bound: set[str] = set()
    for source in context:
        tree = _parse(source, set())
        if tree is not None:
            _imports(tree, bound, set())
    return frozenset(bound)


def scan(sources: Iterable[str], context: Iterable[str] = ()) -> tuple[str, ...]:
    """What the student's code cells ``sources`` attempt: a subset of :data:`KINDS`, in that
    order.  ``context``: the notebook's own locked cells, whose imports only bind names (a
    student's ``def check`` after the notebook's ``from membranelab.student import check``
    is a patch); names imported in any cell count in every other."""
    found: set[str] = set()
    bound = set(_bound(tuple(context)))
    trees = [t for t in (_parse(s, found) for s in sources) if t is not None]
    for tree in trees:
        _imports(tree, bound, found)
    for tree in trees:
        _calls(tree, bound, found)
        _stores(tree, bound, found)
    return tuple(kind for kind in KINDS if kind in found)
