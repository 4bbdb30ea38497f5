"""Conversion of [number, unit] data pairs to SI floats with pint (one registry for the package)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["ureg", "to_si", "si_unit"]


@lru_cache(maxsize=1)
def ureg():
    """The package's pint UnitRegistry, created once (it takes ~0.3 s)."""
    import pint

    registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    return registry


def to_si(value: Any, unit: str | None = None) -> float:
    """Convert ``value`` in ``unit`` (or a ``[value, unit]`` pair) to a float in SI base units.

    Temperatures (degC) become kelvin; mM becomes mol/m^3; 'dimensionless' or None leaves the
    number as it is.
    """
    if unit is None and isinstance(value, (list, tuple)):
        value, unit = value
    if unit is None or unit in ("", "dimensionless", "1"):
        return float(value)
    q = ureg().Quantity(float(value), _normalise(unit))
    return float(q.to_base_units().magnitude)


def si_unit(unit: str) -> str:
    """The SI base unit that :func:`to_si` converts ``unit`` to, as a string."""
    q = ureg().Quantity(1.0, _normalise(unit))
    return f"{q.to_base_units().units:~}"


def _normalise(unit: str) -> str:
    return unit.replace("mM", "mmol/L").replace("um", "micrometer").replace("µ", "u")
