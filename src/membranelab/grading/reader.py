"""Reading a numeric answer as a quantity of a part's unit, nothing judged: the grader's parse
phase for numbers (:func:`read_quantity` -> :class:`ParsedQuantity`).

Pipeline (each step a function): :func:`~.numbers.as_text` (any object -> text or a refusal)
-> length bound -> ``tokens.normalize`` -> :func:`~.numbers.split_number` (our regex reads the
number, so pint never parses arithmetic) -> a bracketed remark dropped (:func:`without_remark`)
-> ``units.parse_unit`` on the rest (a case slip forgiven when exactly one unit of the part's
dimension matches) -> converted to the part's unit (pint Quantity for offset units such as °C).

Nothing expected is known here: the same reading serves the live preview, the notebook's
read-back and the verdict (:func:`membranelab.grading.quantity.judge_quantity`), so an answer is
read once.  What cannot be read is a :class:`QuantityRefusal` inside the reading, never an
exception.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from membranelab.physics.units import PINT_ERRORS, is_dimensionless, ureg

from .limits import DEFAULT_LIMITS, Limits
from .numbers import ParsedNumber, as_text, blank_final_period, split_number, tidy_quantity
from .tokens import Refusal, blank_assignment, normalize, pointer
from .units import (
    UnitFailure,
    UnitSuccess,
    conversion_factor,
    dimension_key,
    expected_unit,
    parse_unit,
    unit_by_case,
    unit_long_name,
)

__all__ = ["ParsedQuantity", "QuantityRefusal", "read_quantity", "unit_label",
           "without_remark"]

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class QuantityRefusal:
    """Why an answer gives no value in the part's unit: the catalog ``key``, the result's
    ``note`` and ``params``; ``readable`` False when nothing could be read (it costs no try),
    True for a number read in a unit of another quantity (wrong whatever the reference)."""

    key: str
    note: str
    params: Mapping[str, Any] = field(default_factory=dict)
    readable: bool = False


@dataclass(frozen=True)
class ParsedQuantity:
    """A student's answer read for a part's ``unit``, nothing judged.

    ``text``: the answer as the result keeps it ("" when refused for its length); ``number``:
    the number as written (:class:`~.numbers.ParsedNumber`); ``unit_text``: the unit as
    written ("" for none); ``given``: the pint unit it was read as (None: none written);
    ``value``: the number in the part's unit; ``found``: what the result's ``reading`` holds
    (value, unit, figures, student_unit, unit_name, written, unit_tex); ``notes`` and ``also``:
    how it was read (a decimal comma, a remark ignored, a unit's case fixed) and the sentences
    that say so; ``refusal``: why there is no value (None when there is one).
    """

    unit: str
    text: str
    number: ParsedNumber | None = None
    unit_text: str = ""
    given: Any = None
    value: float | None = None
    found: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    also: tuple[Any, ...] = ()
    refusal: QuantityRefusal | None = None

    def message(self) -> tuple[str, dict[str, Any]]:
        """The refusal's catalog key and parameters as a result says them (the reading's
        ``also`` sentences first); ("", {}) when there is a value."""
        if self.refusal is None:
            return "", {}
        params = dict(self.refusal.params)
        also = [*self.also, *params.get("also", [])]
        if also:
            params["also"] = also
        return self.refusal.key, params


def unit_label(unit: str) -> str:
    """The part's unit as results name it ("" for a pure number)."""
    label = unit.strip()
    return "" if is_dimensionless(label) else label


def _example(label: str) -> str:
    """A model answer's form for the part's unit (the number is not the answer)."""
    return f"1.5 {label}" if label else "1.5"


def _unit_advice(label: str) -> dict[str, Any]:
    """"Write the answer with a unit such as mV" (or "...without a unit" for a pure number)."""
    return {"msg": "units.use_unit", "unit": label} if label else {"msg": "units.no_unit_expected"}


def _incompatible(label: str, target_unit: Any, unit_text: str, given: Any) -> QuantityRefusal:
    """A unit of another quantity: say what it was read as and what the answer is."""
    params: dict[str, Any] = {"student_unit": unit_text, "read": unit_long_name(given),
                              "unit": label}
    if not label:
        key = "units.incompatible_pure"
    elif dimension_key(given) == "dimension.other":
        key = "units.incompatible_other"
        params["dimension"] = {"msg": dimension_key(target_unit)}
    else:
        key = "units.incompatible"
        params.update(student_dimension={"msg": dimension_key(given)},
                      dimension={"msg": dimension_key(target_unit)})
    return QuantityRefusal(key, "units.incompatible", params, readable=True)


