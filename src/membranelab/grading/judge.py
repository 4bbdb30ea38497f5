"""Judging a number read from an answer: tolerance, unit, named mistakes, the verdict.

:class:`Tolerance` decides "close enough"; :class:`Grader` holds what every verdict of one call
shares and builds the :class:`~.result.PartResult` (a catalog key and parameters, never a
sentence); :func:`judge` takes the value already read in the part's unit
(:mod:`membranelab.grading.reader`) and calls :func:`judge_right` or :func:`judge_wrong`,
which names what is wrong.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import feedback as fb
from .numbers import ParsedNumber
from .numformat import feedback_text
from .result import PartResult
from .units import UnitSuccess, expected_unit, parse_unit

__all__ = ["DEFAULT_RELATIVE", "Grader", "Tolerance", "judge"]

#: Relative tolerance when a call gives none.
DEFAULT_RELATIVE = 0.01


def round_sig(value: float, figures: int) -> float:
    """``value`` rounded to ``figures`` significant figures."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, figures - 1 - math.floor(math.log10(abs(value))))


@dataclass(frozen=True)
class Tolerance:
    relative: float | None
    absolute: float | None
    sigfigs: int | None

    def close(self, value: float, target: float) -> bool:
        """Within tolerance of ``target`` (sig figs: equal once both are rounded)."""
        if not (math.isfinite(value) and math.isfinite(target)):
            return False
        if self.sigfigs is not None:
            rounded = round_sig(target, self.sigfigs)
            return math.isclose(round_sig(value, self.sigfigs), rounded,
                                rel_tol=1e-9, abs_tol=1e-300)
        error = abs(value - target)
        relative = DEFAULT_RELATIVE if self.relative is None and self.absolute is None \
            else self.relative
        if relative is not None and error <= relative * abs(target):
            return True
        return self.absolute is not None and error <= self.absolute

    def loose(self) -> Tolerance:
        """For recognising mistakes under a sig-fig tolerance: half a unit in the last place."""
        if self.sigfigs is None:
            return self
        return Tolerance(0.5 * 10.0 ** (1 - self.sigfigs) * 1.0001, None, None)


@dataclass(frozen=True)
class Grader:
    """What every verdict of one call shares: the options, the display strings, the answer,
    and notes on how the answer was read (``notes``; ``also``: sentences added to every
    message, e.g. that a comma was read as a decimal point)."""

    target: float
    target_unit: Any
    unit_label: str
    display: str
    tolerance: Tolerance
    options: Mapping[str, Any]
    text: str = ""
    notes: tuple[str, ...] = ()
    also: tuple[Any, ...] = ()
    reading: Mapping[str, Any] = field(default_factory=dict)

    def result(self, score: float, key: str, note: str, params: Mapping[str, Any] | None = None,
               *, correct: bool = False, extra: tuple[str, ...] = (), readable: bool = True
               ) -> PartResult:
        """A verdict whose message is catalog ``key`` with ``params``; a missing unit (in
        ``extra``) adds "Also write the unit." to a wrong answer's message."""
        params = dict(params or {})
        also = [*self.also, *params.get("also", [])]
        if "units.missing" in extra:
            also.append("also.unit")
        if also:
            params["also"] = also
        return PartResult(correct=correct, score=score, feedback="", note=note,
                          expected=self.display, part_id=self.options["part_id"],
                          weight=self.options["weight"], answer=self.text,
                          notes=(note, *extra, *self.notes), params=params, message_id=key,
                          readable=readable, reading=self.reading)

    def noted(self, note: str, sentence: Any = None) -> Grader:
        """The same grader with one more reading note (and its sentence)."""
        return replace(self, notes=(*self.notes, note),
                       also=(*self.also, sentence) if sentence is not None else self.also)


def judge(grader: Grader, number: ParsedNumber, value: float, unit_text: str | None,
          missing: bool) -> PartResult:
    """Judge ``value`` (the answer in the part's unit; ``unit_text``: the unit written, None
    for none; ``missing``: a unit was due and none written) against the grader's target:
    right, too few figures, or wrong and what is wrong."""
    rounding = _rounding(grader, number, value)
    if grader.tolerance.close(value, grader.target) or rounding == "right":
        return judge_right(grader, number, value, missing)
    if rounding == "too_few":
        return grader.result(0.0, "sigfigs.too_few", "sigfigs.too_few", {
            "sigfigs": grader.options["min_sigfigs"], "written": _written(number)},
            readable=False)
    return judge_wrong(grader, number, value, unit_text, missing)


def _written(number: ParsedNumber) -> Any:
    if number.sigfigs_min == number.sigfigs_max:
        return number.sigfigs_min
    return {"msg": "sigfigs.range", "low": number.sigfigs_min, "high": number.sigfigs_max}


def _rounding(grader: Grader, number: ParsedNumber, value: float) -> str:
    """"right" when the answer is the expected value correctly rounded to at least the part's
    ``min_sigfigs`` figures, "too_few" when it is correctly rounded to fewer, else "".

    Rounding is judged on the number as written, in the student's unit (a power-of-ten
    conversion keeps the figures): it is right when it lies within half a unit of its last
    written figure of the expected value."""
    wanted = grader.options["min_sigfigs"]
    if wanted is None or grader.tolerance.sigfigs is not None or number.value == 0 or value == 0:
        return ""
    scale = value / number.value
    if not math.isfinite(scale) or scale <= 0:
        return ""
    written_target = grader.target / scale
    figures = number.sigfigs_max
    last_place = 10.0 ** (math.floor(math.log10(abs(number.value))) - figures + 1)
    if abs(number.value - written_target) > 0.5 * last_place * (1 + 1e-9):
        return ""
    return "right" if figures >= wanted else "too_few"


