"""Temperature dependence: Q10 scaling and a whole warming scenario (Nernst + leak + pump)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy.typing as npt

from ._checks import FloatOrArray, finite, positive, scalar_or_array
from .circuit import chord_conductance_potential
from .nernst import nernst_potential

__all__ = ["q10_scale", "WarmingResult", "warming"]


def q10_scale(value: npt.ArrayLike, q10: npt.ArrayLike, t_from: npt.ArrayLike,
              t_to: npt.ArrayLike) -> FloatOrArray:
    """Scale a rate-like quantity: value * q10 ** ((t_to - t_from) / 10).

    Parameters
    ----------
    value : float or array, any unit (returned in the same unit)
    q10 : float, dimensionless (> 0)
    t_from, t_to : float, kelvin or degrees Celsius (only the difference is used; same scale)

    Returns
    -------
    float or array, unit of ``value``
    """
    v = finite("value", value)
    q = positive("q10", q10)
    dt = finite("t_to", t_to) - finite("t_from", t_from)
    result = v * q ** (dt / 10.0)
    return scalar_or_array(result)


@dataclass(frozen=True)
class WarmingResult:
    """Membrane potential before and after a temperature change, all SI (volts, siemens, amperes)."""

    vm_before: float
    vm_after: float
    reversal_before: dict[str, float]
    reversal_after: dict[str, float]
    total_conductance_before: float
    total_conductance_after: float
    pump_current_before: float
    pump_current_after: float

    @property
    def delta_vm(self) -> float:
        """vm_after - vm_before, volts."""
        return self.vm_after - self.vm_before

    @property
    def pump_contribution_before(self) -> float:
        """-I_pump/G_total before warming, volts."""
        return -self.pump_current_before / self.total_conductance_before

    @property
    def pump_contribution_after(self) -> float:
        """-I_pump/G_total after warming, volts."""
        return -self.pump_current_after / self.total_conductance_after


def warming(
    conductances: Mapping[str, float],
    c_out: Mapping[str, float],
    c_in: Mapping[str, float],
    valences: Mapping[str, int],
    pump_current: float,
    t_from: float,
    t_to: float,
    q10_leak: float = 1.3,
    q10_pump: float = 3.0,
) -> WarmingResult:
    """Chord-conductance potential before and after warming from ``t_from`` to ``t_to``.

    Nernst potentials follow T; every leak conductance scales with ``q10_leak``; the pump current
    with ``q10_pump``. Concentrations are held fixed (a short warming, before gradients change).

    Parameters
    ----------
    conductances : ion -> siemens at t_from
    c_out, c_in : ion -> any one concentration unit
    valences : ion -> valence
    pump_current : amperes at t_from (outward positive)
    t_from, t_to : kelvin (> 0)
    q10_leak, q10_pump : dimensionless

    Returns
    -------
    WarmingResult
    """
    positive("t_from", t_from)
    positive("t_to", t_to)
    ions = list(conductances)
    out: dict[str, tuple[float, dict[str, float], float, float]] = {}
    for label, t in (("before", t_from), ("after", t_to)):  # scalars: every value is a float
        g = {i: float(q10_scale(conductances[i], q10_leak, t_from, t)) for i in ions}
        e = {i: float(nernst_potential(c_out[i], c_in[i], valences[i], t)) for i in ions}
        ip = float(q10_scale(pump_current, q10_pump, t_from, t))
        out[label] = (float(chord_conductance_potential(g, e, ip)), e, sum(g.values()), ip)
    b, a = out["before"], out["after"]
    return WarmingResult(b[0], a[0], b[1], a[1], b[2], a[2], b[3], a[3])
