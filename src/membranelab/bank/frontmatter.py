"""A bank file's front matter: the YAML block between ``---`` lines, then the Markdown body.

Files are split with markdown-it-py (front_matter and dollarmath plugins). Front matter is read
with PyYAML's safe loader, bounded (:func:`read_front_matter`): YAML aliases let a 1 KB text
stand for a structure of billions of nodes (the "billion laughs"), which every later step would
walk, so the node count with every alias expanded is computed on the composed graph (each node
once) and above :data:`MAX_YAML_NODES` the file is a bank error; so is an integer too long for
Python to read (over 4300 digits).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .errors import BankError

__all__ = ["MAX_YAML_NODES", "read_front_matter", "split_front_matter"]

#: The most YAML nodes a problem's front matter may expand to (the largest problem has ~400).
MAX_YAML_NODES = 20_000


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """The node count of ``root`` with every alias expanded (each distinct node visited once;
    a count past ``limit`` stops early)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            sizes[id(node)] = 1
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        sizes[id(node)] = min(limit + 1, 1 + sum(sizes.get(id(c), 0) for c in children))
    return sizes[id(root)]


#: libyaml's safe loader where PyYAML has it (ten times faster: a bank loads in a third of the
#: time), else the pure-Python one; both compose the node graph before anything is built, and
#: libyaml refuses nesting deeper than 1,000 levels itself.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_front_matter(front: str, file: Path) -> object:
    """The front matter's YAML, bounded: an alias bomb, a number too long to read or nesting
    too deep is a :class:`BankError` of ``file``."""
    loader = _LOADER(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            raise BankError(file, "front matter", f"expands to more than {MAX_YAML_NODES:,} YAML nodes "
                         "(aliases repeating aliases?)")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise BankError(file, "front matter", f"invalid YAML: {exc}") from None
    except RecursionError:
        raise BankError(file, "front matter", "invalid YAML: nested too deeply") from None
    except ValueError as exc:  # int("9" * 5000): past Python's digit limit
        raise BankError(file, "front matter", f"invalid YAML: {str(exc)[:120]}") from None
    finally:
        loader.dispose()

@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).use(dollarmath_plugin)


def split_front_matter(text: str, file: Path) -> tuple[str | None, str]:
    """(front-matter YAML text or None, Markdown body) of a file's text."""
    tokens = _markdown().parse(text)
    if tokens and tokens[0].type == "front_matter":
        end = tokens[0].map[1] if tokens[0].map else 0
        return tokens[0].content, "\n".join(text.splitlines()[end:]).strip() + "\n"
    return None, text
