"""Plot kinds are types in a registry: a new kind of figure is one module."""

import importlib
import sys
import textwrap

import pytest

from membranelab.bank import load_bank, render_solution
from membranelab.bank.plots import plot_class, plot_names, unregister

TOY_MODULE = '''
from dataclasses import dataclass

from membranelab.bank.plots import PlotKind, register


@register
@dataclass(frozen=True)
class Bars(PlotKind):
    """One bar per named value, in SI."""

    name = "bars"
    fields = frozenset({"names"})
    size = (4, 3)

    names: tuple

    @classmethod
    def from_spec(cls, spec, ctx):
        names = spec.get("names")
        if not isinstance(names, list) or not all(n in ctx.known for n in names):
            raise ctx.checker.fail(f"{ctx.field}.names", "expected known names")
        return cls(names=tuple(names))

    def draw(self, variant, figure, lang="en"):
        ax = figure.subplots()
        ax.bar(list(self.names), [variant.values[n] for n in self.names])
'''

PROBLEM = """---
id: bars
title: Bars
topic: nernst
source: "test"
params:
  K_out: {low: 2, high: 8, step: 1, unit: mM, canonical: 4}
derived:
  twice: {expr: "2 * K_out"}
parts:
  - id: double
    prompt: "Twice [K+]o?"
    kind: numeric
    value: twice
    unit: mM
figures:
  - {id: b, kind: bars, names: [K_out, twice], caption: "Both"}
---
[K+]o = {{K_out}} mM.
"""


@pytest.fixture
def toy_plot(tmp_path):
    folder = tmp_path / "plugin"
    folder.mkdir()
    name = f"toy_plot_{tmp_path.name.replace('-', '_')}"
    (folder / f"{name}.py").write_text(textwrap.dedent(TOY_MODULE), encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(name).Bars
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)
        unregister("bars")


def test_toy_plot_is_drawn(toy_plot, tmp_path):
    """A plot kind from its own module is checked at load and drawn into the solution."""
    root = tmp_path / "bank"
    (root / "problems").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "problems" / "bars.md").write_text(PROBLEM, encoding="utf-8")
    (root / "solutions" / "bars.md").write_text("{{figure:b}}\n", encoding="utf-8")
    problem = load_bank(root)["bars"]
    assert isinstance(problem.figures[0].plot, toy_plot) and problem.figures[0].kind == "bars"
    out = tmp_path / "out"
    text = render_solution(problem.variant(), figures_dir=out)
    png = out / "bars-canonical-b.png"
    assert "(bars-canonical-b.png)" in text and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_plot_kind_is_named(tmp_path):
    """An unregistered kind is refused with the registered names."""
    from membranelab.bank import BankError

    root = tmp_path / "bank"
    (root / "problems").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "problems" / "bars.md").write_text(PROBLEM.replace("names: [K_out, twice], ", ""),
                                               encoding="utf-8")
    (root / "solutions" / "bars.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"figures\[0\]\.kind: expected sweep or noise_trace, "
                                        r"found 'bars'"):
        load_bank(root)
    assert plot_names()[:2] == ("sweep", "noise_trace") and plot_class("bars") is None
