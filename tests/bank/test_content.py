"""Each problem's canonical variant reproduces the source documents' numbers.

Expected values are computed here by hand (SI 2019 constants) or quoted from the documents,
never taken from the code under test.
"""

import math

import pytest

R = 8.314462618
F = 96485.33212
E = 1.602176634e-19
N_A = 6.02214076e23


def nernst_mv(c_out, c_in, z, t):
    return R * t / (z * F) * math.log(c_out / c_in) * 1000


EK_001 = nernst_mv(4, 140, 1, 310.15)
ENA_001 = nernst_mv(145, 15, 1, 310.15)


def _pump_state():
    gk, gna = 50e-9, 4.81e-9
    vm = (1.5 * gk * EK_001 + gna * ENA_001) / (1.5 * gk + gna)
    return gk, gna, vm


def _warming():
    """27 -> 37 °C, g_K 40 nS, g_Na 4 nS; at 27 °C the 3:2 steady state sets V_m and the pump
    current I = g_K (V - E_K) / 2; after warming leaks x1.3, pump x3."""
    ek1, ena1 = nernst_mv(4, 140, 1, 300.15) / 1000, nernst_mv(145, 15, 1, 300.15) / 1000
    gk, gna = 40e-9, 4e-9
    before = (1.5 * gk * ek1 + gna * ena1) / (1.5 * gk + gna)
    ip = gk * (before - ek1) / 2
    ek2, ena2 = nernst_mv(4, 140, 1, 310.15) / 1000, nernst_mv(145, 15, 1, 310.15) / 1000
    after = (1.3 * gk * ek2 + 1.3 * gna * ena2 - 3.0 * ip) / (1.3 * (gk + gna))
    return before * 1000, after * 1000, ip * 1e12


def _noise_sigma_mv():
    n, g, p, tau = 80, 5e-12, 0.5, 1e-4
    ek = nernst_mv(4, 140, 1, 310.15) / 1000
    gl, el = 90e-12, -0.015
    c = 0.01 * 4 * math.pi * (2e-6) ** 2
    big_g = n * p * g + gl
    v0 = (n * p * g * ek + gl * el) / big_g
    tau_m = c / big_g
    var = (v0 - ek) ** 2 * n * g**2 * p * (1 - p) / big_g**2 * tau / (tau + tau_m)
    return math.sqrt(var) * 1000, v0 * 1000, c * 1e12


def _ghk_mv(kout, pna, t=310.15, kin=140, naout=145, nain=15, pcl=0.0, clout=110, clin=10):
    return R * t / F * math.log((kout + pna * naout + pcl * clin)
                                / (kin + pna * nain + pcl * clout)) * 1000


_GK, _GNA, _VM = _pump_state()
_W_BEFORE, _W_AFTER, _W_PUMP = _warming()
_SIGMA, _V0, _C_PF = _noise_sigma_mv()
_C10 = 0.01 * 4 * math.pi * (10e-6) ** 2
_N_IONS = _C10 * 0.070 / E
_N_K = 140 * (4 / 3 * math.pi * (10e-6) ** 3) * N_A

