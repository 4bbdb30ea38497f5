"""Self-study progress in the browser: the same store as ``membranelab practice``.

One student's tries, best scores, hints shown and revealed solutions are kept in the practice
progress file (:class:`membranelab.service.progress_store.ProgressStore`), so a student can switch
between the terminal and the browser.  Each change re-reads the file, applies itself and saves
atomically (under a lock: the server's threads take turns; the store merges it part by part
with what ``practice`` wrote meanwhile).  A graded answer carries its submission id: one already
recorded (a re-sent request) is not counted again, nor is an answer to a finished part.

The browser lets parts be answered in any order; the store's ``part`` (where the terminal resumes)
is the first part not finished (right, or out of tries), ``done`` when every part is.  Once the
worked solution was revealed, answers are still graded for practice but earn nothing.

Each part's latest answer and its verdict (the grader's :class:`PartResult`, not a sentence) are
kept too (the store's ``last``), so a reloaded page, or one served after a restart, shows the
answer in its box with its feedback rendered again in the page's language (:func:`last_shown`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from membranelab.grading.result import PartResult
from membranelab.service.progress_store import ProblemProgress, ProgressStore
from membranelab.service.scoring import rules_for
from membranelab.service.study import (
    earlier_answers,
    finished,
    record_try,
    running_score,
    tries_left,
)

from .text import translate
from .verdict import feedback_text

__all__ = ["PartState", "StudyBook", "last_shown"]

logger = logging.getLogger(__name__)
_EXPECTED = "web.expected"


@dataclass(frozen=True)
class PartState:
    """Where a student stands on one part."""

    tries: int
    earned: float
    hints: int
    finished: bool
    correct: bool
    answer: str = ""
    result: PartResult | None = None
    #: tries left under the part's limit (None: no limit), by the scoring policy
    left: int | None = None


def _result(progress: ProblemProgress, part_id: str) -> tuple[str, PartResult | None]:
    """The part's stored latest answer and verdict (a verdict that no longer reads: none)."""
    stored = progress.last.get(part_id)
    if stored is None:
        return "", None
    try:
        return stored["answer"], PartResult.from_dict(stored["result"])
    except (TypeError, ValueError) as exc:
        logger.warning("stored verdict of part %s cannot be read: %s", part_id, exc)
        return stored["answer"], None


def last_shown(state: PartState, *, lang: str, level: str) -> dict[str, Any] | None:
    """What the page shows of a part's latest answer: the answer, its verdict (right, partly,
    wrong, unread), its feedback at ``level`` in ``lang``, and the expected answer once the part
    is finished without being right (as the answer's own reply said); None before any."""
    result = state.result
    if result is None:
        return None
    shown = {"answer": state.answer, "correct": bool(result.correct),
             "score": float(result.score), "counted": bool(result.readable),
             "feedback": feedback_text(result, level=level, lang=lang), "hint_note": ""}
    if state.finished and not state.correct and result.expected:
        shown["expected"] = translate(_EXPECTED, lang, expected=result.expected)
    return shown


class StudyBook:
    """One self-study student's progress, read and written through the practice store."""

    def __init__(self, student: str, path: Path | None = None) -> None:
        self.student = student
        self.path = path
        self._lock = threading.Lock()

    def _store(self) -> ProgressStore:
        return ProgressStore(self.path)

    @staticmethod
    def rules(problem: Any, part: Any) -> Any:
        """A part's scoring rules in self-study (the problem file's: :mod:`.service.scoring`)."""
        return rules_for(problem, part.id)

    def _state(self, progress: ProblemProgress, problem: Any, part: Any) -> PartState:
        earned = progress.scores.get(part.id, 0.0)
        answer, result = _result(progress, part.id)
        rules = self.rules(problem, part)
        return PartState(tries=progress.tries.get(part.id, 0), earned=earned,
                         hints=progress.hints.get(part.id, 0),
                         finished=finished(progress, part, rules),
                         correct=part.id in progress.right or earned >= part.points > 0,
                         answer=answer, result=result,
                         left=tries_left(progress, part, rules))

    def states(self, problem: Any) -> tuple[dict[str, PartState], bool]:
        """Every part's state and whether the solution was revealed."""
        with self._lock:
            store = self._store()
            if not store.known(self.student, problem.id):
                blank = ProblemProgress()
                return {p.id: self._state(blank, problem, p) for p in problem.parts}, False
            progress = store.get(self.student, problem.id)
            return ({p.id: self._state(progress, problem, p) for p in problem.parts},
                    progress.revealed)

    def _update_position(self, progress: ProblemProgress, problem: Any) -> None:
        done = [finished(progress, p, self.rules(problem, p)) for p in problem.parts]
        progress.part = next((i for i, f in enumerate(done) if not f), len(done))
        progress.done = all(done)

    def stored(self, problem: Any, part: Any) -> Any:
        """What the store keeps of ``part`` (sent to the grading service with an answer)."""
        from membranelab.service.study import stored

        with self._lock:
            store = self._store()
            if not store.known(self.student, problem.id):
                return stored(ProblemProgress(), part)
            return stored(store.get(self.student, problem.id), part)

    def record(self, problem: Any, part: Any, result: Any, uid: str | None = None,
               answer: str | None = None) -> PartState:
        """Save a graded answer, scored by the policy from the store as it is now
        (:func:`~membranelab.service.study.record_try`); an unreadable one
        changes no try or score, and one whose ``uid`` is recorded already (a re-sent request)
        or to a part already finished changes nothing.  Otherwise the answer (``answer``, else
        the one the result echoes) and its verdict become the part's latest, shown again on the
        next page, readable or not."""
        with self._lock:
            store = self._store()
            progress = store.get(self.student, problem.id)
            if (uid is not None and uid in progress.answered) or finished(
                    progress, part, self.rules(problem, part)):
                return self._state(progress, problem, part)
            progress.last[part.id] = {"answer": str(answer if answer is not None
                                                    else result.answer),
                                      "result": result.to_dict()}
            if record_try(progress, part, result, self.rules(problem, part)).counted:
                if uid is not None:
                    progress.remember(uid)
                self._update_position(progress, problem)
            store.save()
            return self._state(progress, problem, part)

    def show_hint(self, problem: Any, part: Any) -> int:
        """One more hint of ``part`` shown; returns how many are shown now."""
        with self._lock:
            store = self._store()
            progress = store.get(self.student, problem.id)
            shown = min(len(part.hints), progress.hints.get(part.id, 0) + 1)
            progress.hints[part.id] = shown
            store.save()
            return shown

    def reveal(self, problem: Any) -> None:
        """Mark the worked solution as seen (later answers earn nothing)."""
        with self._lock:
            store = self._store()
            progress = store.get(self.student, problem.id)
            progress.revealed = True
            store.save()

    def last_answers(self, problem: Any) -> dict[str, str]:
        """The student's latest read answer to each part of ``problem`` (the earlier answers a
        later part is also graded on: error carried forward)."""
        with self._lock:
            store = self._store()
            if not store.known(self.student, problem.id):
                return {}
            return earlier_answers(store.get(self.student, problem.id), "")

    def score(self, problems: list[Any]) -> tuple[float, float]:
        """Points earned and points of the parts tried (the self-study running score)."""
        with self._lock:
            return running_score(self._store(), self.student, problems)
