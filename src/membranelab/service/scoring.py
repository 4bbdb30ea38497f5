"""The scoring of every front end: a part's rules in its context, and what a try earns.

The policy is :mod:`membranelab.bank.scoring` (tries, penalty, a choice's first try, sign-only
credit, carried credit); this module only says which layers apply in a context, in precedence
order (later wins):

1. the problem file's ``scoring:`` mapping;
2. the assignment's (``course/assignments.yaml``, an assignment's ``scoring:``) or the class
   file's (``membranelab serve --class``: its ``tries`` and ``scoring:``);
3. a student's extension (the class file's ``extensions``).

A front end keeps, per part, what :class:`Stored` holds (tries counted, best share, whether a
try was right) and sends it with each answer; the service returns what the try earned by the
policy and the part's standing after it (:class:`membranelab.bank.scoring.Try`).  Where a
context has one answer per part (``grade``, ``course grade``, nbgrader), that answer is the
first try.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from membranelab.bank.scoring import (
    Credit,
    Layer,
    Rules,
    Try,
    problem_rules,
    standing,
    step,
)

__all__ = ["NO_CONTEXT", "Context", "Stored", "is_choice", "rules_for", "score_try", "standing_of"]


@dataclass(frozen=True)
class Stored:
    """What a front end keeps of one part between tries: ``tries`` counted, the ``best``
    share of its points credited so far (0..1), whether a try was ``right``."""

    tries: int = 0
    best: float = 0.0
    right: bool = False


@dataclass(frozen=True)
class Context:
    """The layers above the problem file in one context, in precedence order: the
    assignment's, then the class file's (``layers``), and each student's extension
    (``extensions``: student id -> layer)."""

    layers: tuple[Layer | None, ...] = ()
    extensions: Mapping[str, Layer] = field(default_factory=lambda: MappingProxyType({}),
                                            hash=False)


#: No layer above the problem file (self-study, a formative answers file).
NO_CONTEXT = Context()


def is_choice(part: Any) -> bool:
    """True when a student picks the part's answer from options (so it could be guessed by
    elimination: a choice's first-try rule applies)."""
    return bool(getattr(part.answer_kind, "options", ()))


def rules_for(problem: Any, part_id: str, context: Context = NO_CONTEXT,
              student: str | None = None) -> Rules:
    """The rules of one part: problem file < ``context``'s layer < ``student``'s extension."""
    extension = context.extensions.get(student or "") if student else None
    return problem_rules(problem).then(*context.layers, extension).part(part_id)


def standing_of(stored: Stored, rules: Rules, *, choice: bool) -> Credit:
    """The policy's standing of a part from what a front end stored."""
    return standing(stored.tries, stored.best, stored.right, rules, choice=choice)


def score_try(result: Any, stored: Stored, rules: Rules, *, choice: bool) -> Try:
    """What one more answer earns on a part standing at ``stored`` (:func:`bank.scoring.step`)."""
    return step(standing_of(stored, rules, choice=choice), result, rules, choice=choice)
