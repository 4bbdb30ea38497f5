"""One model of a rendered variant, built once from a Variant and a language; every output
format (:mod:`membranelab.bank.render.formats`) lays it out.

All text is Markdown with TeX (``$..$``, ``$$..$$``) and the variant's numbers filled in; answers
are view atoms (:mod:`membranelab.bank.view`).  The model holds no markup of any format.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from membranelab.messages import gettext
from membranelab.physics.units import is_dimensionless

from ..model import Variant
from ..view import AnswerView
from .fill import fill_text

__all__ = ["topic_name", "RenderedAnswer", "RenderedFigure", "RenderedPart", "RenderedSolution",
           "RenderedVariant", "build", "in_language", "part_letter"]


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
    """A figure of the solution: ``path`` the image file written (None when not drawn)."""

    id: str
    caption: str
    path: str | None


@dataclass(frozen=True)
class RenderedAnswer:
    """One part's reference answer, as a view atom."""

    part_id: str
    letter: str
    view: AnswerView


@dataclass(frozen=True)
class RenderedSolution:
    """The worked solution: its title, body (figures linked by their ``path``) and answers."""

    title: str
    body: str
    answers: tuple[RenderedAnswer, ...]
    figures: tuple[RenderedFigure, ...]


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
        unit=None if is_dimensionless(kind.unit) else kind.unit,
        hints=tuple(fill_text(variant, hint) for hint in part.hints))


def _solution(variant: Variant, figures_dir: str | Path | None) -> RenderedSolution:
    problem = variant.problem
    drawn: dict[str, str] = {}
    if figures_dir is not None and problem.figures:
        from ..figures import draw_figures

        drawn = draw_figures(variant, Path(figures_dir))
    answers = variant.answers()
    return RenderedSolution(
        title=gettext("render.solution_title", problem.lang, title=problem.title),
        body=fill_text(variant, problem.solution, drawn).strip(),
        answers=tuple(
            RenderedAnswer(part.id, part_letter(i),
                           part.answer_kind.answer_view(part, answers[part.id], problem.lang))
            for i, part in enumerate(problem.parts)),
        figures=tuple(RenderedFigure(f.id, f.caption, drawn.get(f.id)) for f in problem.figures))


def topic_name(topic: str, lang: str | None = "en") -> str:
    """A topic's name as people read it, in ``lang`` (the catalog's ``topic.<id>``; the id
    itself for a topic the catalog does not name yet)."""
    from membranelab.messages import has_message

    key = f"topic.{topic}"
    return gettext(key, lang or "en") if has_message(key) else topic


def build(variant: Variant, lang: str | None = None, *, solution: bool = False,
          figures_dir: str | Path | None = None) -> RenderedVariant:
    """The rendered model of ``variant`` in ``lang`` (default: the variant's own language).

    ``solution`` adds the worked solution; with ``figures_dir`` its figures are drawn there (PNG,
    ``<problem>-<variant key>-<figure>.png``) and linked by file name (write the page into that
    folder); without it a figure's caption stands in for the picture.
    """
    variant = in_language(variant, lang)
    problem = variant.problem
    return RenderedVariant(
        problem_id=problem.id, variant_key=variant.key, lang=problem.lang, title=problem.title,
        topic=topic_name(problem.topic, problem.lang), body=fill_text(variant, problem.body).strip(),
        parts=tuple(_part(variant, i) for i in range(len(problem.parts))),
        solution=_solution(variant, figures_dir) if solution else None)
