"""Donnan equilibrium: a cell holding impermeant anions in a salt bath, once every small ion
may cross (the pump stopped, Na⁺ and K⁺ alike permeant) and the volume is held fixed.

Inside, electroneutrality: [C]in = [Cl]in + z_A [A]; across the membrane, every permeant
monovalent ion at equilibrium: [C]in/[C]out = [Cl]out/[Cl]in = r (the Donnan ratio); outside,
[C]out = [Cl]out = s. Then r^2 - (a/s) r - 1 = 0 with a = |z_A| [A], so
r = (a/s + sqrt((a/s)^2 + 4))/2 and V = -(RT/F) ln r.
(At fixed volume the inside holds more osmoles than the bath, so a real cell swells: the fixed
volume is the model's assumption, the swelling its note.)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import FloatOrArray, positive, scalar_or_array
from .nernst import thermal_voltage

__all__ = ["donnan_ratio", "donnan_potential"]


def donnan_ratio(impermeant_charge: npt.ArrayLike, salt_out: npt.ArrayLike) -> FloatOrArray:
    """The Donnan ratio r = [cation]in/[cation]out = [Cl]out/[Cl]in.

    Parameters
    ----------
    impermeant_charge : float or array, mol/m^3 of negative charge fixed inside (|z_A| [A]), > 0
    salt_out : float or array, mol/m^3, the bath's salt (cation = anion), > 0

    Returns
    -------
    float or array, dimensionless (> 1)
    """
    a = positive("impermeant_charge", impermeant_charge) / positive("salt_out", salt_out)
    return scalar_or_array((a + np.sqrt(a * a + 4.0)) / 2.0)


def donnan_potential(impermeant_charge: npt.ArrayLike, salt_out: npt.ArrayLike,
                     temperature: npt.ArrayLike) -> FloatOrArray:
    """Membrane potential at Donnan equilibrium, V = -(RT/F) ln r (inside negative).

    Parameters
    ----------
    impermeant_charge, salt_out : as :func:`donnan_ratio`, mol/m^3
    temperature : float or array, kelvin (> 0)

    Returns
    -------
    float or array, volts
    """
    r = donnan_ratio(impermeant_charge, salt_out)
    return scalar_or_array(-thermal_voltage(temperature) * np.log(r))
