"""check_choice: one answer among named choices (e.g. depolarises / hyperpolarises)."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence

from .result import PartResult

__all__ = ["check_choice"]

_WORD_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")

#: Longest choice answer considered, in characters (longer text is refused unread).
MAX_CHOICE_LENGTH = 200


def _canonical(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form of a choice."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2212", "-")
    folded = _WORD_HYPHEN_RE.sub(" ", folded)  # "no-change" is "no change"; "-1" stays
    return " ".join(folded.replace("_", " ").split()).strip(" .")


def _labels(index: int) -> tuple[str, str]:
    return string.ascii_lowercase[index] if index < 26 else "", str(index + 1)


def check_choice(answer: object, expected: str, choices: Sequence[str], *, part_id: str = "",
                 weight: float = 1.0) -> PartResult:
    """Grade a choice: the text of a choice, its letter (a, b...) or its number (1, 2...);
    a choice's own text takes precedence over letters and numbers.

    Never raises on the answer; ``expected`` must be one of ``choices`` (``ValueError``).
    """
    canonical = [_canonical(choice) for choice in choices]
    if _canonical(expected) not in canonical:
        raise ValueError(f"expected {expected!r} is not one of the choices {list(choices)}")
    listing = ", ".join(f"{_labels(i)[0]}) {choice}" for i, choice in enumerate(choices))

    def result(correct: bool, key: str, note: str, echo: str = "", readable: bool = True,
               **params: str) -> PartResult:
        return PartResult(correct, 1.0 if correct else 0.0, "", note, expected, part_id, weight,
                          echo, params=params, message_id=key, readable=readable)

    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", errors="replace")
    if not isinstance(answer, str) or not answer.strip():
        return result(False, "choice.empty", "answer.empty", readable=False, choices=listing)
    if len(answer) > MAX_CHOICE_LENGTH:
        return result(False, "choice.too_long", "limits.too_long", answer[:200], False,
                      choices=listing)
    given = _canonical(answer)
    # A choice's own text wins over another choice's letter or number ("1" among "2", "1").
    chosen = next((i for i, choice in enumerate(canonical) if given == choice), None)
    if chosen is None:  # a label, bare or bracketed: "b", "(b)", "b)", "2"
        label = given.strip("()")
        chosen = next((i for i in range(len(canonical)) if label in _labels(i)), None)
    if chosen is None:
        return result(False, "choice.invalid", "choice.invalid", answer, False,
                      answer=repr(answer.strip()), choices=listing)
    if canonical[chosen] == _canonical(expected):
        return result(True, "choice.correct", "correct", answer, choice=choices[chosen])
    return result(False, "choice.wrong", "choice.wrong", answer, choice=choices[chosen])
