"""Labelled corpus of formula pairs (student, reference, equivalent?) from the membrane formulas.

Generated systematically: for each reference formula, rewrites that are equivalent (algebra,
log rules, implicit products, reordering) and typical mistakes that are not (log10 for ln,
sign, a missing factor, in/out swapped, near-misses such as 1.0001*x).  The labels come from
the algebra of each rewrite, not from the checker.  Shared by the tests and bench/grading.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

__all__ = ["CORPUS", "FormulaPair"]


@dataclass(frozen=True)
class FormulaPair:
    """One labelled pair: the student's text, the reference text, symbol intervals, label."""

    student: str
    reference: str
    symbols: dict[str, tuple[float, float]]
    equivalent: bool
    family: str


def _positive(*names: str, low: float = 0.5, high: float = 5.0) -> dict[str, tuple[float, float]]:
    return {name: (low, high) for name in names}


# -- Nernst: prefactor x log form ------------------------------------------------------------
NERNST = "R*T/(z*F)*ln(c_o/c_i)"
NERNST_SYMBOLS = _positive("R", "T", "F", "z", "c_o", "c_i")
NERNST_PREFACTORS_OK = [
    "R*T/(z*F)", "R T/(z F)", "(R*T)/(z*F)", "R/F*T/z", "T*R/(F*z)", "1/(z*F)*R*T",
    "R*T/z/F", "(R*T/F)/z", "R*T*(z*F)^-1", "R*T*(z*F)**(-1)",
]
NERNST_LOGS_OK = [
    "ln(c_o/c_i)", "log(c_o/c_i)", "(ln(c_o) - ln(c_i))", "(-ln(c_i/c_o))", "ln(c_o*c_i^-1)",
    "(log(c_o)-log(c_i))", "ln(1/(c_i/c_o))", "(2*ln(sqrt(c_o/c_i)))",
]
NERNST_PREFACTORS_BAD = [
    "R*T/F", "R/(z*F)", "R*T*z/F", "F/(R*T*z)", "R*T/(2*z*F)", "1.0001*R*T/(z*F)", "(-R*T/(z*F))",
]
NERNST_LOGS_BAD = [
    "log10(c_o/c_i)", "ln(c_i/c_o)", "ln(c_o)", "ln(c_o-c_i)", "ln(c_o*c_i)",
    "(ln(c_o)/ln(c_i))", "(ln(c_o/c_i)/ln(10))", "ln(c_o/c_i)^2",
]

# -- GHK: prefactor x log-argument form ------------------------------------------------------
GHK = "R*T/F*ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))"
GHK_SYMBOLS = _positive("R", "T", "F", "P_K", "P_Na", "P_Cl", "K_o", "K_i", "Na_o", "Na_i",
                        "Cl_o", "Cl_i")
GHK_PREFACTORS_OK = ["R*T/F", "R T/F", "(R*T)/F", "T*R/F", "R*T*F^-1"]
GHK_LOGS_OK = [
    "ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))",
    "ln((P_Na*Na_o+P_Cl*Cl_i+P_K*K_o)/(P_Cl*Cl_o+P_K*K_i+P_Na*Na_i))",
    "(ln(P_K K_o+P_Na Na_o+P_Cl Cl_i) - ln(P_K K_i+P_Na Na_i+P_Cl Cl_o))",
    "(-ln((P_K*K_i+P_Na*Na_i+P_Cl*Cl_o)/(P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)))",
    "ln((K_o+P_Na/P_K*Na_o+P_Cl/P_K*Cl_i)/(K_i+P_Na/P_K*Na_i+P_Cl/P_K*Cl_o))",
    "log((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)*(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o)^-1)",
]
GHK_BAD = [
    "R*T/F*ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_o)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_i))",
    "R*T/F*log10((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))",
    "R*T/F*ln((P_K*K_o+P_Na*Na_o)/(P_K*K_i+P_Na*Na_i))",
    "-R*T/F*ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))",
    "R*T/F*ln((P_K*K_i+P_Na*Na_i+P_Cl*Cl_o)/(P_K*K_o+P_Na*Na_o+P_Cl*Cl_i))",
    "ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))",
    "R*T/F*ln((P_K*K_o+Na_o+P_Cl*Cl_i)/(P_K*K_i+Na_i+P_Cl*Cl_o))",
    "R*T/F*(ln(P_K*K_o/(P_K*K_i))+ln(P_Na*Na_o/(P_Na*Na_i))+ln(P_Cl*Cl_i/(P_Cl*Cl_o)))",
    "R*T/F*ln((P_K*K_o*P_Na*Na_o*P_Cl*Cl_i)/(P_K*K_i*P_Na*Na_i*P_Cl*Cl_o))",
    "R*T*F*ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))",
    "R*T/F*ln(P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o)",
    "R*T/F*ln((K_o+Na_o+Cl_i)/(K_i+Na_i+Cl_o))",
    "1.0001*R*T/F*ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))",
    "R*T/F*ln((P_K*K_o+P_Na*Na_o-P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i-P_Cl*Cl_o))",
    "R*T/F*ln((P_K*K_o+P_Na*Na_o+P_Cl*Cl_i)/(P_K*K_i+P_Na*Na_i+P_Cl*Cl_o))^2",
]

