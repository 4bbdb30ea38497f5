"""Figures of worked solutions, drawn with matplotlib at render time.

Only matplotlib's object API is used (a ``matplotlib.figure.Figure`` on its own
``FigureCanvasAgg``): never ``pyplot`` or ``matplotlib.use``, which would switch the backend of a
notebook that renders a solution, and keep every figure in pyplot's global registry.

A figure of a Chinese problem has Chinese labels and caption, drawn with a CJK font
(:func:`membranelab.bank.fonts.cjk_font`; math keeps matplotlib's math fonts); without one it is
drawn with the English labels and caption (logged), never with empty boxes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from membranelab.messages import gettext
from membranelab.physics.units import from_si, unit_text

from .fonts import cjk_font
from .model import Figure
from .variants import Variant, evaluate

__all__ = ["draw_figures", "axis_label", "caption_text"]


def axis_label(name: str) -> str:
    """A bank name as matplotlib mathtext: ``E_K_high`` is E with the subscript "K,high"."""
    head, _, tail = name.partition("_")
    if not head.isidentifier() or not head.isascii():
        return name
    sub = tail.replace("_", ",")
    return f"${head}_{{\\mathrm{{{sub}}}}}$" if sub else f"${head}$"


_CAPTION_NAME = re.compile(r"(?<![\w$])[A-Za-z]+_[A-Za-z0-9_]+(?![\w$])")


def caption_text(caption: str) -> str:
    """A caption for a figure title: subscripted names (``V_m``, ``E_K``) as mathtext."""
    if "$" in caption:
        return caption
    return _CAPTION_NAME.sub(lambda m: axis_label(m.group(0)), caption)


def _sweep(variant: Variant, fig: Figure, ax, lang: str = "en") -> None:
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
        ax.plot(xs, ys, label=axis_label(name))
    here = variant.params[fig.x]
    x_unit = unit_text(param.unit)
    value = f"{param.display(here)}{' ' + x_unit if x_unit else ''}"
    ax.axvline(here, color="grey", linestyle=":",
               label=gettext("figure.this_variant", lang, value=value))
    ax.set_xlabel((param.label or axis_label(fig.x)) + (f" ({x_unit})" if x_unit else ""))
    ax.set_ylabel(unit_text(fig.unit))
    ax.legend()
    ax.grid(alpha=0.3)


def _value(problem, env, name: str) -> float:
    for part in problem.parts:
        if part.id == name and part.answer_kind.value:
            return env[part.answer_kind.value]
    return env[name]


def _noise(variant: Variant, fig: Figure, axes, lang: str = "en") -> None:
    from membranelab.physics import ChannelNoiseModel, simulate_trace

    kwargs = {k: variant.values[v] if isinstance(v, str) else v for k, v in fig.model.items()}
    kwargs["n_channels"] = int(round(kwargs["n_channels"]))
    t, v, _ = simulate_trace(ChannelNoiseModel(**kwargs), duration=fig.duration, dt=fig.dt, seed=0)
    v_disp = np.asarray([from_si(x, fig.unit) for x in v])
    axes[0].plot(np.asarray(t) * 1e3, v_disp, lw=0.6)
    axes[0].set_xlabel(gettext("figure.time_ms", lang))
    axes[0].set_ylabel(f"$V$ ({unit_text(fig.unit)})")
    axes[1].hist(v_disp, bins=40, orientation="horizontal", density=True)
    axes[1].set_xlabel(gettext("figure.density", lang))
    axes[1].set_title(gettext("figure.sd", lang, value=f"{np.std(v_disp):.3g}",
                              unit=unit_text(fig.unit)), fontsize=9)


def _language(variant: Variant) -> tuple[str, dict]:
    """(language of the labels, matplotlib rc settings): Chinese with a CJK font as fallback
    after DejaVu Sans when one is installed, else English."""
    lang = variant.problem.lang
    if lang == "en":
        return "en", {}
    family = cjk_font()
    if family is None:
        return "en", {}
    # The CJK font first: text that mixes words and $math$ is set by mathtext, which takes all
    # its words from the first family (no per-glyph fallback); Noto CJK has Latin letters too.
    return lang, {"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}


def draw_figures(variant: Variant, folder: Path) -> dict[str, str]:
    """Draw every figure of the variant's problem into ``folder``; {figure id: file name}
    (``<problem>-<variant>-<figure>.png``, ``...-zh.png`` with Chinese labels)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    folder.mkdir(parents=True, exist_ok=True)
    lang, rc = _language(variant)
    shown = variant.problem if lang == variant.problem.lang else (
        variant.problem.original or variant.problem)  # no CJK font: the English figures
    out = {}
    for fig in shown.figures:
        suffix = "" if lang == "en" else f"-{lang}"
        name = f"{variant.problem.id}-{variant.key}-{fig.id}{suffix}.png"
        with matplotlib.rc_context(rc):
            if fig.kind == "sweep":
                f = MplFigure(figsize=(6, 4))
                _sweep(variant, fig, f.subplots(), lang)
            else:
                f = MplFigure(figsize=(8, 3.5))
                _noise(variant, fig, f.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1]},
                                                sharey=True), lang)
            FigureCanvasAgg(f)  # this figure's own canvas: the process's backend is left alone
            f.suptitle(caption_text(fig.caption), fontsize=10)
            f.tight_layout()
            f.savefig(folder / name, dpi=150)  # sharp on high-density screens; CSS scales it
        out[fig.id] = name
    return out
