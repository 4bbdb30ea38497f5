"""What a page shows of a problem: a student's variant as HTML fragments (math left for MathJax).

The bank builds the rendered model of a variant (:func:`membranelab.bank.render.build`) and its
HTML format turns each piece into HTML (``to_html``: raw HTML in bank text is escaped, TeX kept
verbatim for MathJax); this module only cuts the model into the pieces a page lays out: the
statement's body, one block per part, the worked solution with its figures.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from membranelab.bank.figures import FigureFolder
from membranelab.bank.render import build, get_format, to_html
from membranelab.bank.render.model import topic_name
from membranelab.physics.units import unit_text

__all__ = [
    "PartView",
    "ProblemView",
    "by_topic",
    "hint_html",
    "ordered",
    "problem_view",
    "solution_html",
]


@dataclass(frozen=True)
class PartView:
    """One part as a page shows it."""

    id: str
    letter: str
    kind: str
    prompt_html: str
    unit: str
    points: float
    choices: tuple[str, ...]
    hints: int
    label: tuple[str, Mapping[str, Any]] = ("web.answer_text", {})
    note: str = ""


@dataclass(frozen=True)
class ProblemView:
    """A problem's variant as a page shows it."""

    id: str
    title: str
    topic: str
    body_html: str
    parts: tuple[PartView, ...]

    @property
    def points(self) -> float:
        """Points of all parts."""
        return sum(p.points for p in self.parts)


def ordered(problems: Iterable[Any]) -> list[Any]:
    """Problems in teaching order (the bank's ``order``; ties keep the order given)."""
    return sorted(problems, key=lambda problem: float(problem.order))


def by_topic(problems: Sequence[Any], lang: str | None = "en") -> list[tuple[str, list[Any]]]:
    """Problems grouped by topic, each topic by its name in ``lang``; topics in the order of
    their first problem."""
    groups: dict[str, list[Any]] = {}
    for problem in ordered(problems):  # titled in the page's language
        groups.setdefault(problem.topic, []).append(problem.localized(lang))
    return [(topic_name(topic, lang), group) for topic, group in groups.items()]


def _label(part: Any, lang: str) -> tuple[str, Mapping[str, Any]]:
    """The answer box's label; in Chinese a concentration's example reads mmol/L (as the
    zh edition writes concentrations, problems/GLOSSARY.zh.md; the grader reads both)."""
    key, params = part.answer_kind.answer_label()
    if lang == "zh" and params.get("unit") == "mM":
        params = {**params, "unit": "mmol/L"}
    return key, params


def problem_view(variant: Any) -> ProblemView:
    """The pieces of ``variant``'s statement: body and parts, as HTML fragments."""
    view = build(variant)
    parts = tuple(
        PartView(id=shown.id, letter=shown.letter, kind=shown.kind,
                 prompt_html=to_html(shown.prompt), unit=unit_text(shown.unit),
                 points=shown.points, choices=shown.options, hints=len(shown.hints),
                 label=_label(part, variant.problem.lang), note=shown.note or "")
        for part, shown in zip(variant.problem.parts, view.parts, strict=True))
    return ProblemView(id=view.problem_id, title=view.title, topic=view.topic,
                       body_html=to_html(view.body), parts=parts)


def hint_html(variant: Any, part_id: str, index: int) -> str:
    """The ``index``-th hint (0-based) of a part, as HTML."""
    return to_html(build(variant).part(part_id).hints[index])


_FIGURE_LOCK = threading.Lock()


def solution_html(variant: Any, figures_dir: Path, figures_url: str) -> str:
    """The worked solution with its figures drawn into ``figures_dir`` and linked under
    ``figures_url`` (matplotlib is not thread-safe: one drawing at a time)."""
    into = FigureFolder(figures_dir, figures_url.rstrip("/") + "/")

    def draw(plan: Any) -> str | None:
        with _FIGURE_LOCK:
            return into(plan)

    return get_format("html").solution(build(variant, solution=True), figures=draw)
