"""Numbers with units: split, convert with pint, compare within a tolerance, explain.

Pipeline for one answer (each step a function): :func:`_as_text` (any object -> text or a
refusal) -> length bound -> ``parse.normalize`` -> :func:`split_number` (our regex reads the
number, so pint never parses arithmetic) -> ``units.parse_unit`` on the rest -> convert to the
part's unit with a pint Quantity (offset units such as °C handled by pint) -> judge value and
unit apart -> name the mistake.

Tolerance modes (keyword-only, per call): ``relative`` (fraction of the expected value),
``absolute`` (in ``unit``), ``sigfigs`` (STACK NumSigFigs: the value rounded to that many
significant figures must equal the expected value rounded the same way, and the student must
have written that many digits; right value with other digits -> partial credit).  With nothing
given: relative 1 %.  With both relative and absolute: within either passes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

from membranelab.physics.units import is_dimensionless

from . import feedback as fb
from .judge import DEFAULT_RELATIVE, Grader, Tolerance, judge
from .limits import DEFAULT_LIMITS, Limits
from .numbers import (
    ParsedNumber,
    as_text,
    blank_final_period,
    significant_figures,
    split_number,
    tidy_quantity,
)
from .numformat import feedback_text
from .result import PartResult
from .tokens import Refusal, blank_assignment, normalize, pointer
from .units import UnitSuccess, expected_unit, parse_unit

__all__ = ["DEFAULT_RELATIVE", "ParsedNumber", "check_quantity", "significant_figures",
           "split_number"]


def _example(unit_label: str) -> str:
    """A model answer's form for the part's unit (the number is not the answer)."""
    return f"1.5 {unit_label}" if unit_label else "1.5"


def check_quantity(
    answer: object,
    expected: float,
    unit: str,
    *,
    relative: float | None = None,
    absolute: float | None = None,
    sigfigs: int | None = None,
    mistakes: Mapping[str, float] | None = None,
    missing_unit: Literal["accept", "partial", "wrong"] = "accept",
    missing_unit_credit: float = 0.5,
    wrong_scale_credit: float = 0.0,
    sigfigs_credit: float = 0.5,
    min_sigfigs: int | None = None,
    solver: str = "",
    part_id: str = "",
    weight: float = 1.0,
    limits: Limits = DEFAULT_LIMITS,
) -> PartResult:
    """Grade a number with a unit against ``expected`` (a float in ``unit``); never raises on
    the answer.

    ``mistakes`` maps mistake names to the values (in ``unit``) they produce; ``solver`` names
    the solver for the mistakes' messages.  ``missing_unit`` says what a bare number earns:
    ``accept`` (full credit, note ``units.missing``), ``partial`` (``missing_unit_credit``) or
    ``wrong``.  ``wrong_scale_credit`` is the credit for a right number in a wrong unit (or a
    unit with a case slip); ``sigfigs_credit`` for a right value written with other significant
    figures.  ``min_sigfigs`` (the part's stated significant figures): an answer that is the
    expected value correctly rounded to at least that many figures is right even outside the
    tolerance; correctly rounded to fewer, it is not read as an answer (note
    ``sigfigs.too_few``, ``readable`` False: it costs no try).  Bad options (not the answer)
    raise ``ValueError``.
    """
    target = float(expected)
    if not math.isfinite(target):
        raise ValueError(f"expected must be finite, got {expected!r}")
    if missing_unit not in ("accept", "partial", "wrong"):
        raise ValueError(f"missing_unit must be accept, partial or wrong, got {missing_unit!r}")
    for name, figures in (("sigfigs", sigfigs), ("min_sigfigs", min_sigfigs)):
        if figures is not None and not (isinstance(figures, int) and figures >= 1):
            raise ValueError(f"{name} must be an integer >= 1, got {figures!r}")
    for name, credit in (("missing_unit_credit", missing_unit_credit),
                         ("wrong_scale_credit", wrong_scale_credit),
                         ("sigfigs_credit", sigfigs_credit)):
        if not 0.0 <= credit <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {credit!r}")
    unit_label = unit.strip()
    if is_dimensionless(unit_label):
        unit_label = ""  # a pure number is shown without a unit name
    grader = Grader(
        target, expected_unit(unit), unit_label,
        feedback_text(target, fb.EXACT_DIGITS) + (f" {unit_label}" if unit_label else ""),
        Tolerance(relative, absolute, sigfigs),
        {"mistakes": mistakes or {}, "missing_unit": missing_unit,
         "missing_unit_credit": missing_unit_credit, "wrong_scale_credit": wrong_scale_credit,
         "sigfigs_credit": sigfigs_credit, "min_sigfigs": min_sigfigs, "solver": solver,
         "part_id": part_id,
         "weight": weight},
    )
    text = ""
    try:
        text = as_text(answer)
        if len(text) > limits.max_quantity_length:
            raise Refusal("answer.too_long", 0, "limits.too_long",
                          {"length": len(text), "limit": limits.max_quantity_length})
        folded = normalize(text)
        normalized = blank_final_period(tidy_quantity(blank_assignment(folded)))
        number = split_number(normalized, limits, example=_example(unit_label))
    except Refusal as refusal:
        shown = text if len(text) <= limits.max_quantity_length else ""
        grader = replace(grader, text=shown)
        params = dict(refusal.params)
        if shown:
            params["pointer"] = pointer(normalize(shown), refusal.offset)
        return grader.result(0.0, refusal.key, refusal.note, params, readable=False)
    grader = replace(grader, text=text)
    if number.decimal_comma:
        grader = grader.noted("number.decimal_comma", {"msg": "also.decimal_comma",
                                                       "number": number.decimal_comma})
    unit_text = normalized[number.end :].strip()
    unit_offset = len(normalized) - len(normalized[number.end :].lstrip())
    without = without_remark(unit_text)
    if without is not None:
        unit_text = without
        grader = grader.noted("answer.remark_ignored", {"msg": "also.remark_ignored"})
    return judge(grader, number, unit_text, unit_offset)


#: A remark in brackets after the value: "-95.0 mV (inside negative)", "-95.0 mV（约）".
_REMARK_RE = re.compile(r"(?P<unit>.*?)\s*[(\[](?P<remark>[^()\[\]]*)[)\]]")


def without_remark(unit_text: str) -> str | None:
    """The unit text without a bracketed remark at its end, when the remark holds words and
    is no unit, and what is left is a unit or nothing; else None (the text is read as is)."""
    if not unit_text.endswith((")", "]")):
        return None
    match = _REMARK_RE.fullmatch(unit_text)
    if match is None or isinstance(parse_unit(unit_text), UnitSuccess):
        return None
    remark, unit = match.group("remark"), match.group("unit").strip()
    if not any(ch.isalpha() for ch in remark) or isinstance(parse_unit(remark), UnitSuccess):
        return None
    return unit if not unit or isinstance(parse_unit(unit), UnitSuccess) else None
