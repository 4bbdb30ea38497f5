"""Unit strings from students: whitelist tokens, then pint (which never sees arithmetic).

The answer's unit text is split into tokens (names, ``*``, ``/``, ``·``, ``^``/``**`` with a small
integer exponent, parentheses, spaces, superscript exponents); each name is mapped to pint's
spelling (``µ``/``μ`` -> ``u``, ``Ω`` -> ``ohm``, ``°C`` -> ``degC``) and looked up in the
package's single pint registry; only then is the sanitized string given to pint, through an
``lru_cache``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from membranelab.messages import render_message
from membranelab.physics.units import PINT_ERRORS, ureg

from .tokens import SUPERSCRIPT_DIGITS
from .units_zh import CHINESE_UNITS, PER

__all__ = ["COMMON_UNITS", "COUNT_WORDS", "CaseFix", "UnitFailure", "UnitSuccess", "dimension_key",
           "dimension_name", "expected_unit", "parse_unit", "unit_by_case", "unit_long_name",
           "conversion_factor"]

# Why each token is safe: names are letters only (plus the micro, ohm and degree signs) and are
# looked up in pint's registry one by one; exponents are one or two digits; the operators are
# those of a unit expression; nothing else (digits elsewhere, quotes, dots, '+') is accepted.
_UNIT_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    # Chinese unit names (units_zh: a fixed table, longest first) and 每 ("per")
    r"|(?P<zh>" + "|".join(sorted(map(re.escape, CHINESE_UNITS), key=len, reverse=True)) + ")"
    rf"|(?P<per>{PER})"
    r"|(?P<name>(?:°[CF]|℃|[A-Za-zµμΩ])[A-Za-zµμΩ]*)"
    r"|(?P<power>(?:\^|\*\*)\s*(?:\(\s*-?[0-9]{1,2}\s*\)|-?[0-9]{1,2})|[⁻]?[¹²³⁴])"
    # kJ mol-1, cm2: an exponent written right after the name, as in SI tables
    r"|(?P<bare>-?[0-9]{1,2})"
    r"|(?P<op>[*/·()\[\]])"
    r"|(?P<percent>%)",
)

#: A hyphen between letters inside a unit name (milli-volt, pico-ampere) is dropped.
_NAME_HYPHEN_RE = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
#: Words that count things: a pure number's "unit" (5.49e6 ions); lower case.
COUNT_WORDS = frozenset({
    "ion", "ions", "molecule", "molecules", "particle", "particles", "charge", "charges",
    "elementary charge", "elementary charges", "个", "个离子", "离子", "个分子", "个电荷",
})

_ALIASES = {"°C": "degC", "℃": "degC", "°F": "degF", "Ω": "ohm", "%": "percent"}


@dataclass(frozen=True)
class UnitSuccess:
    """A parsed unit: the pint Unit and the names the student wrote (pint spelling)."""

    unit: Any
    names: tuple[str, ...]
    sanitized: str


@dataclass(frozen=True)
class UnitFailure:
    """A unit that could not be read: catalog key, offset in the unit text, note, the bad name,
    the message's parameters; ``message`` is the English sentence."""

    key: str
    offset: int
    note: str
    name: str = ""
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """The English sentence."""
        return render_message(self.key, self.params)


def _pint_name(name: str) -> str:
    """A student's unit name in pint's spelling."""
    if name in _ALIASES:
        return _ALIASES[name]
    name = name.replace("µ", "u").replace("μ", "u")
    if name.endswith("Ω"):
        name = name[:-1] + "ohm"
    return name


def _full_name(token: str) -> str | None:
    """A unit's full name in any case, singular or plural (MILLIVOLTS, Picofarad), in pint's
    spelling; None for anything else (symbols keep their case: mohm is not Mohm)."""
    if len(token) < 4 or not token.isalpha():
        return None
    lower = token.lower()
    registry = ureg()
    for name in (lower, lower[:-1] if lower.endswith("s") else "", lower[:-2]
                 if lower.endswith("es") else ""):
        try:
            if name and name in registry and registry.get_name(name) == name:
                return name
        except PINT_ERRORS:  # pint's errors on odd names (__class__, nan): not a unit
            continue
    return None


