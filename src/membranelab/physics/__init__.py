"""Reference numerical solver: numpy, SI units inside, pure functions, one module per topic.

``SOLVERS`` maps each public solver's name to the function; problem files name solvers from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from .capacitance import (
    ions_to_charge,
    membrane_charge,
    sphere_area,
    sphere_volume,
    stored_energy,
)
from .circuit import (
    chord_conductance_potential,
    driving_forces,
    ionic_currents,
    pump_contribution,
    pump_current_for_steady_state,
    pump_ratio_steady_state,
)
from .donnan import donnan_potential, donnan_ratio
from .energetics import (
    dissipated_power,
    electrochemical_work,
    entropy_production_rate,
    pump_coupling_ratio,
    pump_cycle_rate,
)
from .errata import Erratum, erratum, source_errata
from .ghk import ghk_voltage
from .ghk_current import (
    ghk_chord_conductance,
    ghk_current_density,
    pump_ratio_ghk_potential,
    sodium_permeability_ratio_for,
)
from .nernst import nernst_potential, thermal_voltage
from .noise import (
    ChannelNoiseModel,
    channel_noise_sd,
    exact_moments,
    linear_noise_sd,
    simulate_channel_noise,
    simulate_trace,
    sphere_capacitance,
)
from .scenarios import Scenario, load_scenarios, scenario
from .selectivity import delta_delta_g_from_ratio, permeability_ratio
from .temperature import WarmingResult, q10_scale, warming

__all__ = [
    "SOLVERS",
    "SOLVER_UNITS",
    "nernst_potential",
    "thermal_voltage",
    "ghk_voltage",
    "ghk_current_density",
    "ghk_chord_conductance",
    "pump_ratio_ghk_potential",
    "sodium_permeability_ratio_for",
    "donnan_ratio",
    "donnan_potential",
    "electrochemical_work",
    "pump_cycle_rate",
    "pump_coupling_ratio",
    "chord_conductance_potential",
    "driving_forces",
    "ionic_currents",
    "pump_contribution",
    "pump_ratio_steady_state",
    "pump_current_for_steady_state",
    "membrane_charge",
    "stored_energy",
    "ions_to_charge",
    "sphere_area",
    "sphere_volume",
    "permeability_ratio",
    "delta_delta_g_from_ratio",
    "q10_scale",
    "warming",
    "WarmingResult",
    "dissipated_power",
    "entropy_production_rate",
    "ChannelNoiseModel",
    "channel_noise_sd",
    "linear_noise_sd",
    "exact_moments",
    "simulate_channel_noise",
    "simulate_trace",
    "sphere_capacitance",
    "Scenario",
    "load_scenarios",
    "scenario",
    "Erratum",
    "source_errata",
    "erratum",
]

#: Solver functions that problem files may name, by name. Every one is pure and returns SI
#: (signatures and results differ: a number, an array, an IonCount).
SOLVERS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        f.__name__: f
        for f in (
            nernst_potential,
            thermal_voltage,
            ghk_voltage,
            ghk_current_density,
            ghk_chord_conductance,
            pump_ratio_ghk_potential,
            sodium_permeability_ratio_for,
            donnan_ratio,
            donnan_potential,
            electrochemical_work,
            pump_cycle_rate,
            pump_coupling_ratio,
            chord_conductance_potential,
            pump_contribution,
            pump_ratio_steady_state,
            pump_current_for_steady_state,
            membrane_charge,
            stored_energy,
            sphere_area,
            sphere_volume,
            permeability_ratio,
            delta_delta_g_from_ratio,
            q10_scale,
            dissipated_power,
            entropy_production_rate,
            channel_noise_sd,
            sphere_capacitance,
        )
    }
)

#: The SI unit of what each solver returns (the bank checks problem files' units with it); a
#: solver returning the unit of one of its arguments maps to ``"=<argument name>"``.
SOLVER_UNITS = MappingProxyType({
    "nernst_potential": "V",
    "thermal_voltage": "V",
    "ghk_voltage": "V",
    "ghk_current_density": "A/m**2",
    "ghk_chord_conductance": "S/m**2",
    "pump_ratio_ghk_potential": "V",
    "sodium_permeability_ratio_for": "dimensionless",
    "donnan_ratio": "dimensionless",
    "donnan_potential": "V",
    "electrochemical_work": "J/mol",
    "pump_cycle_rate": "1/s",
    "pump_coupling_ratio": "dimensionless",
    "chord_conductance_potential": "V",
    "pump_contribution": "V",
    "pump_ratio_steady_state": "V",
    "pump_current_for_steady_state": "A",
    "membrane_charge": "C",
    "stored_energy": "J",
    "sphere_area": "m**2",
    "sphere_volume": "m**3",
    "permeability_ratio": "dimensionless",
    "delta_delta_g_from_ratio": "J/mol",
    "q10_scale": "=value",
    "dissipated_power": "W",
    "entropy_production_rate": "W/K",
    "channel_noise_sd": "V",
    "sphere_capacitance": "F",
})
