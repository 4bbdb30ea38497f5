"""Goldman-Hodgkin-Katz (constant-field) voltage equation for monovalent ions."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, IonValues, as_ion_arrays, scalar_or_array
from .nernst import thermal_voltage

__all__ = ["ghk_voltage"]


def ghk_voltage(permeabilities: IonValues, c_out: IonValues, c_in: IonValues,
                valences: IonValues, temperature: npt.ArrayLike) -> FloatOrArray:
    """Resting potential at zero net current through constant-field channels.

    V = RT/F ln( (sum_cations P [X]out + sum_anions P [X]in) / (sum_cations P [X]in + sum_anions P [X]out) )

    Parameters
    ----------
    permeabilities : mapping ion -> float, or sequence; any one unit (only ratios matter), >= 0,
        at least one > 0
    c_out, c_in : same keys/length as ``permeabilities``; any one concentration unit, > 0
    valences : same keys/length; +1 or -1 (the equation holds for monovalent ions only)
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, volts
    """
    p, co, ci, z = as_ion_arrays(
        permeabilities=permeabilities, c_out=c_out, c_in=c_in, valences=valences
    )
    if np.any(p < 0) or not np.all(np.any(p > 0, axis=0)):
        raise ValueError(f"permeabilities must be >= 0 with at least one > 0, got {permeabilities!r}")
    if np.any(co <= 0):
        raise ValueError(f"c_out must be > 0, got {c_out!r}")
    if np.any(ci <= 0):
        raise ValueError(f"c_in must be > 0, got {c_in!r}")
    if not np.all((z == 1) | (z == -1)):
        raise ValueError(f"valences must each be +1 or -1 (monovalent ions), got {valences!r}")
    cation = z > 0
    numerator = np.sum(np.where(cation, p * co, p * ci), axis=0)
    denominator = np.sum(np.where(cation, p * ci, p * co), axis=0)
    result = thermal_voltage(temperature) * np.log(numerator / denominator)
    return scalar_or_array(result)
