"""Feedback levels: how much a message may say about a wrong answer."""

from __future__ import annotations

__all__ = ["FEEDBACK_LEVELS", "check_level"]

#: Feedback levels, from most to least said: ``full`` (self-study: direction and size of an
#: error), ``named`` (graded work: the named mistake, unit and format notes, otherwise "not
#: right"; never the direction, size or digits of the expected value), ``score`` (right or
#: wrong only).
FEEDBACK_LEVELS: tuple[str, ...] = ("full", "named", "score")


def check_level(level: str) -> str:
    """``level`` if it is one of :data:`FEEDBACK_LEVELS`; else ``ValueError`` naming them."""
    if level not in FEEDBACK_LEVELS:
        raise ValueError(f"feedback level must be one of {', '.join(FEEDBACK_LEVELS)}, "
                         f"got {level!r}")
    return level
