"""check_choice: one answer among named choices (e.g. depolarises / hyperpolarises).

An answer is matched against the choices in steps, each a function; the first step that finds
exactly one choice decides (two or more is ambiguous and refused):

1. the text, ignoring case, accents, spaces, hyphens between words and a final period
   (``z=-1`` is ``z = -1``; full-width ``ｚ＝－１`` too: NFKC);
2. an alias of a choice (``aliases``: choice -> further accepted spellings);
3. the words, spelled US or UK and inflected (depolarize, depolarises, depolarizing; filler
   words such as "it" dropped);
4. the value, for choices that are a signed number or a ratio (``-1`` for ``z = -1``, ``3:2``,
   ``3 to 2`` and ``3 比 2`` for ``3 : 2``);
5. the choice's letter (a, b...) or number (1, 2...), bare or bracketed;
6. a sentence that contains a choice or one of its aliases (``K⁺ flows out of the cell``,
   ``钾离子外流``), word by word (character by character in Chinese).

A negated answer (``not into the cell``, ``不是去极化``: a negation outside the words of the
choice it names) or one naming two choices is refused as unreadable, never guessed.

A wrong choice's explanation (``why``: choice -> one sentence) is shown when it is picked.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .plain import plain_text
from .result import PartResult
from .tokens import normalize

__all__ = ["MAX_CHOICE_LENGTH", "check_choice"]

_WORD_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_WORD_RE = re.compile(r"[^\W\d_]+")
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?"
_VALUE_RE = re.compile(
    rf"(?:[a-z_][a-z0-9_]*\s*=\s*)?(?P<a>{_NUMBER})(?:\s*(?:[:/]|to|比)\s*(?P<b>{_NUMBER}))?")
#: Words that do not change which choice is meant ("it hyperpolarizes", "the cell depolarises").
_FILLER = frozenset({"a", "an", "the", "it", "its", "is", "are", "will", "would", "cell",
                     "membrane", "potential", "becomes", "get", "gets"})
#: UK spellings to US ones, applied inside words (depolarise -> depolarize, colour -> color).
_SPELLINGS = ((re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
              (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"), (re.compile(r"our$"), "or"),
              (re.compile(r"tre$"), "ter"))
_SUFFIXES = ("ing", "ed", "es", "s", "e")

#: Longest choice answer considered, in characters (longer text is refused unread).
MAX_CHOICE_LENGTH = 200


def _canonical(text: str) -> str:
    """Case-, accent-, hyphen- and space-insensitive form of a choice."""
    folded = normalize(text).casefold()
    folded = _WORD_HYPHEN_RE.sub(" ", folded)  # "no-change" is "no change"; "-1" stays
    return "".join(folded.replace("_", " ").split()).strip(".")


def _stem(word: str) -> str:
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> tuple[str, ...]:
    """The stems of the meaningful words (US spelling, no inflection, no filler)."""
    folded = normalize(text).casefold()
    return tuple(_stem(word) for word in _WORD_RE.findall(folded) if word not in _FILLER)


def _value(text: str) -> float | None:
    """The value of a choice written as a signed number or ratio, else None."""
    match = _VALUE_RE.fullmatch(" ".join(normalize(text).casefold().split()).strip(". "))
    if match is None:
        return None
    try:
        value = float(match.group("a"))
        if match.group("b") is not None:
            value /= float(match.group("b"))
    except (ValueError, ZeroDivisionError):
        return None
    return value


def _labels(index: int) -> tuple[str, str]:
    return string.ascii_lowercase[index] if index < 26 else "", str(index + 1)


#: Words that negate what follows ("not into the cell"); "isn't" is read as "isn" and "t".
_NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "non", "isn", "doesn", "don",
                        "won", "cannot", "nothing", "without"})
#: Chinese characters that negate (不 not, 没 not have, 无 without, 非 non-, 未 not yet, 别 don't).
_NEGATION_CHARACTERS = frozenset("不没无非未别")
#: A word or number; names joined by underscores stay one term (``c_out`` is a symbol, not the
#: word "out": a formula typed into a choice's box names no option).
_TERM_RE = re.compile(r"[^\W_]+(?:_[^\W_]+)*")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _terms(text: str) -> tuple[str, ...]:
    """The stems of the words and numbers of a text, filler dropped (negations kept)."""
    folded = _WORD_HYPHEN_RE.sub(" ", normalize(text).casefold())
    return tuple(_stem(word) for word in _TERM_RE.findall(folded) if word not in _FILLER)


def _spans(given: tuple[str, ...], wanted: tuple[str, ...]) -> list[tuple[int, int]]:
    size = len(wanted)
    return [(i, i + size) for i in range(len(given) - size + 1) if given[i : i + size] == wanted]


def _contained(answer: str, choices: Sequence[str], aliases: Mapping[str, Sequence[str]]
               ) -> tuple[list[int], bool]:
    """(the choices whose text or alias the answer contains, whether a negation lies outside
    them); a match inside a longer match of another choice does not count (``equilibrium``
    inside ``non-equilibrium steady state``)."""
    chinese = _is_chinese(answer)
    given: Any = _canonical(answer) if chinese else _terms(answer)
    found: list[tuple[int, int, int]] = []
    for index, choice in enumerate(choices):
        for text in (choice, *aliases.get(choice, ())):
            if chinese:
                wanted = _canonical(text)
                start = given.find(wanted) if wanted else -1
                while start >= 0:
                    found.append((start, start + len(wanted), index))
                    start = given.find(wanted, start + 1)
            elif (terms := _terms(text)):
                found.extend((a, b, index) for a, b in _spans(given, terms))
    kept = [(a, b, i) for a, b, i in found
            if not any(i != j and c <= a and b <= d and (c, d) != (a, b) for c, d, j in found)]
    covered = {k for a, b, _ in kept for k in range(a, b)}
    outside = [given[k] for k in range(len(given)) if k not in covered]
    negated = any((ch in _NEGATION_CHARACTERS) if chinese else (ch in _NEGATIONS)
                  for ch in outside)
    return sorted({i for _, _, i in kept}), negated


Matcher = Callable[[str, Sequence[str], Mapping[str, Sequence[str]]], list[int]]


def _by_text(answer: str, choices: Sequence[str], aliases: Mapping[str, Sequence[str]]
             ) -> list[int]:
    given = _canonical(answer)
    return [i for i, choice in enumerate(choices) if _canonical(choice) == given]


def _by_alias(answer: str, choices: Sequence[str], aliases: Mapping[str, Sequence[str]]
              ) -> list[int]:
    given = _canonical(answer)
    return [i for i, choice in enumerate(choices)
            if any(_canonical(alias) == given for alias in aliases.get(choice, ()))]


def _by_words(answer: str, choices: Sequence[str], aliases: Mapping[str, Sequence[str]]
              ) -> list[int]:
    given = _words(answer)
    if not given or any(ch.isdigit() for ch in answer) or all(len(w) < 2 for w in given):
        return []
    return [i for i, choice in enumerate(choices)
            if given in {_words(text) for text in (choice, *aliases.get(choice, ()))}]


def _by_value(answer: str, choices: Sequence[str], aliases: Mapping[str, Sequence[str]]
              ) -> list[int]:
    given = _value(answer)
    if given is None:
        return []
    return [i for i, choice in enumerate(choices)
            if (value := _value(choice)) is not None
            and abs(value - given) <= 1e-9 * max(abs(value), 1e-300)]


def _by_label(answer: str, choices: Sequence[str], aliases: Mapping[str, Sequence[str]]
              ) -> list[int]:
    label = _canonical(answer).strip("()")
    return [i for i in range(len(choices)) if label in _labels(i)]


#: The matching steps, in order (see the module docstring).
MATCHERS: tuple[Matcher, ...] = (_by_text, _by_alias, _by_words, _by_value, _by_label)


def check_choice(answer: object, expected: str, choices: Sequence[str], *, part_id: str = "",
                 weight: float = 1.0, aliases: Mapping[str, Sequence[str]] | None = None,
                 why: Mapping[str, str] | None = None) -> PartResult:
    """Grade a choice (matching steps in the module docstring); never raises on the answer.

    ``aliases`` maps a choice to further accepted spellings; ``why`` maps a wrong choice to
    one sentence shown when it is picked.  ``expected`` must be one of ``choices``
    (``ValueError``).
    """
    if not any(_canonical(expected) == _canonical(choice) for choice in choices):
        raise ValueError(f"expected {expected!r} is not one of the choices {list(choices)}")
    aliases = aliases or {}
    listing = ", ".join(f"{_labels(i)[0]}) {choice}" for i, choice in enumerate(choices))

    def result(correct: bool, key: str, note: str, echo: str = "", readable: bool = True,
               **params: str) -> PartResult:
        return PartResult(correct, 1.0 if correct else 0.0, "", note, expected, part_id, weight,
                          echo, params=params, message_id=key, readable=readable)

    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", errors="replace")
    if isinstance(answer, str):
        answer = plain_text(answer)  # a str subclass's own methods are never called
    if not isinstance(answer, str) or not answer.strip():
        return result(False, "choice.empty", "answer.empty", readable=False, choices=listing)
    if len(answer) > MAX_CHOICE_LENGTH:
        return result(False, "choice.too_long", "limits.too_long", answer, False,
                      choices=listing)
    for matcher in MATCHERS:
        found = matcher(answer, choices, aliases)
        if len(found) == 1:
            break
        if len(found) > 1:
            return result(False, "choice.ambiguous", "choice.invalid", answer, False,
                          answer=repr(answer.strip()), choices=listing)
    else:
        found, negated = _contained(answer, choices, aliases)
        if negated and found:
            return result(False, "choice.negated", "choice.invalid", answer, False,
                          answer=repr(answer.strip()), choices=listing)
        if len(found) > 1:
            return result(False, "choice.ambiguous", "choice.invalid", answer, False,
                          answer=repr(answer.strip()), choices=listing)
        if not found:
            return result(False, "choice.invalid", "choice.invalid", answer, False,
                          answer=repr(answer.strip()), choices=listing)
    chosen = choices[found[0]]
    if _canonical(chosen) == _canonical(expected):
        return result(True, "choice.correct", "correct", answer, choice=chosen)
    reason = (why or {}).get(chosen, "")
    if reason:
        return result(False, "choice.wrong_why", "choice.wrong", answer, choice=chosen,
                      why=reason)
    return result(False, "choice.wrong", "choice.wrong", answer, choice=chosen)