def read_quantity(answer: object, unit: str, *, limits: Limits = DEFAULT_LIMITS
                  ) -> ParsedQuantity:
    """``answer`` read as a quantity of ``unit`` (the bank's spelling); never raises on the
    answer."""
    label = unit_label(unit)
    text = ""
    try:
        text = as_text(answer)
        if len(text) > limits.max_quantity_length:
            raise Refusal("answer.too_long", 0, "limits.too_long",
                          {"length": len(text), "limit": limits.max_quantity_length})
        folded = normalize(text)
        normalized = blank_final_period(tidy_quantity(blank_assignment(folded)))
        number = split_number(normalized, limits, example=_example(label))
    except Refusal as refusal:
        shown = text if len(text) <= limits.max_quantity_length else ""
        params = dict(refusal.params)
        if shown:
            params["pointer"] = pointer(normalize(shown), refusal.offset)
        return ParsedQuantity(unit, shown, refusal=QuantityRefusal(
            refusal.key, refusal.note, params))
    notes: list[str] = []
    also: list[Any] = []
    if number.decimal_comma:
        notes.append("number.decimal_comma")
        also.append({"msg": "also.decimal_comma", "number": number.decimal_comma})
    unit_text = normalized[number.end :].strip()
    unit_offset = len(normalized) - len(normalized[number.end :].lstrip())
    without = without_remark(unit_text)
    if without is not None:
        unit_text = without
        notes.append("answer.remark_ignored")
        also.append({"msg": "also.remark_ignored"})
    return _read_unit(unit, label, text, number, unit_text, unit_offset, notes, also)


def _read_unit(unit: str, label: str, text: str, number: ParsedNumber, unit_text: str,
               unit_offset: int, notes: list[str], also: list[Any]) -> ParsedQuantity:
    """Read the unit (a case slip is forgiven when exactly one unit of the answer's dimension
    matches) and convert the number to the part's unit."""
    target_unit = expected_unit(unit)

    def refused(refusal: QuantityRefusal) -> ParsedQuantity:
        return ParsedQuantity(unit, text, number, unit_text, notes=tuple(notes),
                              also=tuple(also), refusal=refusal)

    given = None
    if unit_text:
        parsed = parse_unit(unit_text)
        if isinstance(parsed, UnitFailure) or (
                parsed.unit.dimensionality != target_unit.dimensionality):
            fixed = unit_by_case(unit_text, target_unit, label)
            if fixed is not None:
                notes.append("units.case_fixed")
                also.append({"msg": "also.unit_case", "student_unit": unit_text,
                             "unit": fixed.text})
                parsed = fixed.parsed
        if isinstance(parsed, UnitFailure):
            params = {"problem": {"msg": parsed.key, **parsed.params},
                      "advice": _unit_advice(label),
                      "pointer": pointer(normalize(text), unit_offset + parsed.offset)}
            return refused(QuantityRefusal("units.unknown", parsed.note, params))
        given = parsed.unit
        if given.dimensionality != target_unit.dimensionality:
            return refused(_incompatible(label, target_unit, unit_text, given))
    factor = (1.0 if given is None or given is target_unit
              else conversion_factor(given, target_unit))
    try:
        value = (number.value * factor if factor is not None else
                 float(ureg().Quantity(number.value, given).to(target_unit).magnitude))
    except PINT_ERRORS:  # pint offset-unit corner cases: refuse, never crash
        log.warning("cannot convert %r to %r", unit_text, label, exc_info=True)
        return refused(QuantityRefusal("units.cannot_convert", "units.incompatible",
                                       {"student_unit": unit_text, "unit": label},
                                       readable=True))
    if not math.isfinite(value):
        return refused(QuantityRefusal("units.out_of_range", "limits.too_large",
                                       {"unit": label}, readable=True))
    name, tex = _unit_names(given) if given is not None else ("", "")
    found = {"value": value, "unit": label, "figures": number.sigfigs_max,
             "student_unit": unit_text if given is not None else "",
             "unit_name": name, "written": number.value, "unit_tex": tex}
    return ParsedQuantity(unit, text, number, unit_text, given, value, found,
                          tuple(notes), tuple(also))


@lru_cache(maxsize=512)
def _unit_names(given: Any) -> tuple[str, str]:
    """(pint's name of a unit, its LaTeX symbol): formatting a unit costs more than reading
    the rest of an answer, and students write few units."""
    return str(given), format(given, "~L")


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
