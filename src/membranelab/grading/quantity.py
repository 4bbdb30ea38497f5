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
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from membranelab.physics.units import is_dimensionless, ureg

from . import feedback as fb
from .limits import DEFAULT_LIMITS, Limits
from .result import PartResult
from .tokens import SUPERSCRIPT_DIGITS, Refusal, blank_assignment, normalize, pointer
from .units import UnitFailure, dimension_name, expected_unit, parse_unit

__all__ = ["ParsedNumber", "check_quantity", "significant_figures", "split_number"]

#: Relative tolerance when a call gives none.
DEFAULT_RELATIVE = 0.01

# A number: sign, then either a bare power of ten (10^-3, 10⁻³) or a mantissa with an
# optional exponent written e-3, *10^-3, x10^(-3) or ×10⁻³.
_NUMBER_RE = re.compile(
    r"\s*(?P<sign>[+-]?)\s*(?:"
    r"10\s*(?:\^|\*\*)\s*(?P<tparen>\()?\s*(?P<tpow>[+-]?[0-9]+)\s*(?(tparen)\))"
    r"|10(?P<tsup>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<mantissa>[0-9]+\.?[0-9]*|\.[0-9]+)"
    r"(?:(?P<e>[eE][+-]?[0-9]+)"
    r"|\s*[*x]\s*10\s*(?:\^|\*\*)\s*(?P<paren>\()?\s*(?P<pow>[+-]?[0-9]+)\s*(?(paren)\))"
    r"|\s*[*x]\s*10(?P<sup>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?)",
    re.ASCII,
)
_WORD_NUMBERS = ("nan", "inf", "infinity")


@dataclass(frozen=True)
class ParsedNumber:
    """The number a student wrote: value, significant figures (min, max) and its text span."""

    value: float
    sigfigs_min: int
    sigfigs_max: int
    end: int


def significant_figures(mantissa: str) -> tuple[int, int]:
    """(fewest, most) significant figures of a written mantissa; '100' is (1, 3), '1.00' (3, 3)."""
    digits = mantissa.replace(".", "").lstrip("0")
    if not digits:
        return 1, 1
    if "." in mantissa:
        return len(digits), len(digits)
    return max(1, len(digits.rstrip("0"))), len(digits)


def split_number(text: str, limits: Limits = DEFAULT_LIMITS) -> ParsedNumber:
    """Read the leading number of ``text`` (1e-3, 3.46*10^-13, 3.46×10⁻¹³, 10^-3); raise
    Refusal when there is none or it is malformed."""
    match = _NUMBER_RE.match(text)
    if match is None:
        stripped = text.lstrip()
        offset = len(text) - len(stripped)
        if stripped.lower().lstrip("+-").startswith(_WORD_NUMBERS):
            raise Refusal("Write a finite number (NaN and infinity are not answers).", offset)
        raise Refusal(f"Start the answer with a number (column {offset + 1}), e.g. -95 mV.",
                       offset)
    exponent_text = match.group("e") or ""
    power = 0
    if exponent_text:
        power = int(exponent_text[1:])
    for group in ("pow", "tpow"):
        if match.group(group) is not None:
            power = int(match.group(group))
    for group in ("sup", "tsup"):
        if match.group(group) is not None:
            power = int(match.group(group).translate(SUPERSCRIPT_DIGITS))
    start = len(text) - len(text.lstrip())
    if abs(power) > limits.max_literal_exponent:
        raise Refusal(f"The exponent {power} is out of range "
                       f"(at most ±{limits.max_literal_exponent}).", start, "limits.too_large")
    mantissa = match.group("mantissa") or "1"
    value = float(f"{match.group('sign')}{mantissa}e{power}")
    if not math.isfinite(value):
        raise Refusal("The number is out of range.", start, "limits.too_large")
    low, high = significant_figures(mantissa)
    end = match.end()
    if end < len(text) and text[end] == "," and text[end + 1 : end + 2].isdigit():
        digits = re.match(r"[0-9]*", text[end + 1 :], re.ASCII)
        raise Refusal(f"Use a decimal point, not a comma, at column {end + 1}: write "
                       f"{mantissa}.{digits.group() if digits else ''}.", end)
    if end < len(text) and (text[end].isdigit() or text[end] in ".+-^"):
        raise Refusal(f"Unexpected {text[end]!r} after the number at column {end + 1}.", end)
    return ParsedNumber(value, low, high, end)


