"""SOLVER_UNITS: the SI unit of every solver's result, which the bank checks units against."""

import inspect

import pytest

from membranelab.physics import SOLVER_UNITS, SOLVERS
from membranelab.physics.units import dimensionality


def test_every_solver_has_a_unit():
    """No solver is missing and no entry names a solver that does not exist."""
    assert set(SOLVER_UNITS) == set(SOLVERS)


@pytest.mark.parametrize("name", sorted(SOLVER_UNITS))
def test_unit_is_a_unit_or_an_argument(name):
    """Each entry is a unit pint knows, or '=arg' naming one of the solver's parameters."""
    unit = SOLVER_UNITS[name]
    if unit.startswith("="):
        assert unit[1:] in inspect.signature(SOLVERS[name]).parameters
    else:
        dimensionality(unit)


@pytest.mark.parametrize(("name", "unit"), [
    ("nernst_potential", "V"),          # RT/(zF) ln(c_o/c_i): J/C
    ("pump_current_for_steady_state", "A"),
    ("sphere_capacitance", "F"),        # F/m^2 * m^2
    ("entropy_production_rate", "W/K"),
])
def test_documented_units(name, unit):
    """The table agrees with the solvers' docstrings (read by hand)."""
    assert dimensionality(SOLVER_UNITS[name]) == dimensionality(unit)
