"""Energetics of the non-equilibrium steady state: dissipated power and entropy production."""

from __future__ import annotations

import numpy as np

from ._checks import as_ion_arrays, finite, positive, scalar_or_array

__all__ = ["dissipated_power", "entropy_production_rate"]


def dissipated_power(conductances, reversal_potentials, vm):
    """Power dissipated by the passive leaks, P = sum g_i (V - E_i)^2.

    Parameters
    ----------
    conductances : mapping or sequence, siemens (>= 0)
    reversal_potentials : same keys/length, volts
    vm : float or array, volts

    Returns
    -------
    float or array, watts (>= 0)
    """
    g, e = as_ion_arrays(conductances=conductances, reversal_potentials=reversal_potentials)
    if np.any(g < 0):
        raise ValueError(f"conductances must be >= 0, got {conductances!r}")
    v = finite("vm", vm)
    result = np.sum(g * (v - e) ** 2, axis=0)
    return scalar_or_array(result)


def entropy_production_rate(conductances, reversal_potentials, vm, temperature):
    """Entropy production rate of the leaks at constant temperature, dS/dt = P / T.

    Parameters
    ----------
    conductances : mapping or sequence, siemens (>= 0)
    reversal_potentials : same keys/length, volts
    vm : float or array, volts
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, J/(K s) = W/K
    """
    t = positive("temperature", temperature)
    result = dissipated_power(conductances, reversal_potentials, vm) / t
    return scalar_or_array(result)
