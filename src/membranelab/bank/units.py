"""Unit factors for the bank: pint once per unit string, plain arithmetic afterwards.

Every unit the bank meets is affine in SI (``si = scale * x + offset``; only degC has an offset),
so one pair of floats per unit replaces pint in the hot loops of sampling and grading.
"""

from __future__ import annotations

from functools import cache

from membranelab.physics.units import to_si

__all__ = ["unit_factors", "to_si_fast", "from_si"]


@cache
def unit_factors(unit: str | None) -> tuple[float, float]:
    """(scale, offset) with ``si = scale * x + offset``; raises ValueError for an unknown unit."""
    if unit is None or unit in ("", "1", "dimensionless"):
        return 1.0, 0.0
    try:
        offset = to_si(0.0, unit)
        scale = to_si(1.0, unit) - offset
    except Exception as exc:  # pint raises several error types; callers want one
        raise ValueError(f"unknown unit {unit!r} ({type(exc).__name__})") from None
    if scale == 0.0:
        raise ValueError(f"unit {unit!r} has a zero scale")
    return scale, offset


def to_si_fast(value: float, unit: str | None) -> float:
    """``value`` in ``unit`` as an SI float."""
    scale, offset = unit_factors(unit)
    return scale * float(value) + offset


def from_si(value: float, unit: str | None) -> float:
    """An SI float expressed in ``unit``."""
    scale, offset = unit_factors(unit)
    return (float(value) - offset) / scale
