"""Results into sentences: one function per result, for a language and a feedback level.

A grading result (:class:`membranelab.grading.PartResult`, read here by its attributes only, so
this leaf imports no grading code) carries a message id (``message_id``) and JSON-safe
``params``, besides ``note``, ``correct``, ``score``, ``feedback``, ``part_id``, ``expected``.  Two
parameters are rendered here rather than inside the message: ``also`` (ids of further short
sentences, e.g. ``also.unit``) and ``pointer`` (the caret lines under the student's text).

Feedback levels (:data:`membranelab.messages.FEEDBACK_LEVELS`):

* ``full``: the message as graded (direction and size of an error: for self-study);
* ``named``: a wrong answer shows the message's ``<id>:named`` variant if the catalog has one,
  the message itself if its id is in :data:`NAMED_KEEPS` (format and unit notes, named
  mistakes, the student's own choice), and otherwise only "Not correct."; a correct answer
  shows its message (the exact value may be shown once the answer is right);
* ``score``: "Correct.", "Partly correct." or "Not correct." only.

At every level, a result whose message id is in :data:`ALWAYS_SHOWN` (an internal error and its
incident id) shows that message: it says nothing about the answer, and a failure of ours must
never read as the student's mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .catalog import has_message, render_message
from .levels import check_level

__all__ = ["ALWAYS_SHOWN", "NAMED_KEEPS", "PartResult", "message_key", "part_text",
           "render_part"]


class PartResult(Protocol):
    """What rendering reads from a result (``membranelab.grading.PartResult`` has it all)."""

    # read-only members, so a frozen dataclass satisfies the protocol
    @property
    def correct(self) -> bool: ...
    @property
    def score(self) -> float: ...
    @property
    def feedback(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def expected(self) -> str: ...
    @property
    def part_id(self) -> str: ...
    @property
    def params(self) -> Any: ...
    @property
    def message_id(self) -> str: ...

#: Message ids (or prefixes ending in ".") shown unchanged at the ``named`` level: none of them
#: tells the direction, size or digits of the expected value.
NAMED_KEEPS: tuple[str, ...] = (
    "answer.", "number.", "parse.", "units.", "limits.", "mistake.", "choice.", "error.",
    "formula.undecided", "formula.undecided_other", "formula.sign_flipped",
    "formula.missing_symbols", "formula.extra_symbols", "needs_review", "missing", "carried.",
)


#: Message ids (or prefixes ending in ".") shown unchanged at every level, even ``score``.
ALWAYS_SHOWN: tuple[str, ...] = ("error.internal",)


def _kept(key: str, kept_ids: tuple[str, ...] = NAMED_KEEPS) -> bool:
    return any(key == kept or (kept.endswith(".") and key.startswith(kept))
               for kept in kept_ids)


def message_key(part: PartResult, level: str) -> str:
    """The catalog key shown for ``part`` at ``level`` (empty: the result has no key)."""
    key = getattr(part, "message_id", "")
    if key and _kept(key, ALWAYS_SHOWN):
        return key
    if level == "score":
        if part.correct:
            return "level.correct"
        return "level.partial" if part.score > 0 else "level.not_correct"
    if level == "named" and not part.correct:
        if has_message(f"{key}:named"):
            return f"{key}:named"
        if not _kept(key or part.note):
            return "level.not_correct"
    return key


def part_text(part: PartResult, *, lang: str = "en", level: str = "full") -> str:
    """The feedback of one part (no label, no expected value) in ``lang`` at ``level``.

    A result without ``message_id`` (made with a sentence only, by older code) shows its
    ``feedback`` as given, except where the level must say less.
    """
    check_level(level)
    key = message_key(part, level)
    if not key:
        return part.feedback
    params = getattr(part, "params", None) or {}
    text = render_message(key, params, lang=lang)
    if level == "score":
        return text
    also = params.get("also", ())
    for extra in also if isinstance(also, (list, tuple)) else ():
        second = extra if isinstance(extra, Mapping) else {"msg": str(extra)}
        text = render_message("join.sentences", {"first": text, "second": second}, lang=lang)
    pointer = params.get("pointer")
    if isinstance(pointer, str) and pointer:
        text = f"{text}\n{pointer}"
    return text


def render_part(part: PartResult, *, lang: str = "en", level: str = "full",
                show_expected: bool = False) -> str:
    """One student-facing paragraph: label, feedback, and the expected value if asked
    (only for a part that is not correct).  Plain text: no HTML, no terminal codes."""
    text = part_text(part, lang=lang, level=level)
    if show_expected and part.expected and not part.correct:
        shown = render_message("result.expected", {"expected": part.expected}, lang=lang)
        text = render_message("join.sentences", {"first": text, "second": shown}, lang=lang)
    if part.part_id:
        text = render_message("result.part_label", {"part": part.part_id, "text": text},
                              lang=lang)
    return text
