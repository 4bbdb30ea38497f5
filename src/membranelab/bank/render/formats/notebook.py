"""Jupyter notebooks (nbformat v4.5): Markdown cells holding the Markdown format's text (Jupyter
renders the TeX itself), cell ids numbered so the same input gives the same file.  A solution's
figures are drawn into the notebook itself, as attachments of its cell (one self-contained file;
without matplotlib their captions stand in).

:func:`notebook_text` is the one writer of notebook files for every notebook built from a
variant (``render --format notebook``, the self-study notebook of ``practice --notebook``);
:func:`graded_prompt` is a part's prompt cell in a graded course's notebooks (nbgrader).
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

from membranelab.messages import gettext

from ...figures import FigurePlan, draw_png
from ..model import RenderedPart, RenderedVariant
from ..registry import Format, register
from .markdown import Markdown

__all__ = ["Notebook", "code_cell", "graded_prompt", "markdown_cell", "notebook_text",
           "points_phrase", "problem_intro"]

_KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
#: The notebook format written (nbformat 4.5: cells carry ids). Written here as plain JSON, so the
#: plain install (no Jupyter) writes notebooks; the tests validate them with nbformat.
NBFORMAT, NBFORMAT_MINOR = 4, 5


def markdown_cell(source: str, metadata: dict[str, Any] | None = None,
                  attachments: dict[str, bytes] | None = None) -> dict[str, Any]:
    """A Markdown cell (as ``nbformat.v4.new_markdown_cell``); ``attachments``: PNG images by
    file name, which its text links as ``attachment:<name>``."""
    cell = {"cell_type": "markdown", "metadata": dict(metadata or {}), "source": source}
    if attachments:
        cell["attachments"] = {name: {"image/png": base64.b64encode(png).decode("ascii")}
                               for name, png in sorted(attachments.items())}
    return cell


class _Attached:
    """Draws each figure asked for and keeps its PNG to attach to the cell that links it."""

    def __init__(self) -> None:
        self.images: dict[str, bytes] = {}

    def __call__(self, plan: FigurePlan) -> str | None:
        drawn = draw_png(plan)
        if drawn is None:
            return None
        name, png = drawn
        self.images[name] = png
        return f"attachment:{name}"


def code_cell(source: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """A code cell, never run (as ``nbformat.v4.new_code_cell``)."""
    return {"cell_type": "code", "execution_count": None, "metadata": dict(metadata or {}),
            "outputs": [], "source": source}


def problem_intro(view: RenderedVariant) -> str:
    """The line naming a problem under its title: ``*id · topic*``."""
    return f"*{view.problem_id} · {view.topic}*"


def points_phrase(value: float, lang: str = "en") -> str:
    """``2 points``, ``1 point``, ``0.5 points`` (in ``lang``)."""
    value = float(value)
    number = int(value) if value.is_integer() else value
    return (gettext("course.points_one", lang) if number == 1
            else gettext("course.points", lang, n=number))


def graded_prompt(part: RenderedPart, lang: str = "en") -> str:
    """A part's prompt cell in a course notebook: ``**(a) `E_K`** (1 point, answer in mV)``, the
    prompt, then its options as a list (``part.unit`` as students type it)."""
    points = points_phrase(part.points, lang)
    label = (gettext("course.part_points_unit", lang, points=points, unit=part.unit)
             if part.unit else points)
    heading = gettext("course.part_heading", lang, letter=part.letter, part=part.id, label=label)
    text = gettext("course.part_prompt", lang, heading=heading, prompt=part.prompt.strip())
    if part.options:
        text += "\n\n" + "\n".join(f"- {option}" for option in part.options)
    return text


def notebook_text(title: str, intro: str, cells: list[Any]) -> str:
    """The JSON of a notebook: a ``# title`` cell with ``intro``, then ``cells``; ids
    ``cell-000``, ``cell-001``... (stable).  Laid out as nbformat writes it (sorted keys, one
    space of indent, sources split into lines), so a file round-trips through Jupyter unchanged."""
    all_cells = [copy.deepcopy(dict(cell)) for cell in
                 (markdown_cell(f"# {title}\n\n{intro}"), *cells)]
    for index, cell in enumerate(all_cells):
        cell["id"] = f"cell-{index:03d}"
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(True)
    nb = {"cells": all_cells,
          "metadata": {"kernelspec": dict(_KERNELSPEC), "language_info": {"name": "python"}},
          "nbformat": NBFORMAT, "nbformat_minor": NBFORMAT_MINOR}
    return json.dumps(nb, indent=1, sort_keys=True, separators=(",", ": "),
                      ensure_ascii=False) + "\n"


@register
class Notebook(Format):
    """A read-only notebook of one problem (``.ipynb``): the statement, then the solution."""

    name = "notebook"
    suffix = ".ipynb"
    shows_figures = True

    def statement(self, view: RenderedVariant, **options: Any) -> str:
        """The statement cell's text (Markdown)."""
        return Markdown().statement(view)

    def solution(self, view: RenderedVariant, **options: Any) -> str:
        """The solution cell's text (Markdown, under a ``## Solution`` heading; ``figures=`` as
        the Markdown format takes it)."""
        return (f"## {gettext('notebook.solution_heading', view.lang)}\n\n"
                + Markdown().solution(view, figures=options.get("figures")))

    def document(self, view: RenderedVariant, **options: Any) -> str:
        """The notebook: the statement's cell, then the solution's with its figures drawn and
        attached to it (``figures=`` is not needed: the file holds them)."""
        cells = [markdown_cell(self.statement(view))]
        if view.solution is not None:
            attached = _Attached()
            cells.append(markdown_cell(self.solution(view, figures=attached),
                                       attachments=attached.images))
        return notebook_text(view.title, problem_intro(view), cells)
