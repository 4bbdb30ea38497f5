"""Self-study's rules, one copy for the terminal (``practice``), the notebook
(:class:`membranelab.notebooks.selfstudy.SelfStudy`) and the browser (``serve``): how many graded
tries a part allows, what a try earns, when a part is finished, the running score, and the
feedback level a student working alone gets.

A try is an answer the grader read (an unreadable one costs nothing); it earns the part's points
times its credit, rounded to 4 decimals, or nothing once the worked solution was revealed; a
part keeps its best try.  A part is finished when it earned all its points or used every try.
The running score counts the parts tried (or passed by): their best points over their points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from membranelab.grading.result import PartResult

    from .progress_store import ProblemProgress, ProgressStore

__all__ = ["MAX_TRIES", "SELF_STUDY_LEVEL", "TryOutcome", "feedback", "finished", "record_try",
           "running_score"]

#: Feedback level of self-study (practice and the self-study notebook).
SELF_STUDY_LEVEL = "full"
#: Graded attempts per part before the answer is revealed.
MAX_TRIES = 3


@dataclass(frozen=True)
class TryOutcome:
    """What one answer did to a part: ``counted`` (a real try), the points it ``earned``, the
    part's ``best`` points so far, the tries ``left`` and whether the part is ``finished``."""

    counted: bool
    earned: float
    best: float
    left: int
    finished: bool


def finished(progress: ProblemProgress, part: Any, limit: int = MAX_TRIES) -> bool:
    """True when ``part`` earned all its points or used ``limit`` tries."""
    return (progress.scores.get(part.id, 0.0) >= part.points > 0
            or progress.tries.get(part.id, 0) >= limit)


def record_try(progress: ProblemProgress, part: Any, result: PartResult,
               limit: int = MAX_TRIES) -> TryOutcome:
    """Apply one graded answer to ``progress`` (in place; the caller saves the store)."""
    if result.readable:
        progress.tries[part.id] = progress.tries.get(part.id, 0) + 1
        earned = 0.0 if progress.revealed else round(float(part.points) * result.score, 4)
        progress.scores[part.id] = max(progress.scores.get(part.id, 0.0), earned)
    else:
        earned = 0.0
    left = max(0, limit - progress.tries.get(part.id, 0))
    return TryOutcome(bool(result.readable), earned, progress.scores.get(part.id, 0.0), left,
                      finished(progress, part, limit))


def running_score(store: ProgressStore, student: str, problems: Iterable[Any]
                  ) -> tuple[float, float]:
    """(points earned, points of the parts tried or passed by) over ``problems``."""
    earned = possible = 0.0
    for problem in problems:
        if not store.known(student, problem.id):
            continue
        progress = store.get(student, problem.id)
        for index, part in enumerate(problem.parts):
            if (index < progress.part or part.id in progress.scores
                    or progress.tries.get(part.id)):
                earned += progress.scores.get(part.id, 0.0)
                possible += part.points
    return earned, possible


def feedback(result: PartResult, lang: str | None = None) -> str:
    """A result's feedback at the self-study level (``full``: direction and size of an error),
    in ``lang`` (default: the language chosen for this session, see ``resolve_lang``)."""
    from membranelab.messages import part_text, resolve_lang

    return part_text(result, lang=resolve_lang(lang), level=SELF_STUDY_LEVEL)
