"""The closed forms of the solver as sympy expressions: one source for symbolic answers, the LaTeX of
worked solutions, and the numpy-vs-sympy cross-check in the tests.

Each :class:`Formula` has a ``text`` in the grader's own answer syntax (what a student would type),
the sympy ``expr`` built from it by the package's own code (never from student text), the symbols'
sampling domains, and the ``solver`` it mirrors with the mapping from symbols to solver arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

import sympy as sp

__all__ = ["Formula", "FORMULAS", "formula", "symbol"]


def symbol(name: str) -> sp.Symbol:
    """The package's symbol for ``name``: real and positive (all physical inputs here are)."""
    return sp.Symbol(name, positive=True)


def _s(names: str) -> tuple[sp.Symbol, ...]:
    return tuple(symbol(n) for n in names.split())


R, T, F, z = _s("R T F z")
c_out, c_in = _s("c_out c_in")
K_o, K_i, Na_o, Na_i, Cl_o, Cl_i = _s("K_o K_i Na_o Na_i Cl_o Cl_i")
P_K, P_Na, P_Cl = _s("P_K P_Na P_Cl")
g_K, g_Na, g_Cl = _s("g_K g_Na g_Cl")
I_p, G = _s("I_p G")
r = symbol("r")
ddG = symbol("ddG")
Q10, T1, T2, k0 = _s("Q10 T1 T2 k0")
C, V = _s("C V")
e = symbol("e")
# reversal potentials and Vm may be negative: real, not positive
E_K, E_Na, E_Cl, V_m = (sp.Symbol(n, real=True) for n in ("E_K", "E_Na", "E_Cl", "V_m"))


@dataclass(frozen=True)
class Formula:
    """A closed form: name, text (answer syntax), sympy expression, LaTeX, domains, solver mapping."""

    name: str
    description: str
    lhs_latex: str
    text: str
    expr: sp.Expr
    domains: Mapping[str, tuple[float, float]]
    solver: str | None = None
    solver_args: Mapping[str, str] = field(default_factory=dict)

    @property
    def latex(self) -> str:
        """``lhs = rhs`` in LaTeX."""
        return f"{self.lhs_latex} = {sp.latex(self.expr, ln_notation=True)}"

    @property
    def symbols(self) -> tuple[str, ...]:
        """Names of the free symbols, sorted."""
        return tuple(sorted(str(s) for s in self.expr.free_symbols))


_CONC = (1.0, 200.0)
_TEMP = (250.0, 330.0)
_G = (0.1, 10.0)
_E = (-0.1, 0.07)

