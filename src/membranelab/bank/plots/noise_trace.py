"""``noise_trace``: simulate the channel-noise model whose fields ``model`` maps to names or
numbers, for ``duration`` seconds (step ``dt``), and show the trace beside its histogram."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from membranelab.messages import gettext
from membranelab.physics.units import from_si, unit_text

from .base import PlotContext, PlotKind, register

if TYPE_CHECKING:
    from ..model import Variant

__all__ = ["NoiseTrace", "NoiseTraceData"]

#: The fields of :class:`membranelab.physics.ChannelNoiseModel` a figure must map.
MODEL_FIELDS = frozenset({"n_channels", "gamma", "p_open", "tau", "e_k", "g_leak", "e_leak",
                          "capacitance"})


@dataclass(frozen=True)
class NoiseTraceData:
    """A simulated trace: ``t_ms`` (time, ms), ``v`` (the potential, in the plot's unit), its
    standard deviation ``sd`` and the labels."""

    t_ms: tuple[float, ...]
    v: tuple[float, ...]
    sd: float
    time_label: str
    v_label: str
    density_label: str
    sd_label: str


@register
@dataclass(frozen=True)
class NoiseTrace(PlotKind):
    name = "noise_trace"
    fields = frozenset({"model", "duration", "dt", "unit"})
    size = (8, 3.5)

    model: Mapping[str, Any] = field(default_factory=dict)
    duration: float = 0.05
    dt: float = 1e-5
    unit: str = "mV"

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: PlotContext) -> NoiseTrace:
        c, f = ctx.checker, ctx.field
        model = c.mapping(spec.get("model"), f"{f}.model")
        if set(model) != MODEL_FIELDS:
            raise c.fail(f"{f}.model", f"expected the fields {sorted(MODEL_FIELDS)}")
        ctx.check_args(dict(model), f"{f}.model")
        return cls(model=dict(model),
                   duration=c.number(spec.get("duration", 0.05), f"{f}.duration"),
                   dt=c.number(spec.get("dt", 1e-5), f"{f}.dt"),
                   unit=c.unit(spec.get("unit", "mV"), f"{f}.unit"))

    def data(self, variant: Variant, lang: str = "en") -> NoiseTraceData:
        from membranelab.physics import ChannelNoiseModel, simulate_trace

        kwargs: dict[str, Any] = {k: variant.values[v] if isinstance(v, str) else v
                                  for k, v in self.model.items()}
        kwargs["n_channels"] = int(round(kwargs["n_channels"]))
        t, v, _ = simulate_trace(ChannelNoiseModel(**kwargs), duration=self.duration,
                                 dt=self.dt, seed=0)
        v_disp = np.asarray([from_si(x, self.unit) for x in v])
        sd = float(np.std(v_disp))
        return NoiseTraceData(
            t_ms=tuple(float(x) for x in np.asarray(t) * 1e3),
            v=tuple(float(x) for x in v_disp), sd=sd,
            time_label=gettext("figure.time_ms", lang), v_label=f"$V$ ({unit_text(self.unit)})",
            density_label=gettext("figure.density", lang),
            sd_label=gettext("figure.sd", lang, value=f"{sd:.3g}", unit=unit_text(self.unit)))

    def draw(self, data: NoiseTraceData, figure: Any) -> None:
        axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1]}, sharey=True)
        axes[0].plot(data.t_ms, data.v, lw=0.6)
        axes[0].set_xlabel(data.time_label)
        axes[0].set_ylabel(data.v_label)
        axes[1].hist(data.v, bins=40, orientation="horizontal", density=True)
        axes[1].set_xlabel(data.density_label)
        axes[1].set_title(data.sd_label, fontsize=9)
