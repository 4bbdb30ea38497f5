"""Figures of worked solutions: described by the rendered model, drawn by the format that shows
them.

A :class:`FigurePlan` says what to plot and with which numbers: the figure's plot kind with its
fields (:mod:`membranelab.bank.plots`: which parameter is swept over which range, which values
are plotted in which unit...), the variant whose numbers it plots, the caption and the language
of its labels.  Building a plan draws nothing; the rendered model
(:mod:`membranelab.bank.render.model`) carries one per figure.  Only an output format that shows
images draws them: :func:`draw_png` turns a plan into a PNG, :class:`FigureFolder` writes it
into a folder and gives the link a page uses (HTML and Markdown pages beside their figures, the
web front end's ``/figures/``).

Only matplotlib's object API is used (a ``matplotlib.figure.Figure`` on its own
``FigureCanvasAgg``): never ``pyplot`` or ``matplotlib.use``, which would switch the backend of a
notebook that renders a solution, and keep every figure in pyplot's global registry.

A figure of a Chinese problem has Chinese labels and caption, drawn with a CJK font
(:func:`membranelab.bank.fonts.cjk_font`; math keeps matplotlib's math fonts); without one it is
drawn with the English labels and caption (logged), never with empty boxes.

matplotlib comes with the ``[figures]`` extra (and ``[course]``); on the plain install no figure
is drawn and each figure's caption stands in for it (as in the terminal), logged once.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from membranelab.atomic import atomic_write_bytes

from .fonts import cjk_font

if TYPE_CHECKING:
    from .model import PlotKind, Variant

__all__ = ["EmbeddedFigures", "FigureFolder", "FigurePlan", "axis_label", "can_draw",
           "caption_text", "draw_figures", "draw_png", "figure_plans"]

log = logging.getLogger(__name__)
_WARNED: list[bool] = []


def can_draw() -> bool:
    """True when matplotlib is installed (the ``[figures]`` extra); logged once when not."""
    import importlib.util

    if importlib.util.find_spec("matplotlib") is not None:
        return True
    if not _WARNED:
        _WARNED.append(True)
        log.info("matplotlib is not installed: figures shown as their captions "
                 "(pip install 'membranelab[figures]' draws them)")
    return False


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


@dataclass(frozen=True)
class FigurePlan:
    """One figure of a variant's worked solution, described and not drawn: ``plot`` (the plot
    kind and its fields: what to plot), ``variant`` (whose numbers), ``caption`` and ``lang`` (the
    language of its labels); ``english`` is the same figure with English labels and caption, drawn
    instead where no CJK font is installed (None for an English figure)."""

    id: str
    caption: str
    plot: PlotKind
    variant: Variant
    lang: str
    english: FigurePlan | None = None

    def data(self) -> Any:
        """What the figure shows, computed for its variant: numbers and labels (the plot kind's
        :meth:`~membranelab.bank.plots.PlotKind.data`), nothing drawn."""
        return self.plot.data(self.variant, self.lang)

    @property
    def file_name(self) -> str:
        """``<problem>-<variant key>-<figure>.png`` (``...-zh.png`` with Chinese labels)."""
        suffix = "" if self.lang == "en" else f"-{self.lang}"
        return f"{self.variant.problem.id}-{self.variant.key}-{self.id}{suffix}.png"


def figure_plans(variant: Variant) -> tuple[FigurePlan, ...]:
    """The plan of every figure of ``variant``'s problem, in its language (nothing is drawn)."""
    problem = variant.problem
    english = {f.id: f for f in (problem.original or problem).figures}
    plans = []
    for fig in problem.figures:
        fallback = None
        if problem.lang != "en":
            en = english.get(fig.id, fig)
            fallback = FigurePlan(fig.id, en.caption, en.plot, variant, "en")
        plans.append(FigurePlan(fig.id, fig.caption, fig.plot, variant, problem.lang, fallback))
    return tuple(plans)


def _rc(lang: str) -> dict[Any, Any] | None:
    """matplotlib rc settings for labels in ``lang``; None when ``lang`` needs a CJK font and
    none is installed.  The CJK font goes first: text that mixes words and $math$ is set by
    mathtext, which takes all its words from the first family (no per-glyph fallback); Noto CJK
    has Latin letters too."""
    if lang == "en":
        return {}
    family = cjk_font()
    if family is None:
        return None
    return {"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}


def draw_png(plan: FigurePlan) -> tuple[str, bytes] | None:
    """(file name, PNG) of ``plan``: its English figure instead where its labels need a CJK font
    and none is installed; None without matplotlib (the caption stands in)."""
    if not can_draw():
        return None
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    rc = _rc(plan.lang)
    if rc is None:  # no CJK font: the English figure
        plan, rc = plan.english or FigurePlan(plan.id, plan.caption, plan.plot, plan.variant,
                                              "en"), {}
    with matplotlib.rc_context(rc):
        f = MplFigure(figsize=plan.plot.size)
        plan.plot.draw(plan.data(), f)
        FigureCanvasAgg(f)  # this figure's own canvas: the process's backend is left alone
        f.suptitle(caption_text(plan.caption), fontsize=10)
        f.tight_layout()
        png = io.BytesIO()
        f.savefig(png, format="png", dpi=150)  # sharp on high-density screens; CSS scales it
    return plan.file_name, png.getvalue()


@dataclass(frozen=True)
class FigureFolder:
    """Where a page's figures go: called with a plan, draws it into ``folder`` (PNG, written
    atomically) and returns its link, ``url`` followed by the file name (None without
    matplotlib: the caption stands in)."""

    folder: Path
    url: str = ""

    def __call__(self, plan: FigurePlan) -> str | None:
        drawn = draw_png(plan)
        if drawn is None:
            return None
        name, png = drawn
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.folder / name, png)
        return self.url + name


@dataclass(frozen=True)
class EmbeddedFigures:
    """Figures drawn into the page itself: each link is a ``data:`` URI of its PNG (a notebook's
    output has no folder beside it); None without matplotlib (the caption stands in)."""

    def __call__(self, plan: FigurePlan) -> str | None:
        drawn = draw_png(plan)
        if drawn is None:
            return None
        return "data:image/png;base64," + base64.b64encode(drawn[1]).decode("ascii")


def draw_figures(variant: Variant, folder: Path) -> dict[str, str]:
    """Draw every figure of the variant's problem into ``folder``; {figure id: file name}
    (``<problem>-<variant>-<figure>.png``, ``...-zh.png`` with Chinese labels); without
    matplotlib none ({}): the captions stand in."""
    into = FigureFolder(Path(folder))
    drawn = {plan.id: into(plan) for plan in figure_plans(variant)}
    return {fid: name for fid, name in drawn.items() if name is not None}
