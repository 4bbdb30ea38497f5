"""Figures of worked solutions, drawn with matplotlib (Agg backend) at render time."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .model import Figure
from .units import from_si
from .variants import Variant, evaluate

__all__ = ["draw_figures"]


def _sweep(variant: Variant, fig: Figure, ax) -> None:
    problem = variant.problem
    param = problem.params[fig.x]
    xs = np.linspace(fig.x_range[0], fig.x_range[1], 61)
    base = {n: variant.values[n] for n in problem.params}
    series: dict[str, list[float]] = {name: [] for name in fig.y}
    for x in xs:
        env, _ = evaluate(problem, dict(base, **{fig.x: param.to_si(float(x))}))
        for name in fig.y:
            series[name].append(from_si(_value(problem, env, name), fig.unit))
    for name, ys in series.items():
        ax.plot(xs, ys, label=name)
    here = variant.params[fig.x]
    ax.axvline(here, color="grey", linestyle=":", label=f"this variant ({param.display(here)})")
    ax.set_xlabel(f"{fig.x} ({param.unit})")
    ax.set_ylabel(fig.unit)
    ax.legend()
    ax.grid(alpha=0.3)


def _value(problem, env, name: str) -> float:
    for part in problem.parts:
        if part.id == name and part.value:
            return env[part.value]
    return env[name]


def _noise(variant: Variant, fig: Figure, axes) -> None:
    from membranelab.physics import ChannelNoiseModel, simulate_trace

    kwargs = {k: variant.values[v] if isinstance(v, str) else v for k, v in fig.model.items()}
    kwargs["n_channels"] = int(round(kwargs["n_channels"]))
    t, v, _ = simulate_trace(ChannelNoiseModel(**kwargs), duration=fig.duration, dt=fig.dt, seed=0)
    v_disp = np.asarray([from_si(x, fig.unit) for x in v])
    axes[0].plot(np.asarray(t) * 1e3, v_disp, lw=0.6)
    axes[0].set_xlabel("time (ms)")
    axes[0].set_ylabel(f"V ({fig.unit})")
    axes[1].hist(v_disp, bins=40, orientation="horizontal", density=True)
    axes[1].set_xlabel("density")
    axes[1].set_title(f"sd {np.std(v_disp):.3g} {fig.unit}", fontsize=9)


def draw_figures(variant: Variant, folder: Path) -> dict[str, str]:
    """Draw every figure of the variant's problem into ``folder``; {figure id: file name}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for fig in variant.problem.figures:
        name = f"{variant.problem.id}-{variant.key}-{fig.id}.png"
        if fig.kind == "sweep":
            f, ax = plt.subplots(figsize=(6, 4))
            _sweep(variant, fig, ax)
        else:
            f, axes = plt.subplots(1, 2, figsize=(8, 3.5), gridspec_kw={"width_ratios": [3, 1]},
                                   sharey=True)
            _noise(variant, fig, axes)
        f.suptitle(fig.caption, fontsize=10)
        f.tight_layout()
        f.savefig(folder / name, dpi=100)
        plt.close(f)
        out[fig.id] = name
    return out
