"""What a first try's note says, for the mistakes table: a named mistake, an unreadable answer,
an answer needing review, a blank, or none of these.

Notes are the grader's stable tags (:attr:`membranelab.grading.PartResult.note`).  Unreadable
answers are the grader's refusals: any ``parse.*`` note, ``units.unknown`` (a unit it cannot
read), ``choice.invalid`` (no choice, or several, matched), ``answer.invalid_type``,
``limits.*`` (too long, too large) and ``number.*`` (a number it cannot read).
"""

from __future__ import annotations

__all__ = ["BLANK_NOTES", "KINDS", "NEEDS_REVIEW", "note_kind"]

#: The note of an answer undecidable within the grading budget (grading.result.NEEDS_REVIEW).
NEEDS_REVIEW = "needs_review"
#: Notes of a blank answer (``missing``: a part with an empty answer in a grades file).  An empty
#: note says nothing (a source without notes); a part never answered gets ``answer.empty``.
BLANK_NOTES = frozenset({"answer.empty", "missing"})
#: The kinds of rows of the mistakes table, in the order of the legend.
KINDS = ("mistake", "unreadable", "needs_review", "blank", "hints")

_UNREADABLE_PREFIXES = ("parse.", "limits.", "number.")
_UNREADABLE = frozenset({"units.unknown", "choice.invalid", "answer.invalid_type"})


def note_kind(note: str) -> str | None:
    """``mistake``, ``unreadable``, ``needs_review``, ``blank`` or None (anything else)."""
    note = note.strip()
    if not note:
        return None
    if note in BLANK_NOTES:
        return "blank"
    if note.startswith("mistake."):
        return "mistake"
    if note == NEEDS_REVIEW:
        return "needs_review"
    if note in _UNREADABLE or note.startswith(_UNREADABLE_PREFIXES):
        return "unreadable"
    return None