def _blank_final_period(text: str) -> str:
    """Drop a sentence's final period after a unit ("-95 mV."), not a number's ("95.")."""
    if text.endswith(".") and len(text) > 1 and not text[-2].isdigit():
        return text[:-1]
    return text


def _as_text(answer: object) -> str:
    """Any object -> the student's text; raise Refusal for what is not text or a number."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Refusal("The answer is not readable text (invalid UTF-8).", error.start,
                           "answer.invalid_type") from None
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        return repr(int(answer)) if isinstance(answer, numbers.Integral) else repr(float(answer))
    if answer is None:
        raise Refusal("No answer was given.", 0, "answer.empty")
    raise Refusal("The answer must be text.", 0, "answer.invalid_type")


def _round_sig(value: float, figures: int) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, figures - 1 - math.floor(math.log10(abs(value))))


@dataclass(frozen=True)
class _Tolerance:
    relative: float | None
    absolute: float | None
    sigfigs: int | None

    def close(self, value: float, target: float) -> bool:
        """Within tolerance of ``target`` (sig figs: equal once both are rounded)."""
        if not (math.isfinite(value) and math.isfinite(target)):
            return False
        if self.sigfigs is not None:
            rounded = _round_sig(target, self.sigfigs)
            return math.isclose(_round_sig(value, self.sigfigs), rounded,
                                rel_tol=1e-9, abs_tol=1e-300)
        error = abs(value - target)
        relative = DEFAULT_RELATIVE if self.relative is None and self.absolute is None \
            else self.relative
        if relative is not None and error <= relative * abs(target):
            return True
        return self.absolute is not None and error <= self.absolute

    def loose(self) -> _Tolerance:
        """For recognising mistakes under a sig-fig tolerance: half a unit in the last place."""
        if self.sigfigs is None:
            return self
        return _Tolerance(0.5 * 10.0 ** (1 - self.sigfigs) * 1.0001, None, None)


@dataclass(frozen=True)
class _Grader:
    """What every verdict of one call shares: the options, the display strings, the answer."""

    target: float
    target_unit: Any
    unit_label: str
    display: str
    tolerance: _Tolerance
    options: Mapping[str, Any]
    text: str = ""

    def result(self, score: float, message: str, note: str, *, correct: bool = False,
               extra: tuple[str, ...] = ()) -> PartResult:
        return PartResult(correct=correct, score=score, feedback=message, note=note,
                          expected=self.display, part_id=self.options["part_id"],
                          weight=self.options["weight"], answer=self.text[:200],
                          notes=(note, *extra))


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
    figures.  Bad options (not the answer) raise ``ValueError``.
    """
    target = float(expected)
    if not math.isfinite(target):
        raise ValueError(f"expected must be finite, got {expected!r}")
    if missing_unit not in ("accept", "partial", "wrong"):
        raise ValueError(f"missing_unit must be accept, partial or wrong, got {missing_unit!r}")
    if sigfigs is not None and not (isinstance(sigfigs, int) and sigfigs >= 1):
        raise ValueError(f"sigfigs must be an integer >= 1, got {sigfigs!r}")
    for name, credit in (("missing_unit_credit", missing_unit_credit),
                         ("wrong_scale_credit", wrong_scale_credit),
                         ("sigfigs_credit", sigfigs_credit)):
        if not 0.0 <= credit <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {credit!r}")
    unit_label = unit.strip()
    if is_dimensionless(unit_label):
        unit_label = ""  # a pure number is shown without a unit name
    grader = _Grader(
        target, expected_unit(unit), unit_label,
        fb.format_value(target, fb.EXACT_DIGITS) + (f" {unit_label}" if unit_label else ""),
        _Tolerance(relative, absolute, sigfigs),
        {"mistakes": mistakes or {}, "missing_unit": missing_unit,
         "missing_unit_credit": missing_unit_credit, "wrong_scale_credit": wrong_scale_credit,
         "sigfigs_credit": sigfigs_credit, "solver": solver, "part_id": part_id,
         "weight": weight},
    )
    text = ""
    try:
        text = _as_text(answer)
        if len(text) > limits.max_quantity_length:
            raise Refusal(f"The answer is too long ({len(text)} characters; at most "
                           f"{limits.max_quantity_length}).", 0, "limits.too_long")
        normalized = _blank_final_period(blank_assignment(normalize(text)).rstrip())
        number = split_number(normalized, limits)
    except Refusal as refusal:
        shown = text if len(text) <= limits.max_quantity_length else ""
        grader = replace(grader, text=shown)
        message = refusal.message + (f"\n{pointer(shown, refusal.offset)}" if shown else "")
        return grader.result(0.0, message, refusal.note)
    grader = replace(grader, text=text)
    unit_text = normalized[number.end :].strip()
    unit_offset = len(normalized) - len(normalized[number.end :].lstrip())
    return _judge(grader, number, unit_text, unit_offset)


