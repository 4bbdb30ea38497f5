"""The plot-kind registry, and the protocol's names in one place.

A plot kind is a frozen dataclass holding its fields of a ``figures:`` entry, subclassing
:class:`~membranelab.bank.protocols.PlotKind`: it checks them (:meth:`PlotKind.from_spec` with a
:class:`~membranelab.bank.phases.PlotContext`, every failure a BankError naming file and field),
computes what a variant's figure shows (:meth:`PlotKind.data`: the numbers and labels, a frozen
value; nothing drawn, no matplotlib) and draws that on a matplotlib figure
(:meth:`PlotKind.draw`).  :mod:`membranelab.bank.figures` does what every plot shares (file
names, fonts, captions, the object API) and only a format that shows images draws.  A new kind
is one module decorated with :func:`register`.
"""

from __future__ import annotations

from ..phases import PlotContext
from ..protocols import PlotKind
from ..registry import Registry

__all__ = ["PLOTS", "PlotContext", "PlotKind", "plot_class", "plot_names", "register", "unregister"]

PLOTS: Registry[type[PlotKind]] = Registry("plot kind")
#: Class decorator: make a plot class the plot kind named by its ``name``.
register = PLOTS.register
#: Forget a plot kind.
unregister = PLOTS.remove
#: The registered plot kinds' names, in registration order.
plot_names = PLOTS.names
#: The plot kind registered under a name (None when there is none).
plot_class = PLOTS.get