# (problem, part, expected in the part's unit, relative tolerance)
HAND = [
    ("nernst-potassium", "E_K", EK_001, 1e-6),
    ("nernst-sodium", "E_Na", ENA_001, 1e-6),
    ("nernst-sodium", "drive", -70 - ENA_001, 1e-6),
    ("nernst-chloride", "E_Cl", nernst_mv(110, 10, -1, 310), 1e-6),
    ("nernst-doc000-table", "E_K", nernst_mv(3, 117, 1, 310), 1e-6),
    ("nernst-doc000-table", "E_Na", nernst_mv(120, 30, 1, 310), 1e-6),
    ("nernst-doc000-table", "E_Cl", nernst_mv(30, 1, -1, 310), 1e-6),
    ("ghk-permeability", "V_m", _ghk_mv(4, 0.04, pcl=0.45), 1e-6),
    ("chord-conductance", "V_m", (-89 + 0.04 * 61 + 0.45 * -64) / 1.49, 1e-9),
    ("chord-conductance", "V_block", (-89 + 0.04 * 61) / 1.04, 1e-9),
    ("pump-steady-state", "V_m", _VM, 1e-6),
    ("pump-steady-state", "I_pump", _GK * (_VM - EK_001) / 1000 / 2 * 1e12, 1e-6),
    ("pump-hyperpolarization", "dV", -235 / 54.81, 1e-9),
    ("membrane-charge", "C", _C10 * 1e12, 1e-9),
    ("membrane-charge", "Q", -_C10 * 0.070 * 1e12, 1e-9),
    ("membrane-charge", "n_ions", _N_IONS, 1e-9),
    ("membrane-charge", "fraction", _N_IONS / _N_K, 1e-6),
    ("selectivity-barrier", "exponent", 12000 / (R * 310), 1e-9),
    ("selectivity-barrier", "ratio", math.exp(12000 / (R * 310)), 1e-9),
    ("selectivity-inverse", "ddG", R * 310 * math.log(105) / 1000, 1e-9),
    ("warming-q10", "V_before", _W_BEFORE, 1e-6),
    ("warming-q10", "V_after", _W_AFTER, 1e-6),
    ("warming-q10", "I_pump", _W_PUMP, 1e-6),
    ("warming-q10", "I_pump2", 3 * _W_PUMP, 1e-6),
    ("energetics-entropy", "V_m", _VM, 1e-6),
    ("channel-noise", "sigma", _SIGMA, 1e-6),
    ("channel-noise", "V_0", _V0, 1e-6),
    ("channel-noise", "C", _C_PF, 1e-6),
    ("hyperkalemia", "V_normal", _ghk_mv(4, 0.04), 1e-6),
    ("hyperkalemia", "V_high", _ghk_mv(8, 0.04), 1e-6),
    ("gaba-shift", "E_young", nernst_mv(110, 25, -1, 310.15), 1e-6),
    ("gaba-shift", "E_mature", nernst_mv(110, 7, -1, 310.15), 1e-6),
    ("ness-equilibrium", "drive_K", -70 - EK_001, 1e-6),
    ("ness-equilibrium", "drive_Na", -70 - ENA_001, 1e-6),
    # the pump current of the 3:2 steady state, I = g_K (V - E_K) / 2 (234.5 pA)
    ("atp-depletion", "V_with", _VM, 1e-6),
    ("atp-depletion", "jump", _GK * (_VM - EK_001) / 2 / 54.81e-9, 1e-6),
    ("chloride-substitution", "E_before", nernst_mv(120, 4, -1, 310.15), 1e-6),
    ("chloride-substitution", "E_after", nernst_mv(60, 4, -1, 310.15), 1e-6),
]

# (problem, part, the document's number, absolute tolerance in the part's unit)
DOCUMENT = [
    ("nernst-potassium", "E_K", -95, 0.5),            # 001: "about -95 mV"
    ("nernst-sodium", "E_Na", 60, 1.0),               # 001: "about +60 mV"
    ("nernst-chloride", "E_Cl", -64, 0.5),            # 001 chord example (text: -65, erratum)
    ("ghk-permeability", "V_m", -70, 1.5),            # 000: "about -70 mV"
    ("chord-conductance", "V_m", -77, 0.5),           # 001: "about -77 mV"
    ("chord-conductance", "V_block", -83, 0.5),       # 001: "about -83 mV"
    ("pump-steady-state", "V_m", -85.6, 0.05),        # scenario steady_state
    ("pump-steady-state", "I_pump", 235, 1.0),        # scenario steady_state
    ("pump-hyperpolarization", "dV", -4.3, 0.05),     # 001: between -1 and -5 mV; scenario -4.3
    ("selectivity-barrier", "exponent", 4.66, 0.005),  # 001: e^4.66
    ("selectivity-barrier", "ratio", 105, 1.0),        # 001: about 105
    ("selectivity-inverse", "ddG", 12, 0.05),          # 001: 12 kJ/mol
    ("energetics-entropy", "P", 107, 1.0),             # scenario steady_state: 107 pW
    ("energetics-entropy", "S_dot", 3.46e-13, 0.01e-13),  # 001: about 3.46e-13 J/(K s)
    ("channel-noise", "sigma", 0.45, 0.01),            # 001: about 0.45 mV
    ("nernst-doc000-table", "E_K", -97.9, 0.05),       # erratum doc000-ek-117-3 (doc: -85)
    ("nernst-doc000-table", "E_Cl", -90.9, 0.05),      # erratum doc000-ecl-1-30 (doc: -85)
    ("nernst-doc000-table", "E_Na", 37.0, 0.05),       # erratum doc000-ena-table (doc: +58)
    ("chloride-substitution", "E_before", -90.9, 0.05),  # 000 table 4/120 mM (= 1:30, -90.9)
    ("chloride-substitution", "E_after", -72.3, 0.1),    # erratum doc000-low-cl-out-direction
]

