"""Grading one answer off the event loop, and the verdict as a page or an API shows it.

Grading is the bank's ``grade_part`` (the same function as ``practice`` and ``grade``: same
verdicts), run in Starlette's thread pool so a slow symbolic check never blocks other requests.
The feedback sentence is rendered by the message catalog at the server's feedback level.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from membranelab.bank import grade_part
from membranelab.grading.numformat import points_text
from membranelab.messages import part_text

from .text import translate

__all__ = ["costs_try", "feedback_text", "grade_async", "hint_note", "percent", "verdict_dict"]


def costs_try(result: Any) -> bool:
    """True when the answer was read and judged (an unreadable one costs no try)."""
    return bool(result.readable)


def feedback_text(result: Any, *, level: str, lang: str | None = None) -> str:
    """The student's sentence for ``result`` at feedback ``level`` (full, named, score)."""
    return part_text(result, lang=lang or "en", level=level)


async def grade_async(problem: Any, variant: Any, part: Any, answer: str) -> Any:
    """``grade_part`` in the thread pool (the event loop keeps serving other students)."""
    return await run_in_threadpool(grade_part, problem, variant, part, answer)


def verdict_dict(result: Any, *, level: str, lang: str | None = None) -> dict[str, Any]:
    """The JSON of a verdict: score, correct, note, feedback at ``level`` (never the expected
    value)."""
    return {"part": result.part_id, "score": float(result.score), "correct": bool(result.correct),
            "note": str(result.note), "feedback": feedback_text(result, level=level, lang=lang),
            "counted": costs_try(result)}


def percent(share: float) -> str:
    """A share of 1 as the number of percent a sentence shows (0.1 -> ``10``, 0.125 -> ``12.5``)."""
    return f"{round(100 * float(share), 2):g}"


def hint_note(part: Any, hints: int, score: float, *, lang: str | None = None) -> str:
    """What the hints shown before a class-mode answer cost it (empty without hints): ``score``
    is the recorded score, already multiplied by ``part.hint_credit(hints)``."""
    if hints <= 0:
        return ""
    return translate("web.hint_cost_note", lang, hints=hints,
                     cost=percent(1 - part.hint_credit(hints)),
                     earned=points_text(float(score) * float(part.points)),
                     points=points_text(part.points))