def _case_hint(student_unit: str, unit: str) -> bool:
    """True when the student's unit differs from the part's only by letter case."""
    return bool(unit) and student_unit != unit and student_unit.lower() == unit.lower()


def judge_right(grader: Grader, number: ParsedNumber, value: float, missing: bool
                ) -> PartResult:
    """The verdict on a value within tolerance: full credit unless units or digits are off."""
    options, label = grader.options, grader.unit_label
    if missing and options["missing_unit"] != "accept":
        score = options["missing_unit_credit"] if options["missing_unit"] == "partial" else 0.0
        return grader.result(score, "units.missing", "units.missing", {"unit": label})
    figures = grader.tolerance.sigfigs
    # zero has no significant figures: 0, 0.0 and 0.00 are all right for an expected 0
    if (figures is not None and grader.target != 0
            and not number.sigfigs_min <= figures <= number.sigfigs_max):
        rounded = feedback_text(round_sig(grader.target, figures), figures)
        return grader.result(options["sigfigs_credit"], "sigfigs.wrong_digits",
                             "sigfigs.wrong_digits",
                             {"sigfigs": figures, "written": _written(number),
                              "expected": f"{rounded} {label}".strip()})
    wanted = options["min_sigfigs"]
    if (wanted is not None and figures is None and number.sigfigs_max < wanted
            and not math.isclose(value, grader.target, rel_tol=1e-9, abs_tol=0.0)):
        grader = grader.noted("sigfigs.few", {"msg": "also.sigfigs", "sigfigs": wanted})
    if missing:
        return grader.result(1.0, "units.missing_accepted", "units.missing",
                             {"expected": grader.display, "unit": label}, correct=True)
    return grader.result(1.0, "correct", "correct", {"expected": grader.display}, correct=True)


def judge_wrong(grader: Grader, number: ParsedNumber, value: float, unit_text: str | None,
                missing: bool) -> PartResult:
    """Name what is wrong: the unit's scale, a named mistake, a factor 1000, the sign, or else
    how far off the value is.  A mistake whose value is minus the answer is not claimed: the
    sign convention is all that differs."""
    options, label, target = grader.options, grader.unit_label, grader.target
    loose = grader.tolerance.loose()
    magnitude_right = loose.close(number.value, target)
    student_unit = parse_unit(unit_text) if unit_text is not None else None
    if (unit_text is not None and _case_hint(unit_text, label)
            and isinstance(student_unit, UnitSuccess)):
        # A real unit of another scale spelled like the part's (MV is megavolt).  A spelling
        # that is no unit at all (mv) was read as the part's unit by its case and is judged
        # as a value below.
        meaning = f"{student_unit.unit}"
        return grader.result(options["wrong_scale_credit"] if magnitude_right else 0.0,
                             "units.case", "units.case",
                             {"student_unit": unit_text, "unit": label, "meaning": meaning})
    if unit_text is not None and unit_text != label and magnitude_right:
        key = "units.wrong_scale" if label else "units.wrong_scale_pure"
        return grader.result(options["wrong_scale_credit"], key, "units.wrong_scale", {
            "student_unit": unit_text, "unit": label,
            "value": feedback_text(number.value), "converted": feedback_text(value)})
    extra = ("units.missing",) if missing else ()
    flipped = loose.close(-value, target)
    for name, wrong_values in options["mistakes"].items():
        candidates = wrong_values if isinstance(wrong_values, (list, tuple)) else [wrong_values]
        for wrong_value in candidates:
            if not isinstance(wrong_value, numbers.Real) or not loose.close(
                    value, float(wrong_value)) or (flipped and loose.close(
                    -float(wrong_value), target)):
                continue
            if name in fb.MISTAKES:
                return grader.result(0.0, f"mistake.{name}", f"mistake.{name}",
                                     fb.MISTAKES[name].params_for(options["solver"]),
                                     extra=extra)
            return grader.result(0.0, "mistake.generic", f"mistake.{name}", {"name": name},
                                 extra=extra)
    if (grader.target_unit.dimensionless and value and target
            and not math.isclose(abs(target), 1.0, rel_tol=0.05)
            and loose.close(1.0 / value, target)):  # 1/933 for 933: told, not "a factor"
        return grader.result(0.0, "mistake.ratio_inverted", "mistake.ratio_inverted",
                             extra=extra)
    ratio = value / target if target else math.inf
    for factor in (1e3, 1e-3, -1e3, -1e-3):
        if loose.close(ratio, factor):
            also = ["also.sign"] if factor < 0 else []
            if grader.target_unit.dimensionality == expected_unit("V").dimensionality:
                return grader.result(0.0, "mistake.volts_for_millivolts",
                                     "mistake.volts_for_millivolts", {"also": also},
                                     extra=extra)
            size = "scale.times_1000" if abs(factor) > 1 else "scale.of_1000"
            return grader.result(0.0, "scale.factor_1000", "scale.factor_1000",
                                 {"factor": {"msg": size}, "also": also}, extra=extra)
    if flipped:
        return grader.result(0.0, "sign.flipped", "sign.flipped", extra=extra)
    return grader.result(0.0, "value.incorrect", "value.incorrect",
                         {"deviation": fb.describe_deviation(value, target)}, extra=extra)
