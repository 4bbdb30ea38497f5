"""Which choice a first try selects, from the bank's choice parts (for the options table).

A grades CSV and a class database hold the answer text, not the choice it selects; for a part
whose answer kind lists options (a choice part), this module reads it as the grader does: a choice's text in any language of the problem
(:func:`membranelab.bank.kinds.choice.choice_index`), else the grader's own reading (letters, numbers,
inflected words: :meth:`Choices.read`).  The choice is named in the report's language.  Problems
or parts the bank does not know, and parts without options, select nothing (None).
"""

from __future__ import annotations

from functools import cache, lru_cache

from membranelab.bank import Bank
from membranelab.bank.i18n import localize
from membranelab.bank.kinds.choice import choice_index

from .read_csv import ChoiceOf

__all__ = ["bank_choice_of"]


def bank_choice_of(bank: Bank, lang: str = "en") -> ChoiceOf:
    """A :data:`~.read_csv.ChoiceOf` over ``bank``'s choice parts, naming choices in ``lang``."""

    @cache
    def options(problem_id: str, part_id: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        problem = bank.problems.get(problem_id)
        if problem is None:
            return None
        base = problem.original or problem
        try:
            part = base.part(part_id)
        except KeyError:
            return None
        if not part.answer_kind.options:  # a part a student does not pick from
            return None
        shown = base if lang == "en" else localize(base, lang)
        return tuple(part.answer_kind.options), tuple(shown.part(part_id).answer_kind.options)

    @lru_cache(maxsize=65536)  # a class types the same few answers to a choice part
    def choice_of(problem_id: str, part_id: str, answer: str) -> str | None:
        known = options(problem_id, part_id)
        if known is None:
            return None
        original, shown = known
        problem = bank.problems[problem_id]
        index = choice_index(problem.original or problem, part_id, answer)
        if index is None:
            part = (problem.original or problem).part(part_id)
            reading = part.answer_kind.read(part, answer)
            chosen = reading.values.get("choice") if reading.form == "choice" else None
            index = original.index(chosen) if chosen in original else None
        return shown[index] if index is not None else None

    return choice_of
