"""Nernst equilibrium potential of one ion species."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, nonzero, positive, scalar_or_array
from .constants import F, R

__all__ = ["nernst_potential", "thermal_voltage"]


def thermal_voltage(temperature: npt.ArrayLike) -> np.ndarray:
    """RT/F.

    Parameters
    ----------
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, volts
    """
    t = positive("temperature", temperature)
    return R * t / F


def nernst_potential(c_out: npt.ArrayLike, c_in: npt.ArrayLike, z: npt.ArrayLike,
                     temperature: npt.ArrayLike) -> FloatOrArray:
    """Equilibrium potential E = RT/(zF) ln(c_out/c_in), inside relative to outside.

    Parameters
    ----------
    c_out, c_in : float or array, any one concentration unit (both the same), > 0
    z : int or array, valence (non-zero; +1 for K+, -1 for Cl-, +2 for Ca2+)
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, volts
    """
    co = positive("c_out", c_out)
    ci = positive("c_in", c_in)
    zz = nonzero("z", z)
    result = thermal_voltage(temperature) / zz * np.log(co / ci)
    return scalar_or_array(result)