def _judge(grader: _Grader, number: ParsedNumber, unit_text: str, unit_offset: int
           ) -> PartResult:
    """Read the unit, convert, and judge value and unit apart."""
    label = grader.unit_label
    given = None
    if unit_text:
        parsed = parse_unit(unit_text)
        if isinstance(parsed, UnitFailure):
            if parsed.name and _case_hint(unit_text, label):
                message = fb.UNITS_UNKNOWN_CASE.format(student_unit=parsed.name, unit=label)
                return grader.result(0.0, message, "units.case")
            message = f"{parsed.message} " + fb.UNITS_UNKNOWN.format(unit=label or "none")
            pointed = pointer(grader.text, unit_offset + parsed.offset)
            return grader.result(0.0, f"{message}\n{pointed}", parsed.note)
        given = parsed.unit
        if given.dimensionality != grader.target_unit.dimensionality:
            if _case_hint(unit_text, label):
                message = fb.UNITS_CASE.format(student_unit=unit_text, unit=label,
                                               meaning=f"{given}")
                return grader.result(0.0, message, "units.case")
            message = fb.UNITS_INCOMPATIBLE.format(
                student_unit=unit_text, student_dimension=dimension_name(given),
                dimension=dimension_name(grader.target_unit), unit=label or "no unit")
            return grader.result(0.0, message, "units.incompatible")
    try:
        value = (float(ureg().Quantity(number.value, given).to(grader.target_unit).magnitude)
                 if given is not None else number.value)
    except Exception:  # noqa: BLE001 - pint offset-unit corner cases: refuse, never crash
        return grader.result(0.0, f"I cannot convert {unit_text} to {label}.",
                             "units.incompatible")
    if not math.isfinite(value):
        return grader.result(0.0, f"Your value is out of range once converted to {label}.",
                             "limits.too_large")
    missing = given is None and not grader.target_unit.dimensionless
    if grader.tolerance.close(value, grader.target):
        return _judge_right(grader, number, missing)
    return _judge_wrong(grader, number, value, unit_text if given is not None else None, missing)


def _case_hint(student_unit: str, unit: str) -> bool:
    """True when the student's unit differs from the part's only by letter case."""
    return bool(unit) and student_unit != unit and student_unit.lower() == unit.lower()


