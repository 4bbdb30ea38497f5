"""One model of a rendered variant, built once from a Variant and a language; every output
format (:mod:`membranelab.bank.render.formats`) lays it out.

All text is Markdown with TeX (``$..$``, ``$$..$$``) and the variant's numbers filled in; answers
are view atoms (:mod:`membranelab.bank.view`).  The model holds no markup of any format, and
draws nothing: a figure is a :class:`~membranelab.bank.figures.FigurePlan` (what to plot, with
which numbers) that a format showing images draws (:meth:`RenderedSolution.body` links it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from membranelab.messages import gettext
from membranelab.physics.units import is_dimensionless

from ..figures import FigurePlan, figure_plans
from ..model import Variant
from ..view import AnswerView
from .fill import figure_markdown, fill_pieces, fill_text

__all__ = ["topic_name", "FigureLinks", "IndexEntry", "PageHeader", "RenderedAnswer",
           "RenderedFigure", "RenderedIndex", "RenderedPart", "RenderedSolution",
           "RenderedVariant", "build", "in_language", "part_letter"]

#: What a format that shows images calls for each figure: draws it, returns its link (None:
#: not drawn, the caption stands in) -- e.g. :class:`membranelab.bank.figures.FigureFolder`.
FigureLinks = Callable[[FigurePlan], "str | None"]


def part_letter(index: int) -> str:
    """The label of a problem's ``index``-th part (0-based): a, b, ... z, then 27, 28, ..."""
    return chr(ord("a") + index) if index < 26 else str(index + 1)


@dataclass(frozen=True)
class RenderedPart:
    """One part: ``prompt`` filled; ``note`` the italic line after it (unit and significant
    figures of a number, else None); ``options`` the choices to list; ``unit`` the unit the
    answer is written in (the bank's spelling; None for a pure number, a formula, a choice);
    ``hints`` filled, in order; ``kind`` the answer kind's name (data for a form, never a
    renderer's branch)."""

    id: str
    letter: str
    kind: str
    prompt: str
    note: str | None
    options: tuple[str, ...]
    points: float
    unit: str | None
    hints: tuple[str, ...]


@dataclass(frozen=True)
class RenderedFigure:
    """A figure of the solution, not drawn: its ``caption`` and its ``plan`` (what to plot, with
    which numbers), which a format that shows images draws."""

    id: str
    caption: str
    plan: FigurePlan


@dataclass(frozen=True)
class RenderedAnswer:
    """One part's reference answer, as a view atom."""

    part_id: str
    letter: str
    view: AnswerView


@dataclass(frozen=True)
class RenderedSolution:
    """The worked solution: its title, its text cut at its figures (``pieces``: text, figure id,
    text, ..., as :func:`~membranelab.bank.render.fill.fill_pieces` cuts it), answers, figures
    and language."""

    title: str
    pieces: tuple[str, ...]
    answers: tuple[RenderedAnswer, ...]
    figures: tuple[RenderedFigure, ...]
    lang: str = "en"

    def body(self, links: FigureLinks | None = None) -> str:
        """The worked solution's Markdown: each figure the image ``links`` returns for it
        (``links`` draws it), else (no ``links``, or it returned None) its caption in italics."""
        figures = {f.id: f for f in self.figures}
        out = []
        for index, piece in enumerate(self.pieces):
            if index % 2 == 0:
                out.append(piece)
                continue
            figure = figures[piece]
            link = links(figure.plan) if links is not None else None
            out.append(figure_markdown(figure.caption, link, self.lang))
        return "".join(out).strip()


@dataclass(frozen=True)
class RenderedVariant:
    """A variant ready to lay out: statement (``title``, ``body``, ``parts``) and, when built
    with ``solution=True``, its worked ``solution``."""

    problem_id: str
    variant_key: str
    lang: str
    title: str
    topic: str
    body: str
    parts: tuple[RenderedPart, ...]
    solution: RenderedSolution | None = None

    def part(self, part_id: str) -> RenderedPart:
        """The part with id ``part_id`` (KeyError otherwise)."""
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)


@dataclass(frozen=True)
class PageHeader:
    """What a page of a site shows above a problem: a link back (``back`` its words, ``href``),
    and under the title a line of ``meta`` phrases and the problem's id."""

    back: str
    href: str
    meta: tuple[str, ...]
    problem_id: str


@dataclass(frozen=True)
class IndexEntry:
    """One row of a site's index: the page ``href``, the problem's title, topic, id, number of
    parts and ``points`` (as shown)."""

    href: str
    title: str
    topic: str
    problem_id: str
    parts: int
    points: str


@dataclass(frozen=True)
class RenderedIndex:
    """A site's index of pages: ``title``, a ``summary`` line of phrases, the column headings
    (problem, topic, id, parts, points) and one entry per page, in ``lang``."""

    title: str
    lang: str
    summary: tuple[str, ...]
    columns: tuple[str, ...]
    entries: tuple[IndexEntry, ...]


def in_language(variant: Variant, lang: str | None) -> Variant:
    """``variant`` with the text of ``lang`` (the same numbers; None: as it is)."""
    if lang is None or lang == variant.problem.lang:
        return variant
    return dataclasses.replace(variant, problem=variant.problem.localized(lang))


def _part(variant: Variant, index: int) -> RenderedPart:
    part = variant.problem.parts[index]
    kind = part.answer_kind
    return RenderedPart(
        id=part.id, letter=part_letter(index), kind=part.kind,
        prompt=fill_text(variant, part.prompt), note=kind.prompt_note(variant.problem.lang),
        options=kind.options, points=float(part.points),
        unit=None if is_dimensionless(kind.quantity_unit) else kind.quantity_unit,
        hints=tuple(fill_text(variant, hint) for hint in part.hints))


def _solution(variant: Variant) -> RenderedSolution:
    problem = variant.problem
    answers = variant.answers()
    return RenderedSolution(
        title=gettext("render.solution_title", problem.lang, title=problem.title),
        pieces=fill_pieces(variant, problem.solution),
        answers=tuple(
            RenderedAnswer(part.id, part_letter(i),
                           part.answer_kind.answer_view(part, answers[part.id], problem.lang))
            for i, part in enumerate(problem.parts)),
        figures=tuple(RenderedFigure(plan.id, plan.caption, plan)
                      for plan in figure_plans(variant)),
        lang=problem.lang)


def topic_name(topic: str, lang: str | None = "en") -> str:
    """A topic's name as people read it, in ``lang`` (the catalog's ``topic.<id>``; the id
    itself for a topic the catalog does not name yet)."""
    from membranelab.messages import has_message

    key = f"topic.{topic}"
    return gettext(key, lang or "en") if has_message(key) else topic


def build(variant: Variant, lang: str | None = None, *,
          solution: bool = False) -> RenderedVariant:
    """The rendered model of ``variant`` in ``lang`` (default: the variant's own language);
    ``solution`` adds the worked solution (its figures described, not drawn)."""
    variant = in_language(variant, lang)
    problem = variant.problem
    return RenderedVariant(
        problem_id=problem.id, variant_key=variant.key, lang=problem.lang, title=problem.title,
        topic=topic_name(problem.topic, problem.lang), body=fill_text(variant, problem.body).strip(),
        parts=tuple(_part(variant, i) for i in range(len(problem.parts))),
        solution=_solution(variant) if solution else None)
