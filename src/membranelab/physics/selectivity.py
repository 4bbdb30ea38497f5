"""Selectivity of a channel from the difference of activation free energies (transition-state theory)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, finite, positive, scalar_or_array
from .constants import R

__all__ = ["permeability_ratio", "delta_delta_g_from_ratio"]



def permeability_ratio(delta_delta_g: npt.ArrayLike, temperature: npt.ArrayLike) -> FloatOrArray:
    """P_K / P_Na = exp(ddG / RT), with ddG = dG_Na - dG_K (barrier difference).

    Parameters
    ----------
    delta_delta_g : float or array, J/mol
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, dimensionless
    """
    ddg = finite("delta_delta_g", delta_delta_g)
    t = positive("temperature", temperature)
    return scalar_or_array(np.exp(ddg / (R * t)))


def delta_delta_g_from_ratio(ratio: npt.ArrayLike, temperature: npt.ArrayLike) -> FloatOrArray:
    """Inverse of :func:`permeability_ratio`: ddG = RT ln(P_K/P_Na).

    Parameters
    ----------
    ratio : float or array, dimensionless (> 0)
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, J/mol
    """
    r = positive("ratio", ratio)
    t = positive("temperature", temperature)
    return scalar_or_array(R * t * np.log(r))
