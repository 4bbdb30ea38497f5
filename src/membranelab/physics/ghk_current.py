"""The Goldman-Hodgkin-Katz current equation: permeability turned into current and conductance.

A permeability ``P`` (m/s) is a property of the membrane; the current it lets through depends
on the concentrations on both sides and on V_m (constant-field theory, Goldman 1943, Hodgkin
and Katz 1949). Outward current is positive, as in the chord-conductance equation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, finite, nonzero, positive, scalar_or_array
from .constants import F
from .nernst import nernst_potential, thermal_voltage

__all__ = ["ghk_current_density", "ghk_chord_conductance", "pump_ratio_ghk_potential",
           "sodium_permeability_ratio_for"]

#: Below this |zFV/RT| the GHK current uses its limit at V = 0 (0/0 otherwise).
_SMALL = 1e-9


def ghk_current_density(permeability: npt.ArrayLike, c_in: npt.ArrayLike, c_out: npt.ArrayLike,
                        z: npt.ArrayLike, vm: npt.ArrayLike, temperature: npt.ArrayLike
                        ) -> FloatOrArray:
    """Current density of one ion through constant-field channels.

    I = P z^2 F^2 V / (RT) ([X]in - [X]out exp(-u)) / (1 - exp(-u)),  u = zFV/(RT);
    at V = 0 the limit P z F ([X]in - [X]out).

    Parameters
    ----------
    permeability : float or array, m/s (>= 0)
    c_in, c_out : float or array, mol/m^3 (= mM), > 0
    z : int, valence (non-zero)
    vm : float or array, volts (inside minus outside)
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, A/m^2 (outward positive)
    """
    p = finite("permeability", permeability)
    if np.any(p < 0):
        raise ValueError(f"permeability must be >= 0, got {permeability!r}")
    ci, co = positive("c_in", c_in), positive("c_out", c_out)
    zz = nonzero("z", z)
    v = finite("vm", vm)
    u = zz * v / thermal_voltage(temperature)
    small = np.abs(u) < _SMALL
    safe = np.where(small, 1.0, u)
    factor = np.where(small, 1.0, safe / -np.expm1(-safe))          # u / (1 - e^-u)
    flux = factor * (ci - co * np.exp(-np.where(small, 0.0, u)))
    return scalar_or_array(p * zz * F * flux)


def ghk_chord_conductance(permeability: npt.ArrayLike, c_in: npt.ArrayLike,
                          c_out: npt.ArrayLike, z: npt.ArrayLike, vm: npt.ArrayLike,
                          temperature: npt.ArrayLike) -> FloatOrArray:
    """Chord conductance g = I/(V - E) of one ion through constant-field channels: what a
    permeability amounts to as a conductance at V_m (it depends on V_m and the concentrations).

    Parameters are those of :func:`ghk_current_density`; at V = E the slope there is returned.

    Returns
    -------
    float or array, S/m^2
    """
    e = nernst_potential(c_out, c_in, z, temperature)
    v = finite("vm", vm)
    dv = v - e
    near = np.abs(dv) < 1e-9
    step = 1e-6
    slope = (ghk_current_density(permeability, c_in, c_out, z, e + step, temperature)
             - ghk_current_density(permeability, c_in, c_out, z, e - step, temperature)) / (2 * step)
    chord = ghk_current_density(permeability, c_in, c_out, z, v, temperature) / np.where(near, 1.0, dv)
    return scalar_or_array(np.where(near, slope, chord))


def pump_ratio_ghk_potential(p_k: npt.ArrayLike, p_na: npt.ArrayLike, k_out: npt.ArrayLike,
                             k_in: npt.ArrayLike, na_out: npt.ArrayLike, na_in: npt.ArrayLike,
                             temperature: npt.ArrayLike, ratio: npt.ArrayLike = 1.5
                             ) -> FloatOrArray:
    """Steady potential of a membrane with K⁺ and Na⁺ constant-field leaks and a pump moving
    ``ratio`` Na⁺ out per K⁺ in (Mullins and Noda 1963): passive Na⁺ influx = ratio x passive
    K⁺ efflux gives

    V = RT/F ln((r P_K [K]out + P_Na [Na]out) / (r P_K [K]in + P_Na [Na]in)).

    Parameters
    ----------
    p_k, p_na : float or array, permeabilities in any one unit (only their ratio matters), > 0
    k_out, k_in, na_out, na_in : float or array, any one concentration unit, > 0
    temperature : float or array, kelvin (> 0)
    ratio : float, Na⁺ pumped out per K⁺ pumped in (> 0; 1.5 for the 3:2 Na⁺/K⁺-ATPase; 1 gives
        the GHK voltage equation)

    Returns
    -------
    float or array, volts
    """
    pk, pna, r = positive("p_k", p_k), positive("p_na", p_na), positive("ratio", ratio)
    num = r * pk * positive("k_out", k_out) + pna * positive("na_out", na_out)
    den = r * pk * positive("k_in", k_in) + pna * positive("na_in", na_in)
    return scalar_or_array(thermal_voltage(temperature) * np.log(num / den))


def sodium_permeability_ratio_for(vm: npt.ArrayLike, k_out: npt.ArrayLike, k_in: npt.ArrayLike,
                                  na_out: npt.ArrayLike, na_in: npt.ArrayLike,
                                  temperature: npt.ArrayLike, p_cl: npt.ArrayLike = 0.0,
                                  cl_out: npt.ArrayLike = 1.0, cl_in: npt.ArrayLike = 1.0
                                  ) -> FloatOrArray:
    """The P_Na/P_K that puts the GHK voltage at ``vm`` (the peak of an action potential, say),
    with P_Cl/P_K = ``p_cl``:

    P_Na/P_K = (e^u ([K]in + p_Cl [Cl]out) - [K]out - p_Cl [Cl]in) / ([Na]out - e^u [Na]in),
    u = FV/(RT).

    Parameters
    ----------
    vm : float or array, volts (below E_Na, above the potential without Na⁺)
    k_out, k_in, na_out, na_in, cl_out, cl_in : float or array, one concentration unit, > 0
    temperature : float or array, kelvin (> 0)
    p_cl : float, P_Cl/P_K (>= 0)

    Returns
    -------
    float or array, dimensionless; ValueError where no positive ratio reaches ``vm``
    """
    x = np.exp(finite("vm", vm) / thermal_voltage(temperature))
    pcl = finite("p_cl", p_cl)
    num = (x * (positive("k_in", k_in) + pcl * positive("cl_out", cl_out))
           - positive("k_out", k_out) - pcl * positive("cl_in", cl_in))
    den = positive("na_out", na_out) - x * positive("na_in", na_in)
    if np.any(den <= 0) or np.any(num <= 0):
        raise ValueError(f"vm={vm!r}: no positive P_Na/P_K reaches it (it must lie between the "
                         "potential without Na⁺ and E_Na)")
    return scalar_or_array(num / den)
