"""What a problem page offers of each part's hints: the next hint's button (in class mode saying
what it costs) and, once hints are shown in class mode, the share of the part's points left.

Self-study hints are free; in class mode each hint shown costs ``part.hint_cost`` of the part's
points on every later answer (``Part.hint_credit``), unless the class turned hints off.  Once a
part is finished (right, out of tries, or past the due date) no later answer can be charged, so
its hints are offered without a cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .text import translate
from .verdict import percent

__all__ = ["HintOffer", "hint_offers", "hints_offered"]


@dataclass(frozen=True)
class HintOffer:
    """One part's hints on the page: ``button`` labels the request for hint ``next`` (empty: none
    offered); ``credit`` says what the hints shown so far cost (class mode)."""

    next: int
    total: int
    button: str
    credit: str


def hints_offered(state: Any) -> bool:
    """True unless the class turned hints off (self-study always offers them)."""
    klass = state.config.klass
    return klass is None or bool(klass.hints)


def offer(state: Any, part: Any, shown: int, finished: bool = False, *,
          student: str | None = None) -> HintOffer:
    """The offer for ``part`` with ``shown`` of its hints shown (``finished``: no answer to it
    can be recorded any more; ``student``: whose due date counts)."""
    total = len(part.hints)
    klass = state.config.klass
    graded = klass is not None
    finished = graded and (finished or klass.is_past_due(student=student))
    button = ""
    if hints_offered(state) and shown < total:
        if not graded:
            button = translate("web.show_hint", state.lang)
        elif finished:
            button = translate("web.show_hint_free", state.lang, n=shown + 1, total=total)
        else:
            button = translate("web.show_hint_cost", state.lang, n=shown + 1, total=total,
                               cost=percent(part.hint_cost))
    credit = ""
    if graded and shown > 0 and not finished:
        credit = translate("web.hint_credit_line", state.lang, shown=shown, total=total,
                           left=percent(part.hint_credit(shown)))
    return HintOffer(next=shown + 1, total=total, button=button, credit=credit)


def hint_offers(state: Any, problem: Any, parts: dict[str, dict[str, Any]], *,
                student: str | None = None) -> dict[str, HintOffer]:
    """Per part id of ``problem``: its offer, given ``parts`` (``routes.part_states``)."""
    return {part.id: offer(state, part, int(parts[part.id]["hints"]),
                           bool(parts[part.id]["finished"]), student=student)
            for part in problem.parts}