# (problem, part, the right choice as the documents argue it)
CHOICES = [
    ("nernst-potassium", "direction", "out of the cell"),
    ("nernst-sodium", "direction", "into the cell"),
    ("nernst-chloride", "valence", "z = -1"),
    ("nernst-chloride", "direction", "out of the cell"),
    ("chord-conductance", "cl_direction", "Cl⁻ leaves the cell: an inward current that depolarises"),
    ("ghk-permeability", "more_sodium", "depolarise"),
    ("pump-steady-state", "ratio", "3 : 2"),
    ("pump-hyperpolarization", "sign", "hyperpolarising"),
    ("selectivity-barrier", "higher_barrier", "Na⁺"),
    ("warming-q10", "effect", "hyperpolarises it"),
    ("energetics-entropy", "equilibrium", "zero"),
    ("hyperkalemia", "effect", "depolarises the cell"),
    ("gaba-shift", "young_effect", "depolarises it"),
    ("gaba-shift", "mature_effect", "hyperpolarises it"),
    ("ness-equilibrium", "state", "a non-equilibrium steady state"),
    ("ness-equilibrium", "zero", "the sum of all membrane currents"),
    ("atp-depletion", "immediate", "depolarises by a few mV"),
    ("atp-depletion", "long_run", "drifts towards 0 mV as the gradients run down"),
    ("chloride-substitution", "direction", "out of the cell"),  # erratum: not "into the cell"
    ("chloride-substitution", "cl_in_change", "falls"),
]


def _answer(bank, pid, part):
    return bank.problems[pid].variant("canonical").answers()[part]


class TestCanonical:
    @pytest.mark.parametrize(("pid", "part", "expected", "rel"), HAND)
    def test_hand_computed(self, bank, pid, part, expected, rel):
        """The canonical answer equals an independent hand computation."""
        assert _answer(bank, pid, part).value == pytest.approx(expected, rel=rel)

    @pytest.mark.parametrize(("pid", "part", "quoted", "tol"), DOCUMENT)
    def test_document_numbers(self, bank, pid, part, quoted, tol):
        """The canonical answer reproduces the number the document (or its scenario) quotes."""
        assert _answer(bank, pid, part).value == pytest.approx(quoted, abs=tol)

    @pytest.mark.parametrize(("pid", "part", "choice"), CHOICES)
    def test_choices(self, bank, pid, part, choice):
        """The canonical choice answers are the documents' conclusions."""
        assert _answer(bank, pid, part).text == choice

    def test_warming_hyperpolarises_by_the_scenario_amount(self, bank):
        """Warming: pump effect -I/G = -4.28 mV at 27 °C (steady state) and -9.88 mV at 37 °C."""
        v = bank.problems["warming-q10"].variant("canonical")
        assert v.values["pump_before"] * 1000 == pytest.approx(-_W_PUMP / 44, rel=1e-6)
        assert v.values["pump_after"] * 1000 == pytest.approx(-3 * _W_PUMP / (44 * 1.3), rel=1e-6)
        assert -5 < v.values["pump_before"] * 1000 < -1


class TestCoverage:
    def test_topics(self, bank):
        """The bank covers every topic the issue lists."""
        ids = set(bank.problems)
        assert {"nernst-potassium", "nernst-sodium", "nernst-chloride", "nernst-doc000-table",
                "ghk-permeability", "chord-conductance", "pump-steady-state", "membrane-charge",
                "selectivity-barrier", "selectivity-inverse", "pump-hyperpolarization",
                "warming-q10", "energetics-entropy", "channel-noise", "hyperkalemia",
                "gaba-shift", "ness-equilibrium", "atp-depletion"} <= ids

    def test_errata_cited_in_solutions(self, bank):
        """Every erratum a problem lists is cited by its worked solution."""
        for problem in bank:
            for eid in problem.errata:
                assert f"{{{{erratum:{eid}}}}}" in problem.solution, (problem.id, eid)

    def test_three_kinds(self, bank):
        """Numeric, symbolic and choice parts all occur."""
        kinds = {part.kind for problem in bank for part in problem.parts}
        assert kinds == {"numeric", "symbolic", "choice"}
