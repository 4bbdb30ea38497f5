"""The plot-kind protocol and its registry: what a figure of a worked solution draws.

A plot kind is a frozen dataclass holding its fields of a ``figures:`` entry; it checks them
(:meth:`PlotKind.from_spec`, every failure a BankError naming file and field), computes what a
variant's figure shows (:meth:`PlotKind.data`: the numbers and labels, a frozen value; nothing
drawn, no matplotlib) and draws that on a matplotlib figure (:meth:`PlotKind.draw`).
:mod:`membranelab.bank.figures` does what every plot shares (file names, fonts, captions, the
object API) and only a format that shows images draws. A new kind is one module decorated with
:func:`register`.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..registry import Registry

if TYPE_CHECKING:
    from ..model import Parameter
    from ..variants import Variant

__all__ = ["PLOTS", "PlotContext", "PlotKind", "plot_class", "plot_names", "register", "unregister"]

@dataclass(frozen=True)
class PlotContext:
    """What a plot's spec parser may use: the file's ``checker``, the figure's ``field``
    (``figures[0]``), the problem's ``params``, the names ``known`` (parameters, constants,
    derived values, numeric parts), ``check_args(value, field)``, which checks solver-style
    arguments (names, numbers, lists and mappings of them), and ``dimensions``, each checked
    name's pint dimension (:mod:`membranelab.bank.dimensions`)."""

    checker: Any
    field: str
    params: Mapping[str, Parameter]
    known: frozenset[str]
    check_args: Callable[[Any, str], None]
    dimensions: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class PlotKind(ABC):
    """One kind of figure: ``name`` (the ``kind:`` value) and ``fields`` (besides ``id``,
    ``kind`` and ``caption``); ``size`` is the figure's size in inches."""

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()
    size: ClassVar[tuple[float, float]] = (6, 4)

    @classmethod
    @abstractmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: PlotContext) -> PlotKind:
        """This kind's fields of a figure entry, checked."""

    @abstractmethod
    def data(self, variant: Variant, lang: str = "en") -> Any:
        """What ``variant``'s figure shows: its numbers and labels (in ``lang``), computed and
        not drawn (a frozen value of the kind's own)."""

    @abstractmethod
    def draw(self, data: Any, figure: Any) -> None:
        """Draw ``data`` (from :meth:`data`) on ``figure`` (a ``matplotlib.figure.Figure``)."""


PLOTS: Registry[type[PlotKind]] = Registry("plot kind")
#: Class decorator: make a plot class the plot kind named by its ``name``.
register = PLOTS.register
#: Forget a plot kind.
unregister = PLOTS.remove
#: The registered plot kinds' names, in registration order.
plot_names = PLOTS.names
#: The plot kind registered under a name (None when there is none).
plot_class = PLOTS.get
