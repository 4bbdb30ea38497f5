"""``sweep``: vary parameter ``x`` over ``range`` (its unit) and plot the values named in ``y``
(derived values or numeric parts) in ``unit``, with the variant's own ``x`` marked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from membranelab.messages import gettext
from membranelab.physics.units import from_si, unit_text

from ..dimensions import unit_disagreement
from .base import PlotContext, PlotKind, register

if TYPE_CHECKING:
    from ..model import Variant

__all__ = ["Sweep", "SweepData"]

#: Points along the swept parameter.
POINTS = 61


def _value(problem: Any, env: Mapping[str, float], name: str) -> float:
    """The SI value of ``name``: a part's computed value, or a derived value."""
    for part in problem.parts:
        value = part.answer_kind.value_name
        if part.id == name and value:
            return env[value]
    return env[name]


@dataclass(frozen=True)
class SweepData:
    """A sweep of one variant: ``xs`` (the swept parameter, in its unit), one ``(label, ys)``
    curve per plotted name (in the plot's unit), the variant's own ``x`` marked with
    ``marker_label``, and the axes' labels."""

    xs: tuple[float, ...]
    curves: tuple[tuple[str, tuple[float, ...]], ...]
    x: float
    marker_label: str
    x_label: str
    y_label: str


@register
@dataclass(frozen=True)
class Sweep(PlotKind):
    name = "sweep"
    fields = frozenset({"x", "range", "y", "unit"})
    size = (6, 4)

    x: str
    x_range: tuple[float, float]
    y: tuple[str, ...]
    unit: str = "dimensionless"

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: PlotContext) -> Sweep:
        c, field = ctx.checker, ctx.field
        x = spec.get("x")
        if x not in ctx.params:
            raise c.fail(f"{field}.x", f"unknown parameter {x!r}")
        rng = spec.get("range")
        if not isinstance(rng, list) or len(rng) != 2:
            raise c.fail(f"{field}.range", "expected [low, high] in the parameter's unit")
        lo, hi = (c.number(v, f"{field}.range") for v in rng)
        y = spec.get("y")
        y = [y] if isinstance(y, str) else y
        if not isinstance(y, list) or not y:
            raise c.fail(f"{field}.y", "expected a name or a list of names")
        for name in y:
            if name not in ctx.known:
                raise c.fail(f"{field}.y", f"unknown name {name!r}")
        unit = c.unit(spec.get("unit", "dimensionless"), f"{field}.unit")
        for name in y:  # every curve shares the axis: each must be shown in its unit
            dims = ctx.dimensions.get(name)
            if dims is not None and (disagreement := unit_disagreement(dims, unit)):
                raise c.fail(f"{field}.unit", f"{name}: {disagreement}")
        return cls(x=str(x), x_range=(lo, hi), y=tuple(y), unit=unit)

    def data(self, variant: Variant, lang: str = "en") -> SweepData:
        from ..figures import axis_label
        from ..variants import evaluate

        problem = variant.problem
        param = problem.params[self.x]
        xs = np.linspace(self.x_range[0], self.x_range[1], POINTS)
        base = {n: variant.values[n] for n in problem.params}
        series: dict[str, list[float]] = {name: [] for name in self.y}
        for x in xs:
            env, _ = evaluate(problem, dict(base, **{self.x: param.to_si(float(x))}))
            for name in self.y:
                series[name].append(from_si(_value(problem, env, name), self.unit))
        here = variant.params[self.x]
        x_unit = unit_text(param.unit)
        value = f"{param.display(here)}{' ' + x_unit if x_unit else ''}"
        return SweepData(
            xs=tuple(float(x) for x in xs),
            curves=tuple((axis_label(name), tuple(ys)) for name, ys in series.items()),
            x=float(here), marker_label=gettext("figure.this_variant", lang, value=value),
            x_label=(param.label or axis_label(self.x)) + (f" ({x_unit})" if x_unit else ""),
            y_label=unit_text(self.unit))

    def draw(self, data: SweepData, figure: Any) -> None:
        ax = figure.subplots()
        for label, ys in data.curves:
            ax.plot(data.xs, ys, label=label)
        ax.axvline(data.x, color="grey", linestyle=":", label=data.marker_label)
        ax.set_xlabel(data.x_label)
        ax.set_ylabel(data.y_label)
        ax.legend()
        ax.grid(alpha=0.3)
