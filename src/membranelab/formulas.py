"""The closed forms of the solver as sympy expressions: one source for symbolic answers, the LaTeX of
worked solutions, and the numpy-vs-sympy cross-check in the tests.

Each :class:`Formula` has a ``text`` in the grader's own answer syntax (what a student would type),
the sympy ``expr`` built from it by the package's own code (never from student text), and the
symbols' sampling domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from membranelab.grading.fastonly import slow_path
from membranelab.grading.lazysympy import sympy as _sympy

if TYPE_CHECKING:
    import sympy as sp

__all__ = ["Formula", "FORMULAS", "formula", "formula_latex"]


@dataclass(frozen=True)
class Formula:
    """A closed form, written once as answer ``text``; ``expr`` is that text as parsed by the
    grader's own parser (so the answer key is always something a student can type), ``domains``
    the symbols' sampling intervals (which also name every symbol).  sympy is imported when
    ``expr`` or ``latex`` is first asked for, not with this module."""

    name: str
    description: str
    lhs_latex: str
    text: str
    domains: Mapping[str, tuple[float, float]]

    @cached_property
    def expr(self) -> sp.Expr:
        """The sympy expression of ``text`` (built by :mod:`membranelab.grading.parse`)."""
        slow_path("sympy formula")
        from membranelab.grading.parse import ParseSuccess, parse_expression

        parsed = parse_expression(self.text, tuple(self.domains))
        if not isinstance(parsed, ParseSuccess):
            raise ValueError(f"formula {self.name!r}: {parsed.message}")
        return _evaluated(parsed.expr)

    @property
    def latex(self) -> str:
        """``lhs = rhs`` in LaTeX."""
        return f"{self.lhs_latex} = {_sympy().latex(self.expr, ln_notation=True)}"

    @property
    def symbols(self) -> tuple[str, ...]:
        """Names of the free symbols, sorted."""
        return tuple(sorted(str(s) for s in self.expr.free_symbols))


def _evaluated(expr: sp.Basic) -> sp.Basic:
    """The parser builds its trees unevaluated; rebuild them so sympy tidies signs and products."""
    if expr.is_Atom:
        return expr
    return expr.func(*(_evaluated(arg) for arg in expr.args))


_CONC = (1.0, 200.0)
_TEMP = (250.0, 330.0)
_G = (0.1, 10.0)
_E = (-0.1, 0.07)
#: Valence: both signs and magnitudes 1 and 2, so |z| (sqrt(z^2)) is not z.
_VALENCE = (-2.0, 2.0)

_DEFS = (
    Formula(
        "nernst", "Nernst equilibrium potential", "E",
        "R*T/(z*F)*ln(c_out/c_in)",
        {"R": (8.0, 8.6), "T": _TEMP, "F": (9.0e4, 1.0e5), "z": _VALENCE,
         "c_out": _CONC, "c_in": _CONC},
    ),
    Formula(
        "ghk", "Goldman-Hodgkin-Katz voltage equation (K+, Na+, Cl-)", "V_m",
        "R*T/F*ln((P_K*K_o + P_Na*Na_o + P_Cl*Cl_i)/(P_K*K_i + P_Na*Na_i + P_Cl*Cl_o))",
        {"R": (8.0, 8.6), "T": _TEMP, "F": (9.0e4, 1.0e5), "P_K": (0.1, 1.0), "P_Na": (0.01, 1.0),
         "P_Cl": (0.01, 1.0), "K_o": _CONC, "K_i": _CONC, "Na_o": _CONC, "Na_i": _CONC,
         "Cl_o": _CONC, "Cl_i": _CONC},
    ),
    Formula(
        "chord", "Chord-conductance equation", "V_m",
        "(g_K*E_K + g_Na*E_Na + g_Cl*E_Cl)/(g_K + g_Na + g_Cl)",
        {"g_K": _G, "g_Na": _G, "g_Cl": _G, "E_K": _E, "E_Na": _E, "E_Cl": _E},
    ),
    Formula(
        "chord_pump", "Chord-conductance equation with an electrogenic pump", "V_m",
        "(g_K*E_K + g_Na*E_Na - I_p)/(g_K + g_Na)",
        {"g_K": _G, "g_Na": _G, "E_K": _E, "E_Na": _E, "I_p": (0.001, 0.1)},
    ),
    Formula(
        "pump_contribution", "Direct electrogenic effect of the pump", r"\Delta V_{pump}",
        "-I_p/G", {"I_p": (1e-12, 1e-9), "G": (1e-9, 1e-7)},
    ),
    Formula(
        "pump_ratio", "Steady state with an r:1 Na+/K+ pump (chord-conductance analogue of the "
        "Mullins-Noda equation)", "V_m",
        "(r*g_K*E_K + g_Na*E_Na)/(r*g_K + g_Na)",
        {"r": (1.0, 2.0), "g_K": _G, "g_Na": _G, "E_K": _E, "E_Na": _E},
    ),
    Formula(
        "selectivity", "Permeability ratio from the barrier difference", r"P_K / P_{Na}",
        "exp(ddG/(R*T))",
        {"ddG": (-2e4, 2e4), "R": (8.0, 8.6), "T": _TEMP},
    ),
    Formula(
        "q10", "Q10 temperature scaling", "k(T_2)",
        "k0*Q10^((T2 - T1)/10)",
        {"k0": (0.1, 10.0), "Q10": (1.1, 3.5), "T1": (280.0, 300.0), "T2": (300.0, 320.0)},
    ),
    Formula(
        "membrane_charge", "Charge on the membrane capacitor", "Q",
        "C*V", {"C": (1e-12, 1e-10), "V": (0.01, 0.1)},
    ),
    Formula(
        "capacitor_energy", "Energy stored on the membrane capacitance", "U",
        "C*V^2/2", {"C": (1e-12, 1e-10), "V": (-0.1, 0.1)},
    ),
    Formula(
        "pump_coupling", "Coupling ratio of a pump moving n Na+ out per m K+ in", "r",
        "n/m", {"n": (1.0, 4.0), "m": (1.0, 4.0)},
    ),
    Formula(
        "ion_count", "Number of monovalent ions to charge the membrane", "n",
        "C*V/e", {"C": (1e-12, 1e-10), "V": (0.01, 0.1), "e": (1.5e-19, 1.7e-19)},
    ),
    Formula(
        "entropy_rate", "Entropy production rate of the leaks (K+ and Na+)", r"\dot S",
        "(g_K*(V_m - E_K)^2 + g_Na*(V_m - E_Na)^2)/T",
        {"g_K": _G, "g_Na": _G, "V_m": _E, "E_K": _E, "E_Na": _E, "T": _TEMP},
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


@cache  # a constant table's text: the same for every variant (rendering solutions per student)
def formula_latex(name: str) -> str:
    """LaTeX of the formula ``name`` of :data:`FORMULAS` (``lhs = rhs``), natural log as ``\\ln``."""
    return FORMULAS[name].latex.replace(r"\log{", r"\ln{")
