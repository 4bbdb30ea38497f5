"""Rendering a variant: one model, one module per output format.

* :func:`build` (:mod:`.model`) turns a Variant and a language into a :class:`RenderedVariant`
  (frozen): title, body, parts (letter, prompt, note, options, points, unit, hints) and, when
  asked, the worked solution (text, figures described and not drawn, answers as view atoms of
  :mod:`membranelab.bank.view`).  All its text is Markdown with TeX and the variant's numbers.
* Each module of :mod:`.formats` lays the model out in one format and registers itself
  (:mod:`.registry`): ``markdown``, ``html``, ``notebook``, ``terminal``; :func:`get_format`
  finds one by name, :func:`format_names` lists them (the ``--format`` choices).  A format that
  shows images draws a solution's figures (:mod:`membranelab.bank.figures`) when asked to;
  HTML's markup is in Jinja templates (``templates/``), none in Python.
* :func:`fill_text` (:mod:`.fill`) fills the ``{{placeholders}}`` of any text of a variant.

``render_statement`` / ``render_solution`` are the bank's one-call API over these.
"""

from __future__ import annotations

from pathlib import Path

from ..figures import EmbeddedFigures, FigureFolder
from ..model import Variant
from .fill import fill_text
from .formats.html import MATHJAX, MATHJAX_URL, PAGE_CSS, html_page, mathjax_tags, to_html
from .model import (
    FigureLinks,
    IndexEntry,
    PageHeader,
    RenderedAnswer,
    RenderedFigure,
    RenderedIndex,
    RenderedPart,
    RenderedSolution,
    RenderedVariant,
    build,
    part_letter,
)
from .registry import Format, format_names, get_format, register

__all__ = ["MATHJAX", "MATHJAX_URL", "PAGE_CSS", "FigureLinks", "Format", "IndexEntry",
           "PageHeader", "RenderedAnswer", "RenderedFigure", "RenderedIndex", "RenderedPart",
           "RenderedSolution", "RenderedVariant", "build", "fill_text",
           "format_names", "get_format", "html_page", "mathjax_tags",
           "part_letter", "register", "render_solution", "render_statement", "to_html"]


def render_statement(variant: Variant, fmt: str = "markdown", *, standalone: bool = False,
                     mathjax: str | None = None) -> str:
    """The statement of ``variant`` (body and parts) in the format ``fmt`` (HTML with
    ``standalone``: a full page loading MathJax from ``mathjax``, default the CDN)."""
    layout = get_format(fmt)
    return layout.statement(build(variant), standalone=standalone, mathjax=mathjax)


def render_solution(variant: Variant, fmt: str = "markdown", figures_dir: str | Path | None = None,
                    *, standalone: bool = False, mathjax: str | None = None,
                    embed_figures: bool = False) -> str:
    """The worked solution of ``variant`` with its numbers and answers, in the format ``fmt``.

    With ``figures_dir`` a format that shows images (HTML, Markdown) draws the solution's figures
    there (PNG) and links them by file name relative to that folder (write the page into the same
    folder); otherwise their captions stand in.  In HTML the answers are a table; ``standalone``
    gives a full page loading MathJax from ``mathjax`` (default the CDN).  ``embed_figures``
    draws them into the text itself instead (``data:`` URIs: a notebook's output).
    """
    layout = get_format(fmt)
    figures: FigureLinks | None = None
    if embed_figures:
        figures = EmbeddedFigures()
    elif figures_dir is not None:
        figures = FigureFolder(Path(figures_dir))
    return layout.solution(build(variant, solution=True), standalone=standalone, mathjax=mathjax,
                           figures=figures)
