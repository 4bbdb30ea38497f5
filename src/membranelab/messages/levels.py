"""Feedback levels: how much a message may say about a wrong answer."""

from __future__ import annotations

from enum import Enum

__all__ = ["FEEDBACK_LEVELS", "FeedbackLevel", "check_level"]


class FeedbackLevel(str, Enum):
    """Feedback levels, from most to least said (a ``str``: equal to its value)."""

    #: self-study: direction and size of an error
    FULL = "full"
    #: graded work: the named mistake, unit and format notes, otherwise "not right"; never the
    #: direction, size or digits of the expected value
    NAMED = "named"
    #: right or wrong only
    SCORE = "score"


#: The levels' names, most said first (for option choices and messages).
FEEDBACK_LEVELS: tuple[str, ...] = tuple(level.value for level in FeedbackLevel)


def check_level(level: str) -> str:
    """``level`` if it is one of :data:`FEEDBACK_LEVELS`; else ``ValueError`` naming them."""
    if level not in FEEDBACK_LEVELS:
        raise ValueError(f"feedback level must be one of {', '.join(FEEDBACK_LEVELS)}, "
                         f"got {level!r}")
    return level