def _known(name: str) -> bool:
    registry = ureg()
    try:
        return name in registry
    except PINT_ERRORS:  # pint's parser fails on odd names: not a unit
        return False


@lru_cache(maxsize=256)
def _logarithmic(name: str) -> bool:
    """Whether pint defines ``name`` as a logarithmic unit (dB, Np, octave, decade...)."""
    registry = ureg()
    try:
        definition = registry._units[registry.get_name(name)]  # noqa: SLF001 - pint's table
        return bool(getattr(definition, "is_logarithmic", False))
    except PINT_ERRORS:  # pint's errors on odd names (KeyError included): not logarithmic
        return False


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> UnitSuccess | UnitFailure:
    """Parse a student's unit string (cached); never raises."""
    if " ".join(text.casefold().split()) in COUNT_WORDS:
        return UnitSuccess(ureg().dimensionless, ("count",), "dimensionless")
    text = _NAME_HYPHEN_RE.sub("", text)
    pieces: list[str] = []
    names: list[str] = []
    position = 0
    while position < len(text):
        match = _UNIT_TOKEN_RE.match(text, position)
        if match is None:
            ch = text[position]
            return UnitFailure("units.bad_character", position, "units.unknown", "",
                               {"char": repr(ch)})
        kind, token = match.lastgroup, match.group()
        if kind == "zh":
            pieces.append(CHINESE_UNITS[token])
            names.append(CHINESE_UNITS[token])
        elif kind == "per":
            pieces.append("/")
        elif kind == "name":
            if "°" in token[1:] or token == "°":
                return UnitFailure("units.not_known", position, "units.unknown", token,
                                   {"name": token})
            name = _pint_name(token)
            if not _known(name):
                name = _full_name(token) or name
            if not _known(name):
                return UnitFailure("units.not_a_unit", position, "units.unknown", token,
                                   {"name": token})
            if _logarithmic(name):
                return UnitFailure("units.logarithmic", position, "units.unknown", token,
                                   {"name": token})
            pieces.append(name)
            names.append(name)
        elif kind == "percent":
            pieces.append("percent")
            names.append("percent")
        elif kind == "power":
            exponent = token.translate(SUPERSCRIPT_DIGITS).lstrip("^*").strip(" ()")
            if not pieces or pieces[-1] in ("*", "/", "(", ")") or pieces[-1].startswith("**"):
                # Only a unit name takes an exponent: no towers (mV**9**9**9) for pint to compute.
                return UnitFailure("units.exponent_position", position, "units.unknown")
            pieces.append(f"**{int(exponent)}")
        elif kind == "bare":
            if position == 0 or not text[position - 1].isalpha() or not pieces or (
                    pieces[-1] in ("*", "/", "(", ")") or pieces[-1].startswith("**")):
                return UnitFailure("units.bad_character", position, "units.unknown", "",
                                   {"char": repr(token[0])})
            pieces.append(f"**{int(token)}")
        elif kind == "op":
            pieces.append({"·": "*", "[": "(", "]": ")"}.get(token, token))
        position = match.end()
    sanitized = " ".join(pieces).replace(" **", "**")
    if not names:
        return UnitFailure("units.none_found", 0, "units.unknown")
    try:
        unit = ureg().parse_units(sanitized)
    except PINT_ERRORS:  # pint's errors are many; any of them means "not a unit"
        return UnitFailure("units.unreadable", 0, "units.unknown", "", {"text": text.strip()})
    return UnitSuccess(unit, tuple(names), sanitized)


#: Units students write in this course, by quantity: a unit symbol in the wrong case is read as
#: the one unit of the answer's dimension among these (and the part's own unit) that matches
#: it case-insensitively, if there is exactly one (mv is mV; MV is a valid megavolt).
COMMON_UNITS: tuple[str, ...] = (
    "V", "mV", "uV", "A", "mA", "uA", "nA", "pA", "fA", "S", "mS", "uS", "nS", "pS",
    "F", "uF", "nF", "pF", "fF", "C", "mC", "uC", "nC", "pC", "fC", "ohm", "kohm", "Mohm",
    "Gohm", "J", "kJ", "J/mol", "kJ/mol", "W", "mW", "uW", "nW", "pW", "fW", "W/K", "K", "degC",
    "s", "ms", "us", "m", "cm", "mm", "um", "nm", "m**2", "cm**2", "um**2", "mol", "mmol",
    "mM", "uM", "nM", "mol/m**3", "mol/L", "Hz", "1/s",
)


