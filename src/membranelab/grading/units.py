"""Unit strings from students: whitelist tokens, then pint (which never sees arithmetic).

The answer's unit text is split into tokens (names, ``*``, ``/``, ``·``, ``^``/``**`` with a small
integer exponent, parentheses, spaces, superscript exponents); each name is mapped to pint's
spelling (``µ``/``μ`` -> ``u``, ``Ω`` -> ``ohm``, ``°C`` -> ``degC``) and looked up in the
package's single pint registry; only then is the sanitized string given to pint, through an
``lru_cache``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from membranelab.physics.units import ureg

from .tokens import SUPERSCRIPT_DIGITS

__all__ = ["UnitFailure", "UnitSuccess", "dimension_name", "expected_unit", "parse_unit"]

# Why each token is safe: names are letters only (plus the micro, ohm and degree signs) and are
# looked up in pint's registry one by one; exponents are one or two digits; the operators are
# those of a unit expression; nothing else (digits elsewhere, quotes, dots, '+') is accepted.
_UNIT_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<name>(?:°[CF]|℃|[A-Za-zµμΩ])[A-Za-zµμΩ]*)"
    r"|(?P<power>(?:\^|\*\*)\s*(?:\(\s*-?[0-9]{1,2}\s*\)|-?[0-9]{1,2})|[⁻]?[¹²³⁴])"
    r"|(?P<op>[*/·()])"
    r"|(?P<percent>%)",
)

_ALIASES = {"°C": "degC", "℃": "degC", "°F": "degF", "Ω": "ohm", "%": "percent"}


@dataclass(frozen=True)
class UnitSuccess:
    """A parsed unit: the pint Unit and the names the student wrote (pint spelling)."""

    unit: Any
    names: tuple[str, ...]
    sanitized: str


@dataclass(frozen=True)
class UnitFailure:
    """A unit that could not be read: message, offset in the unit text, note, the bad name."""

    message: str
    offset: int
    note: str
    name: str = ""


def _pint_name(name: str) -> str:
    """A student's unit name in pint's spelling."""
    if name in _ALIASES:
        return _ALIASES[name]
    name = name.replace("µ", "u").replace("μ", "u")
    if name.endswith("Ω"):
        name = name[:-1] + "ohm"
    return name


def _known(name: str) -> bool:
    registry = ureg()
    try:
        return name in registry
    except Exception:  # noqa: BLE001 - pint may raise anything on odd names: not a unit
        return False


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> UnitSuccess | UnitFailure:
    """Parse a student's unit string (cached); never raises."""
    pieces: list[str] = []
    names: list[str] = []
    position = 0
    while position < len(text):
        match = _UNIT_TOKEN_RE.match(text, position)
        if match is None:
            ch = text[position]
            return UnitFailure(
                f"The character {ch!r} cannot be part of a unit.",
                position, "units.unknown", "")
        kind, token = match.lastgroup, match.group()
        if kind == "name":
            if "°" in token[1:] or token == "°":
                return UnitFailure(f"{token} is not a unit I know.", position,
                                   "units.unknown", token)
            name = _pint_name(token)
            if not _known(name):
                return UnitFailure(f"{token} is not a unit.", position, "units.unknown", token)
            pieces.append(name)
            names.append(name)
        elif kind == "percent":
            pieces.append("percent")
            names.append("percent")
        elif kind == "power":
            exponent = token.translate(SUPERSCRIPT_DIGITS).lstrip("^*").strip(" ()")
            if not pieces or pieces[-1] in ("*", "/", "(", ")") or pieces[-1].startswith("**"):
                # Only a unit name takes an exponent: no towers (mV**9**9**9) for pint to compute.
                return UnitFailure("An exponent must follow a unit name.",
                                   position, "units.unknown")
            pieces.append(f"**{int(exponent)}")
        elif kind == "op":
            pieces.append("*" if token == "·" else token)
        position = match.end()
    sanitized = " ".join(pieces).replace(" **", "**")
    if not names:
        return UnitFailure("No unit found.", 0, "units.unknown")
    try:
        unit = ureg().parse_units(sanitized)
    except Exception:  # noqa: BLE001 - pint's errors are many; any of them means "not a unit"
        return UnitFailure(f"{text.strip()} is not a unit expression I can read.", 0,
                           "units.unknown")
    return UnitSuccess(unit, tuple(names), sanitized)


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


_DIMENSION_EXAMPLES = (
    ("V", "a voltage"), ("A", "a current"), ("S", "a conductance"), ("ohm", "a resistance"),
    ("F", "a capacitance"), ("C", "a charge"), ("J", "an energy"),
    ("J/mol", "an energy per mole"), ("W", "a power"), ("W/K", "an entropy rate (power per kelvin)"),
    ("K", "a temperature"), ("s", "a time"), ("m", "a length"), ("m**2", "an area"),
    ("m**3", "a volume"), ("mol/m**3", "a concentration"), ("mol", "an amount of substance"),
    ("dimensionless", "a pure number"), ("S/m**2", "a conductance per area"),
    ("F/m**2", "a capacitance per area"), ("A/m**2", "a current density"),
    ("m/s", "a velocity or permeability"), ("1/s", "a rate (per time)"), ("J/K", "an entropy"),
)


@lru_cache(maxsize=1)
def _dimension_names() -> dict[Any, str]:
    registry = ureg()
    return {registry.parse_units(unit).dimensionality: name for unit, name in _DIMENSION_EXAMPLES}


def dimension_name(unit: Any) -> str:
    """A physical quantity's name for a unit's dimension ('a voltage'), else its dimensionality."""
    dimensionality = unit.dimensionality
    return _dimension_names().get(dimensionality, f"of dimension {dimensionality}")
