"""Figures of worked solutions, drawn with matplotlib at render time, each by its plot kind
(:mod:`membranelab.bank.plots`).

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

import io
import logging
import re
from pathlib import Path

from membranelab.atomic import atomic_write_bytes

from .fonts import cjk_font
from .model import Variant

__all__ = ["draw_figures", "axis_label", "caption_text", "can_draw"]

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
    (``<problem>-<variant>-<figure>.png``, ``...-zh.png`` with Chinese labels); without
    matplotlib none ({}): the captions stand in."""
    if not can_draw():
        return {}
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
            f = MplFigure(figsize=fig.plot.size)
            fig.plot.draw(variant, f, lang)
            FigureCanvasAgg(f)  # this figure's own canvas: the process's backend is left alone
            f.suptitle(caption_text(fig.caption), fontsize=10)
            f.tight_layout()
            png = io.BytesIO()
            f.savefig(png, format="png", dpi=150)  # sharp on high-density screens; CSS scales it
        atomic_write_bytes(folder / name, png.getvalue())
        out[fig.id] = name
    return out
