"""Every sympy closed form in formulas.py equals its numpy solver on random physical inputs."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from membranelab import formulas
from membranelab import physics as ph

FORMULAS = formulas.FORMULAS


def numeric(name, values):
    f = FORMULAS[name]
    fn = sp.lambdify([sp.Symbol(s) for s in f.symbols], f.expr.subs(
        {sym: sp.Symbol(str(sym)) for sym in f.expr.free_symbols}), "math")
    return fn(*[values[s] for s in f.symbols])


# numpy counterparts for formulas without a direct one-to-one solver mapping
COUNTERPARTS = {
    "nernst": lambda v: ph.nernst_potential(v["c_out"], v["c_in"], v["z"], v["T"]) * (v["R"] / ph.constants.R) * (ph.constants.F / v["F"]),
    "ghk": lambda v: ph.ghk_voltage(
        [v["P_K"], v["P_Na"], v["P_Cl"]], [v["K_o"], v["Na_o"], v["Cl_o"]],
        [v["K_i"], v["Na_i"], v["Cl_i"]], [1, 1, -1], v["T"],
    ) * (v["R"] / ph.constants.R) * (ph.constants.F / v["F"]),
    "chord": lambda v: ph.chord_conductance_potential([v["g_K"], v["g_Na"], v["g_Cl"]], [v["E_K"], v["E_Na"], v["E_Cl"]]),
    "chord_pump": lambda v: ph.chord_conductance_potential([v["g_K"], v["g_Na"]], [v["E_K"], v["E_Na"]], v["I_p"]),
    "pump_contribution": lambda v: ph.pump_contribution(v["I_p"], v["G"]),
    "pump_ratio": lambda v: ph.pump_ratio_steady_state(v["g_K"], v["E_K"], v["g_Na"], v["E_Na"], v["r"]),
    "selectivity": lambda v: ph.permeability_ratio(v["ddG"], v["T"]) ** (ph.constants.R / v["R"]),
    "q10": lambda v: ph.q10_scale(v["k0"], v["Q10"], v["T1"], v["T2"]),
    "membrane_charge": lambda v: ph.membrane_charge(v["C"], v["V"]),
    "capacitor_energy": lambda v: ph.stored_energy(v["C"], v["V"]),
    "pump_coupling": lambda v: ph.pump_coupling_ratio(v["n"], v["m"]),
    "ion_count": lambda v: ph.ions_to_charge(v["C"], v["V"]).count * ph.constants.E_CHARGE / v["e"],
    "entropy_rate": lambda v: ph.entropy_production_rate([v["g_K"], v["g_Na"]], [v["E_K"], v["E_Na"]], v["V_m"], v["T"]),
}


def test_every_formula_has_a_counterpart():
    """No formula escapes the cross-check."""
    assert set(COUNTERPARTS) == set(FORMULAS)


@pytest.mark.parametrize("name", sorted(FORMULAS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_sympy_equals_numpy(name, data):
    """The sympy expression and the numpy solver agree to 1e-9 on random points of the domain."""
    f = FORMULAS[name]
    values = {
        s: data.draw(st.floats(min_value=lo, max_value=hi, allow_nan=False), label=s)
        for s, (lo, hi) in f.domains.items()
    }
    # a valence domain spans both signs (so |z| is not z), but no ion has z = 0
    assume(abs(values.get("z", 1.0)) >= 0.5)
    expected = COUNTERPARTS[name](values)
    got = numeric(name, values)
    assert math.isfinite(got)
    assert got == pytest.approx(float(np.asarray(expected)), rel=1e-9, abs=1e-300)


def test_latex_has_lhs():
    """Each formula's LaTeX starts with its left-hand side."""
    for f in FORMULAS.values():
        assert f.latex.startswith(f.lhs_latex + " = ")
