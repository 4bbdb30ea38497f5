"""Energetics of the non-equilibrium steady state: dissipated power and entropy production, the
work of moving an ion against its electrochemical gradient, and the pump's ATP turnover."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import (
    FloatOrArray,
    IonValues,
    as_ion_arrays,
    finite,
    nonzero,
    positive,
    scalar_or_array,
)
from .constants import E_CHARGE, F, R

__all__ = ["dissipated_power", "entropy_production_rate", "electrochemical_work",
           "pump_coupling_ratio", "pump_cycle_rate"]


def dissipated_power(conductances: IonValues, reversal_potentials: IonValues,
                     vm: npt.ArrayLike) -> FloatOrArray:
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


def entropy_production_rate(conductances: IonValues, reversal_potentials: IonValues,
                            vm: npt.ArrayLike, temperature: npt.ArrayLike) -> FloatOrArray:
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


def electrochemical_work(c_in: npt.ArrayLike, c_out: npt.ArrayLike, z: npt.ArrayLike,
                         vm: npt.ArrayLike, temperature: npt.ArrayLike) -> FloatOrArray:
    """Work to move one mole of an ion from the inside to the outside:
    mu_out - mu_in = RT ln([X]out/[X]in) - zF V_m  (= zF (E_X - V_m)).

    Parameters
    ----------
    c_in, c_out : float or array, any one concentration unit, > 0
    z : int, valence (non-zero)
    vm : float or array, volts
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, J/mol (positive: moving the ion out costs energy; Na⁺ at rest)
    """
    ratio = positive("c_out", c_out) / positive("c_in", c_in)
    zz = nonzero("z", z)
    return scalar_or_array(R * positive("temperature", temperature) * np.log(ratio)
                           - zz * F * finite("vm", vm))


def pump_cycle_rate(pump_current: npt.ArrayLike, charge_per_cycle: npt.ArrayLike = 1
                    ) -> FloatOrArray:
    """Pump cycles (= ATP molecules hydrolysed) per second, I_pump / (q e).

    Parameters
    ----------
    pump_current : float or array, amperes (the pump's net outward current, > 0)
    charge_per_cycle : int, net elementary charges out per cycle (1 for 3 Na⁺ : 2 K⁺)

    Returns
    -------
    float or array, 1/s
    """
    return scalar_or_array(positive("pump_current", pump_current)
                           / (positive("charge_per_cycle", charge_per_cycle) * E_CHARGE))


def pump_coupling_ratio(na_per_cycle: npt.ArrayLike, k_per_cycle: npt.ArrayLike
                        ) -> FloatOrArray:
    """Coupling ratio r = n/m of a pump moving n Na⁺ out per m K⁺ in (1.5 for the Na⁺/K⁺-ATPase,
    3 : 2), the r of the steady state :func:`membranelab.physics.pump_ratio_steady_state`.

    Parameters
    ----------
    na_per_cycle : float or array, Na⁺ ions out per cycle (> 0)
    k_per_cycle : float or array, K⁺ ions in per cycle (> 0)

    Returns
    -------
    float or array, dimensionless
    """
    return scalar_or_array(positive("na_per_cycle", na_per_cycle)
                           / positive("k_per_cycle", k_per_cycle))
