"""Units of the package's own data (scenarios, errata, problem files): one pint registry, and
conversion to and from SI.

Every unit met here is affine in SI (``si = scale * x + offset``; only degC has an offset), so pint
is asked once per unit string for its ``(scale, offset)`` and conversions are plain arithmetic.
Student text never comes here: :mod:`membranelab.grading.units` checks it first.
"""

from __future__ import annotations

import re
import tokenize
from functools import cache
from types import MappingProxyType
from typing import Any

__all__ = ["PINT_ERRORS", "UNIT_NAMES_SHOWN", "ureg", "is_dimensionless", "pint_spelling",
           "unit_factors", "to_si", "from_si", "unit_text", "checked_unit", "dimensionality"]

#: What pint raises on a malformed or unknown unit string (pint's own errors subclass ValueError,
#: TypeError or AttributeError; its parser also lets through these builtins and tokenize's error;
#: found by feeding it 20,000 random strings).  Catch these, not ``Exception``, around pint.
PINT_ERRORS: tuple[type[Exception], ...] = (
    ValueError, TypeError, AttributeError, AssertionError, ArithmeticError, LookupError,
    SyntaxError, tokenize.TokenError,
)

_DIMENSIONLESS = (None, "", "1", "dimensionless")


def is_dimensionless(unit: str | None) -> bool:
    """Whether ``unit`` names a pure number (None, '', '1' or 'dimensionless')."""
    return unit in _DIMENSIONLESS or (isinstance(unit, str) and unit.strip() in _DIMENSIONLESS)


#: How a unit name of the bank's files (pint's spelling) is shown to a reader, where it differs.
UNIT_NAMES_SHOWN = MappingProxyType({
    "degC": "°C", "degF": "°F", "ohm": "Ω", "kohm": "kΩ", "Mohm": "MΩ", "Gohm": "GΩ",
    "uM": "µM", "um": "µm", "us": "µs", "uF": "µF", "uA": "µA", "uV": "µV", "uS": "µS",
    "uW": "µW", "uC": "µC", "ug": "µg", "uL": "µL", "umol": "µmol", "angstrom": "Å",
})
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def unit_text(unit: str | None) -> str:
    """A unit as a reader sees it (text, figures, pages): ``degC`` -> °C, ``uF/cm**2`` ->
    µF/cm², ``J/(K*s)`` -> J/(K·s); a pure number ('', None, 'dimensionless') -> ''."""
    if unit is None or is_dimensionless(unit):
        return ""
    text = re.sub(r"[A-Za-z]+", lambda m: UNIT_NAMES_SHOWN.get(m.group(0), m.group(0)), unit)
    text = re.sub(r"\*\*(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    return text.replace("*", "·")


# What a unit string of the package's data may hold before pint sees it (pint evaluates
# arithmetic: '10**10**10 * mM' would never return): names, * / · and parentheses, powers of one
# or two digits after a name or ')', '%', and a leading '1/'.
_UNIT_TOKEN = re.compile(r"\s+|[A-Za-zµμΩ°][A-Za-zµμΩ°_]*|(?:\*\*|\^)\(?-?[0-9]{1,2}\)?|[*/·()%]|1(?=\s*/)")


def checked_unit(unit: str) -> str:
    """``unit`` unchanged when it is only names, operators and small powers (ValueError naming it
    otherwise): the allow-list students' units also pass, applied to the bank's own."""
    position, previous = 0, ""
    while position < len(unit):
        match = _UNIT_TOKEN.match(unit, position)
        token = match.group() if match else ""
        tower = token[:1] in ("*", "^") and token not in ("*",) and previous[:1] in ("*", "^")
        if not token or tower:
            raise ValueError(f"unit {unit!r} is not a unit expression (names, *, /, parentheses "
                             f"and powers up to 99 only; {unit[position:position + 10]!r} is not)")
        position = match.end()  # type: ignore[union-attr]
        if token.strip():
            previous = token
    return unit


@cache
def ureg() -> Any:
    """The package's pint UnitRegistry, created once (0.3 s; 0.05 s from the cache of what pint
    parsed, :mod:`membranelab.physics.unitcache`)."""
    import pint

    from .unitcache import registry

    return registry(pint.__version__, lambda folder: pint.UnitRegistry(
        autoconvert_offset_to_baseunit=True, cache_folder=folder))


def pint_spelling(unit: str) -> str:
    """mM -> mmol/L, um -> micrometer, µ -> u (pint reads 'um' as something else)."""
    unit = re.sub(r"\bmM\b", "mmol/L", unit)
    unit = re.sub(r"\bum\b", "micrometer", unit)
    return unit.replace("µ", "u")


@cache
def unit_factors(unit: str | None) -> tuple[float, float]:
    """(scale, offset) with ``si = scale * x + offset``; ValueError for a unit pint does not know."""
    if unit is None or is_dimensionless(unit):
        return 1.0, 0.0
    checked_unit(unit)
    try:
        zero = ureg().Quantity(0.0, pint_spelling(unit)).to_base_units().magnitude
        one = ureg().Quantity(1.0, pint_spelling(unit)).to_base_units().magnitude
    except PINT_ERRORS as exc:  # pint raises several error types; callers want one
        raise ValueError(f"unknown unit {unit!r} ({type(exc).__name__})") from None
    if one == zero:
        raise ValueError(f"unit {unit!r} has a zero scale")
    return float(one - zero), float(zero)


@cache
def dimensionality(unit: str | None) -> Any:
    """pint's dimensionality of ``unit`` (``mV`` -> [mass]·[length]²/([current]·[time]³); a pure
    number -> the empty one); ValueError for a unit pint does not know.  The result multiplies,
    divides, takes powers and compares equal as dimensions do."""
    if unit is None or is_dimensionless(unit):
        return ureg().Quantity(1.0).dimensionality
    checked_unit(unit)
    try:
        return ureg().Quantity(1.0, pint_spelling(unit)).dimensionality
    except PINT_ERRORS as exc:
        raise ValueError(f"unknown unit {unit!r} ({type(exc).__name__})") from None


def to_si(value: Any, unit: str | None = None) -> float:
    """``value`` in ``unit`` (or a ``[value, unit]`` pair) as an SI float.

    Temperatures in degC become kelvin, mM becomes mol/m^3; 'dimensionless' or None leaves the
    number as it is.
    """
    if unit is None and isinstance(value, (list, tuple)):
        value, unit = value
    scale, offset = unit_factors(unit)
    return scale * float(value) + offset


def from_si(value: float, unit: str | None) -> float:
    """An SI float expressed in ``unit``."""
    scale, offset = unit_factors(unit)
    return (float(value) - offset) / scale
