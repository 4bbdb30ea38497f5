"""Numbers with units: read, then judge within a tolerance and explain.

Two phases, as the answer kinds have them: :func:`~.reader.read_quantity` (text -> a
:class:`~.reader.ParsedQuantity`: the number, the unit read and the value converted to the
part's unit; nothing expected known) and :func:`judge_quantity` (a reading, the expected value
and the options -> a :class:`~.result.PartResult`: value and unit judged apart, the mistake
named).  :func:`check_quantity` is the two in one call.

Tolerance modes (keyword-only, per call): ``relative`` (fraction of the expected value),
``absolute`` (in ``unit``), ``sigfigs`` (STACK NumSigFigs: the value rounded to that many
significant figures must equal the expected value rounded the same way, and the student must
have written that many digits; right value with other digits -> partial credit).  With nothing
given: relative 1 %.  With both relative and absolute: within either passes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

from . import feedback as fb
from .judge import DEFAULT_RELATIVE, Grader, Tolerance, judge
from .limits import DEFAULT_LIMITS, Limits
from .numbers import ParsedNumber, significant_figures, split_number
from .numformat import feedback_text
from .reader import ParsedQuantity, read_quantity, unit_label, without_remark
from .result import PartResult
from .units import expected_unit

__all__ = ["DEFAULT_RELATIVE", "ParsedNumber", "ParsedQuantity", "check_quantity",
           "judge_quantity", "read_quantity", "significant_figures", "split_number",
           "without_remark"]


def _check_options(expected: float, missing_unit: str, sigfigs: int | None,
                   min_sigfigs: int | None, credits: Mapping[str, float]) -> float:
    """``expected`` as a finite float; ValueError for a bad option (never for the answer)."""
    target = float(expected)
    if not math.isfinite(target):
        raise ValueError(f"expected must be finite, got {expected!r}")
    if missing_unit not in ("accept", "partial", "wrong"):
        raise ValueError(f"missing_unit must be accept, partial or wrong, got {missing_unit!r}")
    for name, figures in (("sigfigs", sigfigs), ("min_sigfigs", min_sigfigs)):
        if figures is not None and not (isinstance(figures, int) and figures >= 1):
            raise ValueError(f"{name} must be an integer >= 1, got {figures!r}")
    for name, credit in credits.items():
        if not 0.0 <= credit <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {credit!r}")
    return target


def judge_quantity(
    reading: ParsedQuantity,
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
) -> PartResult:
    """The verdict on an answer already read for ``unit`` (:func:`~.reader.read_quantity`)
    against ``expected`` (a float in ``unit``); the options are :func:`check_quantity`'s.  A
    reading without a value is wrong with its reason (at no try when nothing could be read)."""
    target = _check_options(expected, missing_unit, sigfigs, min_sigfigs, {
        "missing_unit_credit": missing_unit_credit, "wrong_scale_credit": wrong_scale_credit,
        "sigfigs_credit": sigfigs_credit})
    if reading.unit != unit:
        raise ValueError(f"the answer was read for unit {reading.unit!r}, not {unit!r}")
    label = unit_label(unit)
    grader = Grader(
        target, expected_unit(unit), label,
        feedback_text(target, fb.EXACT_DIGITS) + (f" {label}" if label else ""),
        Tolerance(relative, absolute, sigfigs),
        {"mistakes": mistakes or {}, "missing_unit": missing_unit,
         "missing_unit_credit": missing_unit_credit, "wrong_scale_credit": wrong_scale_credit,
         "sigfigs_credit": sigfigs_credit, "min_sigfigs": min_sigfigs, "solver": solver,
         "part_id": part_id,
         "weight": weight},
        text=reading.text, notes=reading.notes, also=reading.also,
    )
    refusal = reading.refusal
    if refusal is not None or reading.number is None or reading.value is None:
        if refusal is None:  # a reading built by hand without its value
            raise ValueError("a reading of a quantity without a value or a refusal")
        return grader.result(0.0, refusal.key, refusal.note, refusal.params,
                             readable=refusal.readable)
    grader = replace(grader, reading=reading.found)
    written = reading.given is not None
    return judge(grader, reading.number, reading.value, reading.unit_text if written else None,
                 missing=not written and not grader.target_unit.dimensionless)


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
    the answer: :func:`~.reader.read_quantity` then :func:`judge_quantity`.

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
    return judge_quantity(
        read_quantity(answer, unit, limits=limits), expected, unit, relative=relative,
        absolute=absolute, sigfigs=sigfigs, mistakes=mistakes, missing_unit=missing_unit,
        missing_unit_credit=missing_unit_credit, wrong_scale_credit=wrong_scale_credit,
        sigfigs_credit=sigfigs_credit, min_sigfigs=min_sigfigs, solver=solver,
        part_id=part_id, weight=weight)