# -- smaller formulas: hand-written rewrites and mistakes -------------------------------------
SMALL: list[tuple[str, dict[str, tuple[float, float]], list[str], list[str]]] = [
    (
        "(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)/(g_K+g_Na+g_Cl)",
        _positive("g_K", "g_Na", "g_Cl", "E_K", "E_Na", "E_Cl"),
        [
            "(g_Na*E_Na+g_K*E_K+g_Cl*E_Cl)/(g_Cl+g_Na+g_K)",
            "g_K*E_K/(g_K+g_Na+g_Cl)+g_Na*E_Na/(g_K+g_Na+g_Cl)+g_Cl*E_Cl/(g_K+g_Na+g_Cl)",
            "E_K+(g_Na*(E_Na-E_K)+g_Cl*(E_Cl-E_K))/(g_K+g_Na+g_Cl)",
            "(E_K g_K + E_Na g_Na + E_Cl g_Cl)/(g_K + g_Na + g_Cl)",
            "(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)*(g_K+g_Na+g_Cl)^-1",
            "(E_K+g_Na/g_K*E_Na+g_Cl/g_K*E_Cl)/(1+g_Na/g_K+g_Cl/g_K)",
            "1/(g_K+g_Na+g_Cl)*(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)",
            "(2*g_K*E_K+2*g_Na*E_Na+2*g_Cl*E_Cl)/(2*(g_K+g_Na+g_Cl))",
            "E_Cl+(g_K*(E_K-E_Cl)+g_Na*(E_Na-E_Cl))/(g_K+g_Na+g_Cl)",
            "((g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)/g_K)/((g_K+g_Na+g_Cl)/g_K)",
        ],
        [
            "(E_K+E_Na+E_Cl)/3",
            "(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)/(g_K+g_Na)",
            "(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)",
            "(g_K*E_Na+g_Na*E_K+g_Cl*E_Cl)/(g_K+g_Na+g_Cl)",
            "(g_K*E_K+g_Na*E_Na-g_Cl*E_Cl)/(g_K+g_Na+g_Cl)",
            "(g_K+g_Na+g_Cl)/(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)",
            "(E_K/g_K+E_Na/g_Na+E_Cl/g_Cl)/(g_K+g_Na+g_Cl)",
            "g_K*E_K/g_K+g_Na*E_Na/g_Na+g_Cl*E_Cl/g_Cl",
            "(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)/(g_K*g_Na*g_Cl)",
            "1.0001*(g_K*E_K+g_Na*E_Na+g_Cl*E_Cl)/(g_K+g_Na+g_Cl)",
        ],
    ),
    (
        "exp(ddG/(R*T))",
        _positive("ddG", "R", "T"),
        [
            "exp(ddG/R/T)", "1/exp(-ddG/(R*T))", "exp(ddG/(2*R*T))^2", "sqrt(exp(2*ddG/(R*T)))",
            "exp(ddG)^(1/(R*T))", "exp(ddG/(T*R))", "exp(ddG*(R*T)^-1)", "exp(ddG/(R T))",
            "exp(ddG/(4*R*T))^4", "exp(ddG/(R*T)-1)*exp(1)",
        ],
        [
            "exp(-ddG/(R*T))", "exp(ddG*R*T)", "exp(ddG/R)", "10^(ddG/(R*T))",
            "exp(ddG/(R*T))+1", "ddG/(R*T)", "ln(ddG/(R*T))", "exp(ddG/(R*T))^2",
            "exp(1.0001*ddG/(R*T))", "exp(ddG)/(R*T)",
        ],
    ),
    (
        "C*V",
        _positive("C", "V"),
        ["V*C", "C V", "(C*V^2)/V", "C/(1/V)", "V C", "2*C*V/2", "C*V*V/V", "(C*V)^1",
         "sqrt(C^2*V^2)", "exp(ln(C)+ln(V))"],
        ["C/V", "V/C", "C+V", "C*V^2", "0.5*C*V^2", "-C*V", "C*V+1e-3", "1.0001*C*V",
         "C^2*V", "ln(C*V)"],
    ),
    (
        "q10^((T2-T1)/10)",
        {"q10": (1.5, 4.0), "T1": (280.0, 320.0), "T2": (280.0, 320.0)},
        [
            "exp((T2-T1)/10*ln(q10))", "q10^(T2/10)/q10^(T1/10)", "(q10^(1/10))^(T2-T1)",
            "1/q10^((T1-T2)/10)", "q10^(0.1*(T2-T1))", "q10^(T2/10-T1/10)", "q10**((T2-T1)/10)",
            "exp(ln(q10)*(T2-T1)/10)", "(q10^((T2-T1)/20))^2", "10^((T2-T1)/10*log10(q10))",
        ],
        [
            "q10^(T2-T1)", "q10^((T1-T2)/10)", "q10*(T2-T1)/10", "q10^((T2-T1)/100)",
            "(T2-T1)/10*ln(q10)", "q10^(T2-T1/10)", "q10^((T2-T1)/10)+1", "q10^((T2+T1)/10)",
            "q10^(1.0001*(T2-T1)/10)", "(T2-T1)/10*q10",
            "q10^((T2-T1)/20)^2",  # right-associative: q10^(((T2-T1)/20)^2)
        ],
    ),
    (
        "(g_K*E_K*r + g_Na*E_Na)/(r*g_K+g_Na)",
        _positive("g_K", "g_Na", "E_K", "E_Na", "r"),
        [
            "(r*g_K*E_K+g_Na*E_Na)/(g_Na+r*g_K)", "(E_K+g_Na*E_Na/(r*g_K))/(1+g_Na/(r*g_K))",
            "E_K+g_Na*(E_Na-E_K)/(r*g_K+g_Na)", "(g_K E_K r + g_Na E_Na)/(r g_K + g_Na)",
            "(g_K*E_K*r+g_Na*E_Na)*(r*g_K+g_Na)^-1", "E_Na+r*g_K*(E_K-E_Na)/(r*g_K+g_Na)",
            "(g_K*E_K+g_Na*E_Na/r)/(g_K+g_Na/r)", "r*g_K*E_K/(r*g_K+g_Na)+g_Na*E_Na/(r*g_K+g_Na)",
        ],
        [
            "(g_K*E_K+g_Na*E_Na*r)/(g_K+r*g_Na)", "(g_K*E_K+g_Na*E_Na)/(g_K+g_Na)",
            "(E_K+E_Na)/2", "(g_K*E_K*r+g_Na*E_Na)/(g_K+g_Na)", "(g_K*E_K*r-g_Na*E_Na)/(r*g_K+g_Na)",
            "(g_K*E_K/r+g_Na*E_Na)/(g_K/r+g_Na)", "(g_K*E_K*r+g_Na*E_Na)/(r*g_K*g_Na)",
            "1.0001*(g_K*E_K*r+g_Na*E_Na)/(r*g_K+g_Na)",
        ],
    ),
    (
        "g*(V-E)^2/T",
        _positive("g", "V", "E", "T"),
        [
            "g*(V^2-2*V*E+E^2)/T", "g*(E-V)^2/T", "g/T*(V-E)*(V-E)", "g*(V-E)^2*T^-1",
            "(g (V - E)^2)/T", "g*(V-E)**2/T", "(sqrt(g)*(V-E))^2/T", "g*V^2/T-2*g*V*E/T+g*E^2/T",
        ],
        [
            "g*(V-E)^2", "g*(V-E)/T", "g*(V^2-E^2)/T", "g*(V-E)^2/T^2", "g*(V+E)^2/T",
            "g*V^2/T-g*E^2/T", "g*(V-E)^2*T", "1.0001*g*(V-E)^2/T",
        ],
    ),
]


