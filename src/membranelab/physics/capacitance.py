"""Membrane charge: how few ions it takes to charge the membrane capacitor."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, finite, nonzero, positive, scalar_or_array
from .constants import E_CHARGE, N_A

__all__ = ["sphere_area", "sphere_volume", "membrane_charge", "stored_energy", "ions_to_charge",
           "IonCount"]



def sphere_area(radius: npt.ArrayLike) -> FloatOrArray:
    """Surface 4 pi r^2 of a spherical cell. radius: metres (> 0). Returns m^2."""
    r = positive("radius", radius)
    return scalar_or_array(4.0 * np.pi * r**2)


def sphere_volume(radius: npt.ArrayLike) -> FloatOrArray:
    """Volume 4/3 pi r^3 of a spherical cell. radius: metres (> 0). Returns m^3."""
    r = positive("radius", radius)
    return scalar_or_array(4.0 / 3.0 * np.pi * r**3)


def membrane_charge(capacitance: npt.ArrayLike, vm: npt.ArrayLike) -> FloatOrArray:
    """Charge on the membrane capacitor, Q = C V.

    Parameters
    ----------
    capacitance : float or array, farads (> 0)
    vm : float or array, volts

    Returns
    -------
    float or array, coulombs (sign of vm: the charge on the inner face)
    """
    c = positive("capacitance", capacitance)
    return scalar_or_array(c * finite("vm", vm))


def stored_energy(capacitance: npt.ArrayLike, vm: npt.ArrayLike) -> FloatOrArray:
    """Energy stored on the membrane capacitor, U = C V^2 / 2 (the work of charging it).

    Parameters
    ----------
    capacitance : float or array, farads (> 0)
    vm : float or array, volts

    Returns
    -------
    float or array, joules (>= 0)
    """
    c = positive("capacitance", capacitance)
    return scalar_or_array(0.5 * c * finite("vm", vm) ** 2)


class IonCount(tuple[FloatOrArray, FloatOrArray]):
    """(count, fraction): ions moved, and that number as a fraction of the cell's content."""

    __slots__ = ()

    def __new__(cls, count: FloatOrArray, fraction: FloatOrArray) -> IonCount:
        return super().__new__(cls, (count, fraction))

    @property
    def count(self) -> FloatOrArray:  # type: ignore[override]  # the public name hides tuple.count
        """Number of ions (dimensionless)."""
        return self[0]

    @property
    def fraction(self) -> FloatOrArray:
        """Ions moved / ions of that species in the cell (dimensionless)."""
        return self[1]


def ions_to_charge(capacitance: npt.ArrayLike, vm: npt.ArrayLike, z: npt.ArrayLike = 1,
                   concentration: npt.ArrayLike | None = None,
                   volume: npt.ArrayLike | None = None) -> IonCount:
    """Ions that must cross to charge the membrane to ``vm``, and their share of the cell's content.

    Parameters
    ----------
    capacitance : float, farads (> 0)
    vm : float, volts
    z : int, valence of the ion that carries the charge (non-zero)
    concentration : float, mol/m^3 (= mM), the ion's concentration inside (> 0); optional
    volume : float, m^3, the cell's volume (> 0); optional

    Returns
    -------
    IonCount(count, fraction): count |Q| / (|z| e); fraction count / (c V N_A), or nan when
    concentration or volume is not given.
    """
    q = np.abs(membrane_charge(capacitance, vm))
    zz = np.abs(nonzero("z", z))
    count = q / (zz * E_CHARGE)
    if concentration is None or volume is None:
        fraction = np.nan
    else:
        content = positive("concentration", concentration) * positive("volume", volume) * N_A
        fraction = count / content
    return IonCount(scalar_or_array(count), scalar_or_array(fraction))
