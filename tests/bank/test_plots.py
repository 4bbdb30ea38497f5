"""Plot kinds are types in a registry: a new kind of figure is one module."""

import pytest
from bankfixture import plugin, write

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

    def data(self, variant, lang="en"):
        return tuple((n, variant.values[n]) for n in self.names)

    def draw(self, data, figure):
        ax = figure.subplots()
        ax.bar([n for n, _ in data], [v for _, v in data])
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
    try:
        with plugin(tmp_path / "plugin", TOY_MODULE) as module:
            yield module.Bars
    finally:
        unregister("bars")


def test_toy_plot_is_drawn(toy_plot, tmp_path):
    """A plot kind from its own module is checked at load and drawn into the solution."""
    problem = load_bank(write(tmp_path / "bank", PROBLEM, "bars", "{{figure:b}}\n"))["bars"]
    assert isinstance(problem.figures[0].plot, toy_plot) and problem.figures[0].kind == "bars"
    out = tmp_path / "out"
    text = render_solution(problem.variant(), figures_dir=out)
    png = out / "bars-canonical-b.png"
    assert "(bars-canonical-b.png)" in text and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_plot_kind_is_named(tmp_path):
    """An unregistered kind is refused with the registered names."""
    from membranelab.bank import BankError

    root = write(tmp_path / "bank", PROBLEM.replace("names: [K_out, twice], ", ""), "bars", "x\n")
    with pytest.raises(BankError, match=r"figures\[0\]\.kind: expected sweep or noise_trace, "
                                        r"found 'bars'"):
        load_bank(root)
    assert plot_names()[:2] == ("sweep", "noise_trace") and plot_class("bars") is None
