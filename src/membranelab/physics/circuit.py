"""Chord-conductance (parallel conductance) model of the membrane, with an electrogenic pump."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, IonValues, as_ion_arrays, finite, positive, scalar_or_array

__all__ = [
    "chord_conductance_potential",
    "driving_forces",
    "ionic_currents",
    "pump_contribution",
    "pump_ratio_steady_state",
    "pump_current_for_steady_state",
]



def chord_conductance_potential(conductances: IonValues, reversal_potentials: IonValues,
                                pump_current: npt.ArrayLike = 0.0) -> FloatOrArray:
    """Membrane potential at zero total current: V = (sum g_i E_i - I_pump) / sum g_i.

    Parameters
    ----------
    conductances : mapping ion -> float, or sequence; siemens (or any one unit), >= 0, sum > 0
    reversal_potentials : same keys/length; volts
    pump_current : float or array, amperes (outward positive), in the unit of conductances * volts

    Returns
    -------
    float or array, volts
    """
    g, e = as_ion_arrays(conductances=conductances, reversal_potentials=reversal_potentials)
    if np.any(g < 0):
        raise ValueError(f"conductances must be >= 0, got {conductances!r}")
    total = np.sum(g, axis=0)
    if np.any(total <= 0):
        raise ValueError(f"conductances must have a total > 0, got {conductances!r}")
    i_pump = finite("pump_current", pump_current)
    return scalar_or_array((np.sum(g * e, axis=0) - i_pump) / total)


def driving_forces(reversal_potentials: npt.ArrayLike, vm: npt.ArrayLike) -> np.ndarray:
    """Driving force V - E_i for each ion, volts (positive: outward current for a cation).

    Parameters
    ----------
    reversal_potentials : mapping or sequence, volts
    vm : float, volts

    Returns
    -------
    same kind as ``reversal_potentials``: dict for a mapping, array otherwise; volts
    """
    v = finite("vm", vm)
    if isinstance(reversal_potentials, dict):
        return {k: scalar_or_array(v - finite(f"reversal_potentials[{k!r}]", e)) for k, e in reversal_potentials.items()}
    forces: np.ndarray = v - finite("reversal_potentials", reversal_potentials)
    return forces


def ionic_currents(conductances: IonValues, reversal_potentials: IonValues, vm: npt.ArrayLike
                   ) -> dict[str, FloatOrArray] | np.ndarray:
    """Ionic current I_i = g_i (V - E_i) per ion, amperes, outward positive.

    Parameters
    ----------
    conductances : mapping or sequence, siemens
    reversal_potentials : same keys/length, volts
    vm : float, volts

    Returns
    -------
    dict for mappings, array otherwise; amperes
    """
    g, e = as_ion_arrays(conductances=conductances, reversal_potentials=reversal_potentials)
    v = finite("vm", vm)
    currents: np.ndarray = g * (v - e)
    if isinstance(conductances, dict):
        return {k: scalar_or_array(c) for k, c in zip(conductances.keys(), currents, strict=False)}
    return currents


def pump_contribution(pump_current: npt.ArrayLike, total_conductance: npt.ArrayLike
                      ) -> FloatOrArray:
    """Direct electrogenic effect of a pump current: dV = -I_pump / G_total.

    Parameters
    ----------
    pump_current : float or array, amperes (outward positive)
    total_conductance : float or array, siemens (> 0)

    Returns
    -------
    float or array, volts (negative for an outward pump current: hyperpolarising)
    """
    i = finite("pump_current", pump_current)
    g = positive("total_conductance", total_conductance)
    return scalar_or_array(-i / g)


def pump_ratio_steady_state(g_k: npt.ArrayLike, e_k: npt.ArrayLike, g_na: npt.ArrayLike,
                            e_na: npt.ArrayLike, ratio: npt.ArrayLike = 1.5) -> FloatOrArray:
    """Potential at which passive Na+ influx is ``ratio`` times passive K+ efflux.

    With a 3 Na+ : 2 K+ pump, the steady state needs I_Na / I_K = -ratio with ratio = 3/2, giving
    V = (ratio g_K E_K + g_Na E_Na) / (ratio g_K + g_Na). This is the chord-conductance analogue
    of the Mullins-Noda equation (Mullins & Noda 1963, J Gen Physiol 47:117), which is the GHK
    (permeability) form V = (RT/F) ln((r P_K [K]o + P_Na [Na]o) / (r P_K [K]i + P_Na [Na]i)).

    Parameters
    ----------
    g_k, g_na : float or array, siemens (any one unit), >= 0, ratio*g_k + g_na > 0
    e_k, e_na : float or array, volts
    ratio : float, pump stoichiometry Na+/K+ (> 0); 1.5 for the Na+/K+-ATPase

    Returns
    -------
    float or array, volts
    """
    gk = finite("g_k", g_k)
    gna = finite("g_na", g_na)
    if np.any(gk < 0):
        raise ValueError(f"g_k must be >= 0, got {g_k!r}")
    if np.any(gna < 0):
        raise ValueError(f"g_na must be >= 0, got {g_na!r}")
    r = positive("ratio", ratio)
    ek = finite("e_k", e_k)
    ena = finite("e_na", e_na)
    denominator = r * gk + gna
    if np.any(denominator <= 0):
        raise ValueError("g_k and g_na must not both be zero (total conductance 0)")
    return scalar_or_array((r * gk * ek + gna * ena) / denominator)


def pump_current_for_steady_state(g_k: npt.ArrayLike, e_k: npt.ArrayLike, vm: npt.ArrayLike,
                                  k_per_cycle: npt.ArrayLike = 2, charge_per_cycle: float = 1
                                  ) -> FloatOrArray:
    """Net pump current that balances the passive K+ efflux at ``vm``.

    Each cycle moves ``k_per_cycle`` K+ in; the pump current is I_K * charge_per_cycle / k_per_cycle.

    Parameters
    ----------
    g_k : float, siemens
    e_k, vm : float, volts
    k_per_cycle, charge_per_cycle : ints (2 and 1 for the Na+/K+-ATPase)

    Returns
    -------
    float, amperes (outward positive)
    """
    gk = finite("g_k", g_k)
    k = positive("k_per_cycle", k_per_cycle)
    return scalar_or_array(gk * (finite("vm", vm) - finite("e_k", e_k)) * charge_per_cycle / k)
