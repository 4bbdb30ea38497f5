"""How an answer was read, without the answer key: what a graded course's student sees.

In a graded course the student's kernel cannot compute their variant (the course secret is not
there), so their ``check`` cannot say right or wrong.  It can still say how the grader will read
what they typed -- the number converted to the part's unit, the choice picked, the formula
parsed -- so a slip in the writing (a unit, a comma, a name) shows before they submit:

    E_K: read as −95.0 mV (you wrote −0.095 V).

Only the grader's readers are used (the same allow-list number, unit and formula parsers as
grading, nothing evaluated); no expected value is known here, so nothing can leak.  Where the
grader is lenient after reading (a decimal comma, a unit symbol in the wrong letter case), this
is stricter and asks for the plain form, so what it confirms is always read the same way when
graded.  Sentences are named templates below.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["MESSAGES", "read_back"]

#: The sentences of this module, with named parameters.
MESSAGES = {
    "empty": "{part}: no answer yet. Type it between the quotes in the answer cell, then run "
             "that cell and this one.",
    "number": "{part}: read as {value} {unit}.",
    "number_converted": "{part}: read as {value} {unit} (you wrote {written}).",
    "number_bare": "{part}: read as {value}; a number without a unit is read in {unit}.",
    "number_pure": "{part}: read as the pure number {value}.",
    "choice": "{part}: read as the choice \u201c{choice}\u201d.",
    "formula": "{part}: read as the formula {formula}.",
    "unreadable": "{part}: this cannot be read as an answer: {reason}",
    "graded_later": "Your answer is graded after you submit; the worked solution comes with your "
                    "feedback.",
}


def _number(part: Any, text: str) -> str:
    from membranelab.grading.feedback import format_value
    from membranelab.grading.quantity import split_number
    from membranelab.grading.tokens import Refusal, blank_assignment, normalize
    from membranelab.grading.units import UnitFailure, expected_unit, parse_unit
    from membranelab.physics.units import is_dimensionless, ureg

    label = "" if is_dimensionless(part.unit) else part.unit
    try:
        cleaned = blank_assignment(normalize(text)).rstrip()
        if cleaned.endswith(".") and len(cleaned) > 1 and not cleaned[-2].isdigit():
            cleaned = cleaned[:-1]
        number = split_number(cleaned)
    except Refusal as refusal:
        return MESSAGES["unreadable"].format(part=part.id, reason=refusal.message)
    rest = cleaned[number.end:].strip()
    if not rest:
        if not label:
            return MESSAGES["number_pure"].format(part=part.id,
                                                  value=format_value(number.value))
        return MESSAGES["number_bare"].format(part=part.id, value=format_value(number.value),
                                              unit=label)
    parsed = parse_unit(rest)
    if isinstance(parsed, UnitFailure):
        return MESSAGES["unreadable"].format(part=part.id, reason=parsed.message)
    target = expected_unit(part.unit)
    if parsed.unit.dimensionality != target.dimensionality:
        return MESSAGES["unreadable"].format(
            part=part.id, reason=f"{rest} is not a unit of the same kind as {label or 'none'}.")
    try:
        value = float(ureg().Quantity(number.value, parsed.unit).to(target).magnitude)
    except Exception:  # noqa: BLE001 - pint corner cases: say so, never crash
        value = math.nan
    if not math.isfinite(value):
        return MESSAGES["unreadable"].format(part=part.id,
                                             reason=f"{rest} cannot be converted to {label}.")
    shown = format_value(value)
    written = f"{format_value(number.value)} {rest}"
    if rest == label:
        return MESSAGES["number"].format(part=part.id, value=shown, unit=label)
    return MESSAGES["number_converted"].format(part=part.id, value=shown, unit=label or "",
                                               written=written)


def _choice(part: Any, text: str) -> str:
    from membranelab.grading import check_choice

    for choice in part.choices:
        if check_choice(text, choice, part.choices).correct:
            return MESSAGES["choice"].format(part=part.id, choice=choice)
    listing = ", ".join(f"\u201c{c}\u201d" for c in part.choices)
    return MESSAGES["unreadable"].format(part=part.id,
                                         reason=f"it is not one of the choices {listing}.")


def _formula(part: Any, text: str) -> str:
    import sympy

    from membranelab.formulas import FORMULAS
    from membranelab.grading import ParseFailure, parse_expression

    parsed = parse_expression(text, tuple(FORMULAS[part.formula].domains))
    if isinstance(parsed, ParseFailure):
        return MESSAGES["unreadable"].format(part=part.id, reason=parsed.explain())
    return MESSAGES["formula"].format(part=part.id, formula=sympy.sstr(parsed.expr))


def read_back(part: Any, answer: str | None) -> str:
    """One sentence: how ``answer`` to ``part`` is read (never right or wrong; never raises on
    the answer)."""
    if answer is None or not str(answer).strip():
        return MESSAGES["empty"].format(part=part.id)
    text = str(answer)
    try:
        if part.kind == "numeric":
            return _number(part, text)
        if part.kind == "choice":
            return _choice(part, text)
        return _formula(part, text)
    except Exception as exc:  # noqa: BLE001 - reading back must never break a notebook
        return MESSAGES["unreadable"].format(part=part.id, reason=type(exc).__name__)
