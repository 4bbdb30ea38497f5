"""Grading one answer off the event loop, and the verdict as a page or an API shows it.

Grading is the bank's ``grade_part`` (the same function as ``practice`` and ``grade``: same
verdicts), run in Starlette's thread pool so a slow symbolic check never blocks other requests.
The feedback sentence is rendered by the message catalog at the server's feedback level.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool

from membranelab.bank import grade_part

from .text import translate

__all__ = ["costs_try", "feedback_text", "grade_async", "verdict_dict"]

logger = logging.getLogger(__name__)

#: Notes of answers that could not be read: their message is shown and no try is spent.
UNREAD_PREFIXES = ("parse.", "answer.", "limits.", "units.unknown", "choice.invalid", "missing")

_RIGHT = "Right."
_NOT_RIGHT = "Not right."
_MISTAKE = "Not right: this looks like a typical mistake (%(name)s)."


def costs_try(result: Any) -> bool:
    """True when the answer was read and judged (an unreadable one costs no try: the grader
    marks it ``readable=False``; the note prefixes cover results made without that flag)."""
    return bool(getattr(result, "readable", True)) and not str(result.note).startswith(
        UNREAD_PREFIXES)


def _catalog_render(result: Any, level: str, lang: str | None) -> str | None:
    try:
        from membranelab.messages import part_text  # the page shows the part's id itself
    except ImportError:
        return None
    return str(part_text(result, lang=lang or "en", level=level))


def feedback_text(result: Any, *, level: str, lang: str | None = None) -> str:
    """The student's sentence for ``result`` at feedback ``level`` (full, named, score)."""
    rendered = _catalog_render(result, level, lang)
    if rendered is not None:
        return rendered
    if level == "full" or not costs_try(result):
        return str(result.feedback)
    if result.correct:
        return translate(_RIGHT, lang)
    if level == "named" and str(result.note).startswith("mistake."):
        return translate(_MISTAKE, lang, name=str(result.note).split(".", 1)[1].replace("_", " "))
    if level == "named" and str(result.note).startswith("units."):
        return str(result.feedback)
    return translate(_NOT_RIGHT, lang)


async def grade_async(problem: Any, variant: Any, part: Any, answer: str) -> Any:
    """``grade_part`` in the thread pool (the event loop keeps serving other students)."""
    return await run_in_threadpool(grade_part, problem, variant, part, answer)


def verdict_dict(result: Any, *, level: str, lang: str | None = None) -> dict[str, Any]:
    """The JSON of a verdict: score, correct, note, feedback at ``level`` (never the expected
    value)."""
    return {"part": result.part_id, "score": float(result.score), "correct": bool(result.correct),
            "note": str(result.note), "feedback": feedback_text(result, level=level, lang=lang),
            "counted": costs_try(result)}