@dataclass(frozen=True)
class CaseFix:
    """A unit read case-insensitively: the unit's usual spelling and its parse."""

    text: str
    parsed: UnitSuccess


def _fold(text: str) -> str:
    return text.strip().replace("µ", "u").replace("μ", "u").replace("^", "**").lower()


@lru_cache(maxsize=1024)
def unit_by_case(text: str, target: Any, label: str) -> CaseFix | None:
    """The one unit of ``target``'s dimension (among :data:`COMMON_UNITS` and ``label``) that
    ``text`` spells up to letter case, or None when there is none or more than one."""
    folded = _fold(text)
    matches: dict[str, UnitSuccess] = {}
    for candidate in (label, *COMMON_UNITS):
        if not candidate or _fold(candidate) != folded:
            continue
        parsed = parse_unit(candidate)
        if isinstance(parsed, UnitSuccess) and (
                parsed.unit.dimensionality == target.dimensionality):
            matches.setdefault(str(parsed.unit), parsed)
            matches[str(parsed.unit)] = parsed
            display = candidate
    if len(matches) != 1:
        return None
    return CaseFix(label if _fold(label) == folded else display, next(iter(matches.values())))


@lru_cache(maxsize=256)
def expected_unit(text: str) -> Any:
    """The pint Unit of a part's (trusted) unit string; '' and 'dimensionless' are pure numbers.

    Raises ``ValueError`` naming the string if it is not a unit (a problem-file error).
    """
    if text.strip() in ("", "1", "dimensionless"):
        return ureg().dimensionless
    parsed = parse_unit(text)
    if isinstance(parsed, UnitFailure):
        raise ValueError(f"unit {text!r} of the part is not a unit: {parsed.message}")
    return parsed.unit


# (unit, catalog key of the quantity's name): "a voltage" is dimension.voltage.
_DIMENSION_EXAMPLES = (
    ("V", "voltage"), ("A", "current"), ("S", "conductance"), ("ohm", "resistance"),
    ("F", "capacitance"), ("C", "charge"), ("J", "energy"), ("J/mol", "molar_energy"),
    ("W", "power"), ("W/K", "entropy_rate"), ("K", "temperature"), ("s", "time"),
    ("m", "length"), ("m**2", "area"), ("m**3", "volume"), ("mol/m**3", "concentration"),
    ("mol", "amount"), ("dimensionless", "pure_number"), ("S/m**2", "conductance_per_area"),
    ("F/m**2", "capacitance_per_area"), ("A/m**2", "current_density"), ("m/s", "velocity"),
    ("1/s", "rate"), ("J/K", "entropy"),
)


@lru_cache(maxsize=1)
def _dimension_keys() -> dict[Any, str]:
    registry = ureg()
    return {registry.parse_units(unit).dimensionality: f"dimension.{key}"
            for unit, key in _DIMENSION_EXAMPLES}


@lru_cache(maxsize=1024)
def conversion_factor(given: Any, target: Any) -> float | None:
    """The factor converting values in ``given`` to ``target`` when the conversion is a pure
    product (no offset, as between °C and K), else None; cached per pair of units."""
    registry = ureg()
    try:
        one, two = (float(registry.Quantity(x, given).to(target).magnitude) for x in (1.0, 2.0))
        zero = float(registry.Quantity(0.0, given).to(target).magnitude)
    except PINT_ERRORS:  # pint offset-unit corner cases: convert one by one
        return None
    return one if zero == 0.0 and math.isclose(two, 2 * one, rel_tol=1e-12) else None


@lru_cache(maxsize=1024)
def unit_long_name(unit: Any) -> str:
    """pint's long name of a unit ("meter * volt"), cached."""
    return f"{unit}"


def dimension_key(unit: Any) -> str:
    """The catalog key naming a unit's physical quantity (``dimension.voltage``), or
    ``dimension.other``: pint's dimensionality text never reaches a student."""
    return _dimension_keys().get(unit.dimensionality, "dimension.other")


def dimension_name(unit: Any, lang: str = "en") -> str:
    """A physical quantity's name for a unit's dimension ('a voltage')."""
    return render_message(dimension_key(unit), lang=lang)