def _judge_right(grader: _Grader, number: ParsedNumber, missing: bool) -> PartResult:
    """The verdict on a value within tolerance: full credit unless units or digits are off."""
    options, label = grader.options, grader.unit_label
    if missing and options["missing_unit"] != "accept":
        score = options["missing_unit_credit"] if options["missing_unit"] == "partial" else 0.0
        return grader.result(score, fb.UNITS_MISSING_WRONG.format(unit=label), "units.missing")
    figures = grader.tolerance.sigfigs
    if figures is not None and not number.sigfigs_min <= figures <= number.sigfigs_max:
        written = (f"{number.sigfigs_min}" if number.sigfigs_min == number.sigfigs_max
                   else f"{number.sigfigs_min} to {number.sigfigs_max}")
        rounded = fb.format_value(_round_sig(grader.target, figures), figures)
        message = fb.SIGFIGS_WRONG_DIGITS.format(sigfigs=figures, written=written,
                                                 expected=f"{rounded} {label}".strip())
        return grader.result(options["sigfigs_credit"], message, "sigfigs.wrong_digits")
    if missing:
        message = fb.CORRECT_UNITS_MISSING.format(expected=grader.display, unit=label)
        return grader.result(1.0, message, "units.missing", correct=True)
    return grader.result(1.0, fb.CORRECT.format(expected=grader.display), "correct",
                         correct=True)


def _judge_wrong(grader: _Grader, number: ParsedNumber, value: float, unit_text: str | None,
                 missing: bool) -> PartResult:
    """Name what is wrong: the unit's case or scale, a named mistake, a factor 1000, the sign,
    or else how far off the value is."""
    options, label, target = grader.options, grader.unit_label, grader.target
    loose = grader.tolerance.loose()
    magnitude_right = loose.close(number.value, target)
    if unit_text is not None and unit_text != label:
        credit = options["wrong_scale_credit"] if magnitude_right else 0.0
        if _case_hint(unit_text, label):
            meaning = f"{parse_unit(unit_text).unit}"  # type: ignore[union-attr]
            message = fb.UNITS_CASE.format(student_unit=unit_text, unit=label, meaning=meaning)
            return grader.result(credit, message, "units.case")
        if magnitude_right:
            message = fb.UNITS_WRONG_SCALE.format(student_unit=unit_text, unit=label,
                                                  value=fb.format_value(number.value),
                                                  converted=fb.format_value(value))
            return grader.result(credit, message, "units.wrong_scale")
    extra = ("units.missing",) if missing else ()
    also = " Also write the unit." if missing else ""
    for name, wrong_value in options["mistakes"].items():
        if isinstance(wrong_value, numbers.Real) and loose.close(value, float(wrong_value)):
            known = fb.MISTAKES.get(name)
            message = (known.message_for(options["solver"]) if known else
                       f"Your value matches a common mistake ({name}); check your computation.")
            return grader.result(0.0, message + also, f"mistake.{name}", extra=extra)
    ratio = value / target if target else math.inf
    for factor in (1e3, 1e-3, -1e3, -1e-3):
        if loose.close(ratio, factor):
            flipped = " The sign is wrong too." if factor < 0 else ""
            if grader.target_unit.dimensionality == expected_unit("V").dimensionality:
                message = fb.MISTAKES["volts_for_millivolts"].message
                note = "mistake.volts_for_millivolts"
            else:
                size = "1000 times" if abs(factor) > 1 else "1/1000 of"
                message, note = fb.FACTOR_1000.format(factor=size), "scale.factor_1000"
            return grader.result(0.0, message + flipped + also, note, extra=extra)
    if loose.close(-value, target):
        return grader.result(0.0, fb.SIGN_FLIPPED + also, "sign.flipped", extra=extra)
    message = fb.VALUE_WRONG.format(deviation=fb.describe_deviation(value, target))
    return grader.result(0.0, message + also, "value.incorrect", extra=extra)
