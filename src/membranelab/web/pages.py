"""What a page shows of a problem: a student's variant as HTML fragments (math left for MathJax).

The bank renders (``fill_text`` + ``to_html``: raw HTML in bank text is escaped, TeX kept
verbatim for MathJax); this module only cuts a variant into the pieces a page lays out: the
statement's body, one block per part, the worked solution with its figures.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from membranelab.bank import fill_text, render_solution
from membranelab.bank.render import to_html

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


def by_topic(problems: Sequence[Any]) -> list[tuple[str, list[Any]]]:
    """Problems grouped by topic; topics in the order of their first problem."""
    groups: dict[str, list[Any]] = {}
    for problem in ordered(problems):
        groups.setdefault(problem.topic, []).append(problem)
    return list(groups.items())


def _unit_shown(part: Any) -> str:
    return part.answer_kind.display_unit or ""


def problem_view(variant: Any) -> ProblemView:
    """The pieces of ``variant``'s statement: body and parts, as HTML fragments."""
    problem = variant.problem
    parts = tuple(
        PartView(id=part.id, letter=chr(ord("a") + i), kind=part.kind,
                 prompt_html=to_html(fill_text(variant, part.prompt)),
                 unit=_unit_shown(part), points=float(part.points),
                 choices=part.answer_kind.options, hints=len(part.hints or ()),
                 label=part.answer_kind.answer_label())
        for i, part in enumerate(problem.parts))
    return ProblemView(id=problem.id, title=problem.title, topic=problem.topic,
                       body_html=to_html(fill_text(variant, problem.body)), parts=parts)


def hint_html(variant: Any, part_id: str, index: int) -> str:
    """The ``index``-th hint (0-based) of a part, as HTML."""
    return to_html(fill_text(variant, variant.problem.part(part_id).hints[index]))


_FIGURE_LOCK = threading.Lock()
_IMG_SRC = re.compile(r'<img src="([^"/]+\.png)"')


def solution_html(variant: Any, figures_dir: Path, figures_url: str) -> str:
    """The worked solution with its figures drawn into ``figures_dir`` and linked under
    ``figures_url`` (matplotlib is not thread-safe: one drawing at a time)."""
    with _FIGURE_LOCK:
        fragment = render_solution(variant, "html", figures_dir=figures_dir)
    return _IMG_SRC.sub(lambda m: f'<img src="{figures_url.rstrip("/")}/{m.group(1)}"', fragment)