_DEFS = (
    Formula(
        "nernst", "Nernst equilibrium potential", "E",
        "R*T/(z*F)*ln(c_out/c_in)",
        R * T / (z * F) * sp.log(c_out / c_in),
        {"R": (8.0, 8.6), "T": _TEMP, "F": (9.0e4, 1.0e5), "z": (1.0, 2.0),
         "c_out": _CONC, "c_in": _CONC},
        "nernst_potential", {"c_out": "c_out", "c_in": "c_in", "z": "z", "temperature": "T"},
    ),
    Formula(
        "ghk", "Goldman-Hodgkin-Katz voltage equation (K+, Na+, Cl-)", "V_m",
        "R*T/F*ln((P_K*K_o + P_Na*Na_o + P_Cl*Cl_i)/(P_K*K_i + P_Na*Na_i + P_Cl*Cl_o))",
        R * T / F * sp.log((P_K * K_o + P_Na * Na_o + P_Cl * Cl_i) / (P_K * K_i + P_Na * Na_i + P_Cl * Cl_o)),
        {"R": (8.0, 8.6), "T": _TEMP, "F": (9.0e4, 1.0e5), "P_K": (0.1, 1.0), "P_Na": (0.01, 1.0),
         "P_Cl": (0.01, 1.0), "K_o": _CONC, "K_i": _CONC, "Na_o": _CONC, "Na_i": _CONC,
         "Cl_o": _CONC, "Cl_i": _CONC},
        None,
    ),
    Formula(
        "chord", "Chord-conductance equation", "V_m",
        "(g_K*E_K + g_Na*E_Na + g_Cl*E_Cl)/(g_K + g_Na + g_Cl)",
        (g_K * E_K + g_Na * E_Na + g_Cl * E_Cl) / (g_K + g_Na + g_Cl),
        {"g_K": _G, "g_Na": _G, "g_Cl": _G, "E_K": _E, "E_Na": _E, "E_Cl": _E},
        None,
    ),
    Formula(
        "chord_pump", "Chord-conductance equation with an electrogenic pump", "V_m",
        "(g_K*E_K + g_Na*E_Na - I_p)/(g_K + g_Na)",
        (g_K * E_K + g_Na * E_Na - I_p) / (g_K + g_Na),
        {"g_K": _G, "g_Na": _G, "E_K": _E, "E_Na": _E, "I_p": (0.001, 0.1)},
        None,
    ),
    Formula(
        "pump_contribution", "Direct electrogenic effect of the pump", r"\Delta V_{pump}",
        "-I_p/G", -I_p / G, {"I_p": (1e-12, 1e-9), "G": (1e-9, 1e-7)},
        "pump_contribution", {"pump_current": "I_p", "total_conductance": "G"},
    ),
    Formula(
        "pump_ratio", "Steady state with a 3:2 pump (Mullins-Noda)", "V_m",
        "(r*g_K*E_K + g_Na*E_Na)/(r*g_K + g_Na)",
        (r * g_K * E_K + g_Na * E_Na) / (r * g_K + g_Na),
        {"r": (1.0, 2.0), "g_K": _G, "g_Na": _G, "E_K": _E, "E_Na": _E},
        "pump_ratio_steady_state", {"g_k": "g_K", "e_k": "E_K", "g_na": "g_Na", "e_na": "E_Na", "ratio": "r"},
    ),
    Formula(
        "selectivity", "Permeability ratio from the barrier difference", r"P_K / P_{Na}",
        "exp(ddG/(R*T))", sp.exp(ddG / (R * T)),
        {"ddG": (1e3, 2e4), "R": (8.0, 8.6), "T": _TEMP},
        None,
    ),
    Formula(
        "q10", "Q10 temperature scaling", "k(T_2)",
        "k0*Q10^((T2 - T1)/10)",
        k0 * Q10 ** ((T2 - T1) / 10),
        {"k0": (0.1, 10.0), "Q10": (1.1, 3.5), "T1": (280.0, 300.0), "T2": (300.0, 320.0)},
        "q10_scale", {"value": "k0", "q10": "Q10", "t_from": "T1", "t_to": "T2"},
    ),
    Formula(
        "membrane_charge", "Charge on the membrane capacitor", "Q",
        "C*V", C * V, {"C": (1e-12, 1e-10), "V": (0.01, 0.1)},
        "membrane_charge", {"capacitance": "C", "vm": "V"},
    ),
    Formula(
        "ion_count", "Number of monovalent ions to charge the membrane", "n",
        "C*V/e", C * V / e, {"C": (1e-12, 1e-10), "V": (0.01, 0.1), "e": (1.5e-19, 1.7e-19)},
        None,
    ),
    Formula(
        "entropy_rate", "Entropy production rate of the leaks (K+ and Na+)", r"\dot S",
        "(g_K*(V_m - E_K)^2 + g_Na*(V_m - E_Na)^2)/T",
        (g_K * sp.Add(V_m, -E_K, evaluate=False) ** 2
         + g_Na * sp.Add(V_m, -E_Na, evaluate=False) ** 2) / T,
        {"g_K": _G, "g_Na": _G, "V_m": _E, "E_K": _E, "E_Na": _E, "T": _TEMP},
        None,
    ),
)

#: All formulas by name.
FORMULAS: Mapping[str, Formula] = MappingProxyType({f.name: f for f in _DEFS})


@cache
def formula(name: str) -> Formula:
    """One formula by name; KeyError naming the known ones otherwise."""
    if name not in FORMULAS:
        raise KeyError(f"unknown formula {name!r}; known: {', '.join(sorted(FORMULAS))}")
    return FORMULAS[name]
