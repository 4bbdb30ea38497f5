"""Error carried forward: a part graded against the student's own earlier answers.

A part whose reference uses earlier parts' values (the problem's dependency graph:
:func:`membranelab.bank.rounding.dependencies`; no per-problem code) is also graded against the
chain recomputed with the student's earlier answers substituted for those values -- the way a
named mistake is recomputed, by re-running the chain (:func:`~membranelab.bank.variants.evaluate`
with ``overrides``), the substituted values rounded as shown like any other
(:mod:`membranelab.bank.rounding`).

* When an answer that is not right matches the recomputed chain and at least one substituted
  earlier answer is wrong, the part earns ``credit`` (the ``carry_forward`` rule of
  :mod:`membranelab.bank.scoring`): note ``carried``, message ``carried.right_given`` naming the
  earlier parts it carries ("Right, given your E_Na: ..."; ``carried.no_credit`` when the
  credit is 0). A later answer that repeats an earlier
  part's mistake through the chain is credited so, not charged twice.
* When every substituted earlier answer is right, a match is simply right (the student worked
  from their own rounded answers): note ``rounding.carried`` added.

Kinds take part through capabilities: the protocol's ``value_name`` and ``quantity_unit`` (the
derived value their answer is, and its unit), ``value_of(answer)`` (the number an answer gives,
in that unit) and ``judge(part, answer, reference, width)`` (the verdict for another reference
value; ``answer`` also the reading's parsed value) -- numeric parts, which may be
earlier parts as well as later ones; or ``uses()`` (the names their reference is computed
from) and ``judge_env(part, variant, answer, env)`` (the verdict for other values) -- choices
picked by a condition ("into the cell" given the student's own E_Na).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from membranelab.grading import PartResult
from membranelab.physics.units import from_si, to_si

from .model import Part, Problem, Variant
from .rounding import dependencies, rounding_widths
from .variants import evaluate

__all__ = ["CARRIED", "Earlier", "carried", "earlier_used"]

#: Note of a part credited on the student's own (wrong) earlier answers.
CARRIED = "carried"

_NUMERIC_ERRORS = (ValueError, ZeroDivisionError, OverflowError, ArithmeticError, KeyError)


@dataclass(frozen=True)
class Earlier:
    """An earlier part's answer as the chain uses it: the part, the derived value it is, the
    student's value (SI) and whether it was right."""

    part_id: str
    name: str
    si: float
    right: bool


def _judges(part: Part) -> bool:
    kind: Any = part.answer_kind  # duck-typed: _judges checks for judge and value_of
    return (kind.value_name is not None and kind.quantity_unit is not None
            and callable(getattr(kind, "judge", None))
            and callable(getattr(kind, "value_of", None)))


def _uses(problem: Problem, part: Part) -> frozenset[str]:
    """The derived values ``part``'s reference depends on: a computed answer's chain, or the
    chain of the names a choice is picked from (kinds with ``uses()`` and ``judge_env``)."""
    closure = dependencies(problem)
    kind: Any = part.answer_kind  # duck-typed: _judges checks for judge and value_of
    if _judges(part):
        return closure.get(kind.value_name, frozenset())
    if callable(getattr(kind, "uses", None)) and callable(getattr(kind, "judge_env", None)):
        names = frozenset(kind.uses())
        return names.union(*(closure.get(n, frozenset()) for n in names))
    return frozenset()


def earlier_used(problem: Problem, variant: Variant, part: Part,
                 earlier: Mapping[str, object]) -> list[Earlier]:
    """The earlier parts (before ``part``) whose values ``part``'s reference uses and whose
    answers in ``earlier`` (part id -> text or number in the part's unit) read as a number."""
    uses = _uses(problem, part)
    if not uses:
        return []
    out: list[Earlier] = []
    for other in problem.parts:
        if other.id == part.id:
            break
        kind: Any = other.answer_kind  # duck-typed: _judges checks for judge and value_of
        if other.id not in earlier or not _judges(other) or kind.value_name not in uses:
            continue
        value = kind.value_of(earlier[other.id])
        if value is None:
            continue
        right = kind.judge(other, value, variant.answer(other.id).value,
                           variant.rounding_width(other.id)).correct
        out.append(Earlier(other.id, kind.value_name, to_si(value, kind.quantity_unit), right))
    return out


def carried(problem: Problem, variant: Variant, part: Part, answer: object,
            earlier: Mapping[str, object], *, credit: float, expected: str = "",
            parsed: object = None) -> PartResult | None:
    """The verdict on ``answer`` given the student's ``earlier`` answers (see the module
    docstring), or None when it does not match them (or nothing earlier is used).
    ``expected``: the display of the part's own reference answer (the result keeps it);
    ``parsed``: the answer as the kind's parse phase read it (a reading's ``parsed``), judged
    instead of reading ``answer`` again."""
    used = earlier_used(problem, variant, part, earlier)
    if not used:
        return None
    kind: Any = part.answer_kind  # duck-typed: _judges checks for judge and value_of
    param_si = {name: variant.values[name] for name in problem.params}
    overrides = {e.name: e.si for e in used}
    try:
        env, _ = evaluate(problem, param_si, overrides=overrides)
        if _judges(part):
            name, unit = kind.value_name, kind.quantity_unit
            width_si = rounding_widths(problem, param_si, overrides=overrides,
                                       targets=[name]).get(name, 0.0)
            reference = from_si(env[name], unit)
            width = abs(from_si(width_si, unit) - from_si(0.0, unit))
            result = kind.judge(part, answer if parsed is None else parsed, reference, width)
        else:
            result = kind.judge_env(part, variant, answer, env)
    except _NUMERIC_ERRORS:
        return None
    if not result.correct:
        return None
    wrong = [e.part_id for e in used if not e.right]
    expected = expected or result.expected
    if not wrong:
        params = dict(result.params)
        if "expected" in params:
            params["expected"] = expected
        return replace(result, feedback="", params=params, expected=expected,
                       notes=(*result.notes, "rounding.carried"))
    score = credit * result.score
    return PartResult(correct=score > 0, score=score, feedback="", note=CARRIED,
                      expected=expected, part_id=part.id,
                      weight=part.points, answer=result.answer,
                      notes=(CARRIED, *result.notes[1:]),
                      params={"earlier": ", ".join(wrong), "parts": wrong,
                              "credit": credit},
                      message_id="carried.right_given" if score > 0 else "carried.no_credit")
