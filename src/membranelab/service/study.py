"""Self-study's bookkeeping, one copy for the terminal (``practice``), the notebook
(:class:`membranelab.notebooks.selfstudy.SelfStudy`) and the browser (``serve``): what the
progress store keeps of a part (:func:`stored`), applying a scored try to it, when a part is
finished, the running score, and the feedback level a student working alone gets.

What a try earns and when a part closes is the scoring policy's (:mod:`.scoring`,
:mod:`membranelab.bank.scoring`), with the rules the grading service gives the part: a front
end sends :func:`stored` with each answer (the verdict says what the try earns) and records it
with :func:`record_try`, which scores it again from the store as it is then.  A try is an
answer the grader read (an unreadable one costs nothing); it earns the part's points times the
share the policy credits, rounded to 4 decimals, or nothing once the worked solution was
revealed; a part keeps its best try.  The running score counts the parts tried (or passed by):
their best points over their points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from membranelab.bank.scoring import DEFAULTS

from .scoring import Stored, is_choice, score_try, standing_of

if TYPE_CHECKING:
    from membranelab.bank.scoring import Rules
    from membranelab.grading.result import PartResult

    from .progress_store import ProblemProgress, ProgressStore

__all__ = ["SELF_STUDY_LEVEL", "TryOutcome", "earlier_answers", "feedback", "finished", "record_try",
           "running_score", "stored", "tries_left"]

#: Feedback level of self-study (practice and the self-study notebook).
SELF_STUDY_LEVEL = "full"


@dataclass(frozen=True)
class TryOutcome:
    """What one answer did to a part: ``counted`` (a real try), the points it ``earned``, the
    part's ``best`` points so far, the tries ``left`` (None: unlimited) and whether the part is
    ``finished``."""

    counted: bool
    earned: float
    best: float
    left: int | None
    finished: bool


def stored(progress: ProblemProgress, part: Any) -> Stored:
    """What the store keeps of ``part``, for the grading service (a part whose best is all its
    points counts as right: files written before ``right`` was kept)."""
    points = float(part.points)
    best = progress.scores.get(part.id, 0.0) / points if points > 0 else 0.0
    right = part.id in progress.right or (points > 0 and best >= 1.0)
    return Stored(progress.tries.get(part.id, 0), min(1.0, best), right)


def finished(progress: ProblemProgress, part: Any, rules: Rules = DEFAULTS) -> bool:
    """True when no later try at ``part`` can earn more (right, out of tries, or a choice past
    its first try, by ``rules``)."""
    return standing_of(stored(progress, part), rules, choice=is_choice(part)).closed


def tries_left(progress: ProblemProgress, part: Any, rules: Rules = DEFAULTS) -> int | None:
    """Tries left at ``part`` under its limit (None: unlimited; a choice under the first-try
    rule has one; :func:`finished` says whether the part still takes one)."""
    return standing_of(stored(progress, part), rules, choice=is_choice(part)).tries_left


def record_try(progress: ProblemProgress, part: Any, result: PartResult, rules: Rules = DEFAULTS
               ) -> TryOutcome:
    """Apply one graded answer to ``progress`` in place (the caller saves the store), scored by
    the policy (:func:`.scoring.score_try`) from what the store holds now: the same as the
    service's verdict on a request sent with :func:`stored`, and still right when another
    session saved a try in between."""
    tried = score_try(result, stored(progress, part), rules, choice=is_choice(part))
    earned = 0.0
    if tried.counted:
        progress.tries[part.id] = tried.after.tries
        earned = 0.0 if progress.revealed else round(float(part.points) * tried.earned, 4)
        progress.scores[part.id] = max(progress.scores.get(part.id, 0.0), earned)
        if tried.after.right and part.id not in progress.right:
            progress.right.append(part.id)
    left = 0 if tried.after.closed else tried.after.tries_left
    return TryOutcome(tried.counted, earned, progress.scores.get(part.id, 0.0), left,
                      tried.after.closed)


def earlier_answers(progress: ProblemProgress, part_id: str) -> dict[str, str]:
    """The student's latest read answer to each other part (the earlier answers a later part is
    also graded on: error carried forward)."""
    return {part: str(entry.get("answer", "")) for part, entry in progress.last.items()
            if part != part_id and entry.get("answer")
            and (entry.get("result") or {}).get("readable", True)}


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
