"""A minimal sound problem (it passes ``membranelab check``: 49 x 241 = 11,809 variants), and a
writer of fixture banks under tmp_path (nothing here reads ../shared)."""

import contextlib
import importlib
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

MINIMAL = """---
id: demo
title: Demo
topic: nernst
source: "test"
params:
  K_out: {low: 2, high: 8, step: 0.125, unit: mM, canonical: 4}
  K_in: {low: 100, high: 160, step: 0.25, unit: mM, canonical: 140}
  T: {value: 310, unit: K}
derived:
  E_K: {solver: nernst_potential, args: {c_out: K_out, c_in: K_in, z: 1, temperature: T}}
invariants:
  - "E_K < 0"
  - {part: sign, is: negative, when: "K_out < K_in"}
parts:
  - id: E_K
    prompt: "E_K?"
    kind: numeric
    value: E_K
    unit: mV
  - id: sign
    prompt: "Sign?"
    kind: choice
    choices: [negative, positive]
    answer: {if: "E_K < 0", then: negative, else: positive}
---
[K+]o = {{K_out}} mM, [K+]i = {{K_in}} mM.
"""
SOLUTION = "E_K = {{E_K}} mV ({{E_K|V|4}} V).\n"


def write(root: Path, problem: str = MINIMAL, name: str = "demo",
          solution: str = SOLUTION) -> Path:
    """A bank under ``root`` holding one problem file ``name`` (its id must be ``name``)."""
    (root / "problems").mkdir(parents=True, exist_ok=True)
    (root / "solutions").mkdir(exist_ok=True)
    (root / "problems" / f"{name}.md").write_text(problem, encoding="utf-8")
    (root / "solutions" / f"{name}.md").write_text(solution, encoding="utf-8")
    return root


@contextlib.contextmanager
def plugin(folder: Path, source: str) -> Iterator[ModuleType]:
    """A module written from ``source`` into ``folder`` and imported, the way a plug-in author
    adds an answer or plot kind; forgotten afterwards (the caller unregisters what it added)."""
    folder.mkdir(parents=True)
    name = f"plugin_{uuid.uuid4().hex}"
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)
