"""Jupyter notebooks (nbformat v4.5): Markdown cells holding the Markdown format's text (Jupyter
renders the TeX itself), cell ids numbered so the same input gives the same file.

:func:`notebook_text` is the one writer of notebook files for every notebook built from a
variant (``render --format notebook``, the self-study notebook of ``practice --notebook``);
:func:`graded_prompt` is a part's prompt cell in a graded course's notebooks (nbgrader).
"""

from __future__ import annotations

from typing import Any

import nbformat

from membranelab.messages import gettext

from ..model import RenderedPart, RenderedVariant
from ..registry import Format, register
from .markdown import Markdown

__all__ = ["Notebook", "graded_prompt", "notebook_text", "points_phrase", "problem_intro"]

_KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


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
    ``cell-000``, ``cell-001``... (stable); validated."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(_KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}"), *cells]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


@register
class Notebook(Format):
    """A read-only notebook of one problem (``.ipynb``): the statement, then the solution."""

    name = "notebook"
    suffix = ".ipynb"
    links_figures = False  # one file: figures appear as their captions

    def statement(self, view: RenderedVariant, **options: Any) -> str:
        """The statement cell's text (Markdown)."""
        return Markdown().statement(view)

    def solution(self, view: RenderedVariant, **options: Any) -> str:
        """The solution cell's text (Markdown, under a ``## Solution`` heading)."""
        return (f"## {gettext('notebook.solution_heading', view.lang)}\n\n"
                + Markdown().solution(view))

    def document(self, view: RenderedVariant, **options: Any) -> str:
        cells = [nbformat.v4.new_markdown_cell(self.statement(view))]
        if view.solution is not None:
            cells.append(nbformat.v4.new_markdown_cell(self.solution(view)))
        return notebook_text(view.title, problem_intro(view), cells)
