"""Where a part stands for answering: open, finished (right, or out of tries), or past the due
date, when the class's late rule decides (:attr:`ClassSettings.late`).

Past the due date a part says so.  Where the class takes late answers its Check button becomes
an explicit "Hand in late": the answer is graded, recorded with ``late`` set (the teacher's
gradebook and exports show it) and earns the rule's share of its points (0 by default: recorded,
no points).  Where it does not, the part is closed and says so; nothing is recorded.  Out of
tries, a part says that instead, in self-study too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from membranelab.grading.numformat import points_text

from .text import translate
from .verdict import percent

__all__ = ["PartStatus", "late_credit", "late_note", "part_status"]


@dataclass(frozen=True)
class PartStatus:
    """``kind``: ``open``, ``right``, ``no_tries``, ``late`` (answers recorded as late) or
    ``closed`` (past due, none taken); ``button``: the submit button's label; ``line``: what the
    part says about it (empty when open or right); ``closed``: no answer can be given."""

    kind: str
    button: str
    line: str
    closed: bool


def late_credit(klass: Any) -> float:
    """The share of its points a late answer earns under the class's rule."""
    return float(klass.late or 0.0)


def late_note(state: Any, sub: Any) -> str:
    """What a recorded submission's feedback adds when it was handed in late (else "")."""
    if not getattr(sub, "late", False) or state.config.klass is None:
        return ""
    return translate("web.late_note", state.lang, share=percent(late_credit(state.config.klass)),
                     earned=points_text(float(sub.score) * float(sub.weight)))


def part_status(state: Any, *, correct: bool, left: int | None, student: str | None = None,
                lang: str | None = None) -> PartStatus:
    """The status of a part given whether it was answered right and the tries left
    (``student``: whose due date, an extension counted)."""
    lang = lang or state.lang
    check = translate("web.check", lang)
    if correct:
        return PartStatus("right", check, "", True)
    if left is not None and left <= 0:
        return PartStatus("no_tries", check, translate("web.no_tries", lang), True)
    klass = state.config.klass
    if klass is None or not klass.is_past_due(student=student):
        return PartStatus("open", check, "", False)
    if not klass.takes_late:
        return PartStatus("closed", check, translate("web.past_due", lang), True)
    return PartStatus("late", translate("web.hand_in_late", lang),
                      translate("web.late_line", lang, share=percent(late_credit(klass))), False)
