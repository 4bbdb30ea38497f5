"""HTML lives in Jinja templates only: no string in the package's Python code holds an HTML tag.

Every string constant of every module under ``src/membranelab`` (f-string pieces included) is
searched for something shaped like a tag (``<td>``, ``</p>``, ``<img src=...>``, ``<br/>``);
docstrings (prose that may name a tag) and comments are not code and are skipped, and so are
regular expressions' named groups (``(?P<name>...)``).  A string that must hold a tag in Python
goes in :data:`ALLOWED` with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "membranelab"

#: A tag: ``<name`` or ``</name``, then the tag's end (``>``, ``/>``) or an attribute
#: (``<img src=`` in an f-string cut before its value).  ``<id>`` in a usage line is a tag too:
#: such text belongs in the catalog, not in code.
TAG = re.compile(r"(?<!\?P)</?[A-Za-z][\w-]*(?:>|/>|\s+[\w-]+=)")

#: (module path relative to the package, the string) -> why it is allowed.  Empty: nothing in
#: the package needs a tag in Python today.
ALLOWED: dict[tuple[str, str], str] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (module, class, function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                found.add(id(body[0].value))
    return found


def html_in(source: str) -> list[tuple[int, str]]:
    """(line, string) of every string constant in ``source`` that holds a tag, docstrings
    excepted."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip and TAG.search(node.value)]


class TestDetector:
    """The search finds what it is meant to (else the package test below proves nothing)."""

    def test_finds_tags_in_strings_and_f_strings(self):
        """A tag in a plain string, in an f-string's text and a closing tag are each found."""
        source = ('x = "<p>hi</p>"\n'
                  "y = f'<td class=\"value\">{x}</td>'\n"
                  "z = '</h1>\\n'\n"
                  "w = '<br/>'\n"
                  "v = f'<img src=\"{x}\" alt=\"\">'\n")
        assert sorted(line for line, _ in html_in(source)) == [1, 2, 2, 3, 4, 5]

    def test_skips_docstrings_comments_and_named_groups(self):
        """Docstrings and comments may name tags; ``(?P<a>...)`` is a regex group, and ``a < b``
        or ``x<3`` are comparisons."""
        source = ('"""A ``<figure>`` module."""\n'
                  "def f():\n"
                  '    """Returns ``<td>``."""\n'
                  "    return 1  # <td>\n"
                  "R = r'(?P<a>\\d+)(?P<sep>[/.])'\n"
                  "S = 'a < b and x<3'\n")
        assert html_in(source) == []


def test_no_html_in_the_packages_python():
    """No module of the package builds HTML in Python: every tag is in a template."""
    found, allowed_seen = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for line, text in html_in(path.read_text("utf-8")):
            if (rel, text) in ALLOWED:
                allowed_seen.add((rel, text))
            else:
                found.append(f"{rel}:{line}: {text!r}")
    assert not found, "HTML in Python (move it into a template):\n" + "\n".join(found)
    # a stale allow-list entry would allow its string anywhere in its module: it must go
    assert set(ALLOWED) == allowed_seen, sorted(set(ALLOWED) - allowed_seen)