def _build() -> tuple[FormulaPair, ...]:
    pairs: list[FormulaPair] = []
    for prefactor, log in product(NERNST_PREFACTORS_OK, NERNST_LOGS_OK):
        pairs.append(FormulaPair(f"{prefactor}*{log}", NERNST, NERNST_SYMBOLS, True, "nernst"))
    for prefactor, log in product(NERNST_PREFACTORS_BAD, NERNST_LOGS_OK[:6]):
        pairs.append(FormulaPair(f"{prefactor}*{log}", NERNST, NERNST_SYMBOLS, False, "nernst"))
    for prefactor, log in product(NERNST_PREFACTORS_OK[:4], NERNST_LOGS_BAD):
        pairs.append(FormulaPair(f"{prefactor}*{log}", NERNST, NERNST_SYMBOLS, False, "nernst"))
    for prefactor, log in product(GHK_PREFACTORS_OK, GHK_LOGS_OK):
        pairs.append(FormulaPair(f"{prefactor}*{log}", GHK, GHK_SYMBOLS, True, "ghk"))
    pairs.extend(FormulaPair(text, GHK, GHK_SYMBOLS, False, "ghk") for text in GHK_BAD)
    for reference, symbols, good, bad in SMALL:
        family = reference.split("(")[0] or reference
        pairs.extend(FormulaPair(text, reference, symbols, True, family) for text in good)
        pairs.extend(FormulaPair(text, reference, symbols, False, family) for text in bad)
    return tuple(pairs)


#: Every labelled pair.
CORPUS: tuple[FormulaPair, ...] = _build()
