"""Answers written the way students write them, graded as a careful teacher would (issue 15).

Every row goes through ``membranelab.bank.grade_part`` on a real problem of the bank (canonical
variant).  The expected values are computed here by hand, from the canonical parameters in the
problem files, never by the code under test; each table's first test checks that the bank's
canonical variant is the case computed here.

Verdicts: ``right`` (full credit), ``wrong`` (read, judged, no credit: a try is spent) and
``unread`` (not read as an answer: no credit, ``readable`` is False, no try is spent).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from membranelab.bank import grade_part, load_bank

# -- the canonical cases, by hand (SI 2019 constants) ----------------------------------------
R, F, E_CHARGE = 8.314462618, 96485.33212, 1.602176634e-19
RT_F_37 = R * 310.15 / F * 1e3                                  # 26.7268 mV at 37 °C
E_K = RT_F_37 * math.log(4 / 140)                               # -95.02 mV
E_NA = RT_F_37 * math.log(145 / 15)                             # +60.63 mV
V_CHORD = (1 * -89 + 0.04 * 61 + 0.45 * -64) / (1 + 0.04 + 0.45)  # -77.42 mV
C_CELL = 4 * math.pi * (10e-6) ** 2 * 1e-2 * 1e12               # 12.566 pF (1 uF/cm^2)
Q_CELL = C_CELL * -70e-3                                        # -0.8796 pC
N_IONS = abs(Q_CELL) * 1e-12 / E_CHARGE                         # 5.490e6 ions
HAND = {("nernst-potassium", "E_K"): E_K, ("nernst-sodium", "E_Na"): E_NA,
        ("chord-conductance", "V_m"): V_CHORD, ("membrane-charge", "C"): C_CELL,
        ("membrane-charge", "Q"): Q_CELL, ("membrane-charge", "n_ions"): N_IONS}

RIGHT, WRONG, UNREAD = "right", "wrong", "unread"

# (problem, part, answer as typed, verdict, note expected or "")
NUMERIC = [
    # E_K = -95.02 mV
    ("nernst-potassium", "E_K", "-95.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.02 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "\u221295.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "\u201395.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 millivolts", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 Millivolts", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 MILLIVOLTS", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 millivolt", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 mv", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 Mv", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-0.0950 V", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-0.09502 volts", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95000 uV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95000 \u00b5V", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 mV.", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0 mV\u3002", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "E_K = -95.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "E_K=-95.0mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-9.50e1 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-9.50\u00d710\u00b9 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-9.50*10^1 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-9.502 x 10^-2 V", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "\uff0d\uff19\uff15.\uff10\uff4d\uff36", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "\uff0d\uff19\uff15\uff0e\uff10 \uff4d\uff36", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "\uff0d\uff19\uff15\uff0e\uff10\u3000mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95,0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95,02 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0\u00a0mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "  -95.0   mV  ", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "-95.0", RIGHT, "units.missing"),
    ("nernst-potassium", "E_K", "-95.023 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "95.0 mV", WRONG, "sign.flipped"),
    ("nernst-potassium", "E_K", "+95.0 mV", WRONG, "sign.flipped"),
    ("nernst-potassium", "E_K", "-41.3 mV", WRONG, "mistake.log10"),
    ("nernst-potassium", "E_K", "-11.3 mV", WRONG, "mistake.celsius_as_kelvin"),
    ("nernst-potassium", "E_K", "-95.0 V", WRONG, "units.wrong_scale"),
    ("nernst-potassium", "E_K", "-95.0 MV", WRONG, "units.case"),
    ("nernst-potassium", "E_K", "-0.095 mV", WRONG, "mistake.volts_for_millivolts"),
    ("nernst-potassium", "E_K", "-120 mV", WRONG, "value.incorrect"),
    ("nernst-potassium", "E_K", "-90 mV", WRONG, "value.incorrect"),
    ("nernst-potassium", "E_K", "-70 mV", WRONG, "value.incorrect"),
    ("nernst-potassium", "E_K", "-95.0 mM", WRONG, "units.incompatible"),
    ("nernst-potassium", "E_K", "-95.0 m V", WRONG, "units.incompatible"),
    ("nernst-potassium", "E_K", "-95.0 xyz", UNREAD, "units.unknown"),
    ("nernst-potassium", "E_K", "minus 95 mV", UNREAD, "parse.error"),
    ("nernst-potassium", "E_K", "-95..0 mV", UNREAD, "parse.error"),
    ("nernst-potassium", "E_K", "-95 mV + 3", UNREAD, "units.unknown"),
    ("nernst-potassium", "E_K", "-1e2 mV", UNREAD, "sigfigs.too_few"),
    ("nernst-potassium", "E_K", "-1,234 mV", UNREAD, "number.comma"),
    ("nernst-potassium", "E_K", "   ", UNREAD, "missing"),
    # E_Na = +60.63 mV
    ("nernst-sodium", "E_Na", "60.6 mV", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "+60.6 mV", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "60.63mV", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "60.6 millivolts", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "60.6 MILLIVOLT", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "0.0606 V", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "\uff16\uff10.\uff16 \uff4d\uff36", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "60,6 mV", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "60.6 mv", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "E_Na = 60.6 mV", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "6.06e1 mV", RIGHT, "correct"),
    ("nernst-sodium", "E_Na", "-60.6 mV", WRONG, "sign.flipped"),
    ("nernst-sodium", "E_Na", "26.3 mV", WRONG, "mistake.log10"),
    ("nernst-sodium", "E_Na", "60.6 V", WRONG, "units.wrong_scale"),
    ("nernst-sodium", "E_Na", "0.0606 mV", WRONG, "mistake.volts_for_millivolts"),
    ("nernst-sodium", "E_Na", "70 mV", WRONG, "value.incorrect"),
    ("nernst-sodium", "E_Na", "60.6 pF", WRONG, "units.incompatible"),
    ("nernst-sodium", "E_Na", "60.6 mVolt", UNREAD, "units.unknown"),
    ("nernst-sodium", "E_Na", "sixty mV", UNREAD, "parse.error"),
    ("nernst-sodium", "E_Na", "6e1 mV", UNREAD, "sigfigs.too_few"),
    # chord conductance V_m = -77.42 mV
    ("chord-conductance", "V_m", "-77.4 mV", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-77.42mV", RIGHT, "correct"),
    ("chord-conductance", "V_m", "\u221277.4 mV", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-77,4 mV", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-0.0774 V", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-77.4 Millivolts", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-77.4 mv", RIGHT, "correct"),
    ("chord-conductance", "V_m", "V_m = -77.4 mV", RIGHT, "correct"),
    ("chord-conductance", "V_m", "\uff0d\uff17\uff17.\uff14\uff4d\uff36", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-77 mV", RIGHT, "correct"),
    ("chord-conductance", "V_m", "-30.7 mV", WRONG, "mistake.conductances_unweighted"),
    ("chord-conductance", "V_m", "77.4 mV", WRONG, "sign.flipped"),
    ("chord-conductance", "V_m", "-89 mV", WRONG, "value.incorrect"),
    ("chord-conductance", "V_m", "-77.4 nS", WRONG, "units.incompatible"),
    ("chord-conductance", "V_m", "-77.4 m", WRONG, "units.incompatible"),
    ("chord-conductance", "V_m", "-77.4 mV mV", WRONG, "units.incompatible"),
    ("chord-conductance", "V_m", "-77.4 (mV", UNREAD, "units.unknown"),
    ("chord-conductance", "V_m", "-8e1 mV", UNREAD, "sigfigs.too_few"),
    # membrane capacitance C = 12.566 pF
    ("membrane-charge", "C", "12.6 pF", RIGHT, "correct"),
    ("membrane-charge", "C", "12.57 pF", RIGHT, "correct"),
    ("membrane-charge", "C", "12.566pF", RIGHT, "correct"),
    ("membrane-charge", "C", "12.6 pf", RIGHT, "correct"),
    ("membrane-charge", "C", "0.0126 nF", RIGHT, "correct"),
    ("membrane-charge", "C", "1.26e-11 F", RIGHT, "correct"),
    ("membrane-charge", "C", "1.26\u00d710\u207b\u00b9\u00b9 F", RIGHT, "correct"),
    ("membrane-charge", "C", "12.6 picofarads", RIGHT, "correct"),
    ("membrane-charge", "C", "12.6 Picofarad", RIGHT, "correct"),
    ("membrane-charge", "C", "\uff11\uff12.\uff16 \uff50\uff26", RIGHT, "correct"),
    ("membrane-charge", "C", "12,6 pF", RIGHT, "correct"),
    ("membrane-charge", "C", "C = 12.6 pF", RIGHT, "correct"),
    ("membrane-charge", "C", "12600 fF", RIGHT, "correct"),
    ("membrane-charge", "C", "50.3 pF", WRONG, "mistake.diameter_as_radius"),
    ("membrane-charge", "C", "12.6 pC", WRONG, "units.incompatible"),
    ("membrane-charge", "C", "12.6 F", WRONG, "units.wrong_scale"),
    ("membrane-charge", "C", "12.6 PF", WRONG, "units.case"),
    ("membrane-charge", "C", "3.14 pF", WRONG, "value.incorrect"),
    ("membrane-charge", "C", "13 pF", UNREAD, "sigfigs.too_few"),
    ("membrane-charge", "C", "12.6 pFF", UNREAD, "units.unknown"),
    ("membrane-charge", "C", "12.6 p F", UNREAD, "units.unknown"),
    # membrane charge Q = -0.8796 pC
    ("membrane-charge", "Q", "-0.880 pC", RIGHT, "correct"),
    ("membrane-charge", "Q", "-0.88 pC", RIGHT, "correct"),
    ("membrane-charge", "Q", "-0.880 pc", RIGHT, "correct"),
    ("membrane-charge", "Q", "-880 fC", RIGHT, "correct"),
    ("membrane-charge", "Q", "-8.80e-13 C", RIGHT, "correct"),
    ("membrane-charge", "Q", "-0.880 picocoulombs", RIGHT, "correct"),
    ("membrane-charge", "Q", "\u22120.880 pC", RIGHT, "correct"),
    ("membrane-charge", "Q", "-0,880 pC", RIGHT, "correct"),
    ("membrane-charge", "Q", "0.880 pC", WRONG, "sign.flipped"),
    ("membrane-charge", "Q", "-0.880 pF", WRONG, "units.incompatible"),
    ("membrane-charge", "Q", "-0.880 C", WRONG, "units.wrong_scale"),
    ("membrane-charge", "Q", "-1.2 pC", WRONG, "value.incorrect"),
    ("membrane-charge", "Q", "-0.9 pC", UNREAD, "sigfigs.too_few"),
    # number of ions n = 5.490e6 (a pure number)
    ("membrane-charge", "n_ions", "5.49e6", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5.49\u00d710\u2076", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5.49*10^6", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5.49 x 10^6", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5490000", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5,490,000", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5,490,318", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "\uff15.\uff14\uff19e\uff16", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5.49E6", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "5.49e3", WRONG, "scale.factor_1000"),
    ("membrane-charge", "n_ions", "5.49e6 mV", WRONG, "units.incompatible"),
    ("membrane-charge", "n_ions", "1.1e7", WRONG, "value.incorrect"),
    ("membrane-charge", "n_ions", "5,490", UNREAD, "number.comma"),
    ("membrane-charge", "n_ions", "5.49e6 ions", RIGHT, "correct"),
    # the pump current: -235 pA for +235 pA is a sign convention, not swapped concentrations
    ("pump-steady-state", "I_pump", "235 pA", RIGHT, "correct"),
    ("pump-steady-state", "I_pump", "0.235 nA", RIGHT, "correct"),
    ("pump-steady-state", "I_pump", "235 pa", RIGHT, "correct"),
    ("pump-steady-state", "I_pump", "-235 pA", WRONG, "sign.flipped"),
]

CHOICES = [
    ("nernst-chloride", "valence", "z = -1", RIGHT),
    ("nernst-chloride", "valence", "-1", RIGHT),
    ("nernst-chloride", "valence", "z=-1", RIGHT),
    ("nernst-chloride", "valence", "\u22121", RIGHT),
    ("nernst-chloride", "valence", "Z = -1", RIGHT),
    ("nernst-chloride", "valence", "\uff5a\uff1d\uff0d\uff11", RIGHT),
    ("nernst-chloride", "valence", "b", RIGHT),
    ("nernst-chloride", "valence", "(b)", RIGHT),
    ("nernst-chloride", "valence", "+1", WRONG),
    ("nernst-chloride", "valence", "z=1", WRONG),
    ("nernst-chloride", "valence", "0", WRONG),
    ("nernst-chloride", "valence", "z = -2", UNREAD),
    ("pump-steady-state", "ratio", "3 : 2", RIGHT),
    ("pump-steady-state", "ratio", "3:2", RIGHT),
    ("pump-steady-state", "ratio", "3\uff1a2", RIGHT),
    ("pump-steady-state", "ratio", "3/2", RIGHT),
    ("pump-steady-state", "ratio", "1.5", RIGHT),
    ("pump-steady-state", "ratio", " 3 :2 ", RIGHT),
    ("pump-steady-state", "ratio", "2:3", WRONG),
    ("pump-steady-state", "ratio", "1:1", WRONG),
    ("pump-steady-state", "ratio", "4:1", UNREAD),
    ("gaba-shift", "young_effect", "depolarises it", RIGHT),
    ("gaba-shift", "young_effect", "depolarize", RIGHT),
    ("gaba-shift", "young_effect", "depolarizes", RIGHT),
    ("gaba-shift", "young_effect", "Depolarizing", RIGHT),
    ("gaba-shift", "young_effect", "it depolarizes", RIGHT),
    ("gaba-shift", "young_effect", "depolarised.", RIGHT),
    ("gaba-shift", "young_effect", "hyperpolarizes", WRONG),
    ("gaba-shift", "mature_effect", "hyperpolarize", RIGHT),
    ("gaba-shift", "mature_effect", "hyperpolarizes it", RIGHT),
    ("gaba-shift", "mature_effect", "hyperpolarizing", RIGHT),
    ("gaba-shift", "mature_effect", "HYPERPOLARISES", RIGHT),
    ("gaba-shift", "mature_effect", "depolarize", WRONG),
    ("gaba-shift", "mature_effect", "excites it", UNREAD),
    ("hyperkalemia", "effect", "depolarizes the cell", RIGHT),
    ("hyperkalemia", "effect", "depolarizes", RIGHT),
    ("hyperkalemia", "effect", "it depolarises", RIGHT),
    ("hyperkalemia", "effect", "hyperpolarizes the cell", WRONG),
    ("pump-hyperpolarization", "sign", "hyperpolarizing", RIGHT),
    ("pump-hyperpolarization", "sign", "hyperpolarising", RIGHT),
    ("pump-hyperpolarization", "sign", "Hyperpolarizing.", RIGHT),
    ("pump-hyperpolarization", "sign", "depolarizing", WRONG),
    ("ghk-permeability", "more_sodium", "depolarize", RIGHT),
    ("ghk-permeability", "more_sodium", "it depolarizes", RIGHT),
    ("ghk-permeability", "more_sodium", "hyperpolarise", WRONG),
    ("ghk-permeability", "more_sodium", "stay the same", WRONG),
    ("nernst-potassium", "direction", "out of the cell", RIGHT),
    ("nernst-potassium", "direction", "Out of the cell.", RIGHT),
    ("nernst-potassium", "direction", "out-of-the-cell", RIGHT),
    ("nernst-potassium", "direction", "into the cell", WRONG),
    ("nernst-potassium", "direction", "sideways", UNREAD),
]

FORMULAS = [
    ("nernst-potassium", "formula", "R*T/(z*F)*ln(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "RT/(zF)*ln(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "RT/(zF) ln(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "R T/(z F) ln(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "2.303*R*T/(z*F)*log10(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "2.303*R*T/(z*F)*lg(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "2.303 RT/(zF) log(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "R*T/(z*F)*log(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "R*T/(z*F)*(ln(c_out)-ln(c_in))", RIGHT),
    ("nernst-potassium", "formula", "-R*T/(z*F)*ln(c_in/c_out)", RIGHT),
    ("nernst-potassium", "formula", "E = R*T/(z*F)*ln(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "\uff32\uff34/(\uff5a\uff26)*ln(c_out/c_in)", RIGHT),
    ("nernst-potassium", "formula", "R*T/(z*F)*\u2061ln(c_out/c_in)", UNREAD),
    ("nernst-potassium", "formula", "R*T/(sqrt(z^2)*F)*ln(c_out/c_in)", WRONG),
    ("nernst-potassium", "formula", "R*T/(z*F)*log10(c_out/c_in)", WRONG),
    ("nernst-potassium", "formula", "R*T/(z*F)*ln(c_in/c_out)", WRONG),
    ("nernst-potassium", "formula", "R*T/F*ln(c_out/c_in)", WRONG),
    ("nernst-potassium", "formula", "2*R*T/(z*F)*ln(c_out/c_in)", WRONG),
    ("nernst-potassium", "formula", "2.3*R*T/(z*F)*log10(c_out/c_in)*1.1", WRONG),
    ("nernst-potassium", "formula", "R*T*z/F*ln(c_out/c_in)", WRONG),
    ("nernst-potassium", "formula", "R*T/(z*F)*ln(c_out/c_in", UNREAD),
    ("nernst-potassium", "formula", "RT/(zF)*ln(cout/cin)", RIGHT),
    ("nernst-potassium", "formula", "R*T/(z*F)*ln[c_out/c_in]", RIGHT),
    ("selectivity-barrier", "formula", "exp(ddG/(R*T))", RIGHT),
    ("selectivity-barrier", "formula", "exp(ddG/(RT))", RIGHT),
    ("selectivity-barrier", "formula", "e^(ddG/(R*T))", RIGHT),
    ("selectivity-barrier", "formula", "e^(ddG/(RT))", RIGHT),
    ("selectivity-barrier", "formula", "e**(ddG/(R T))", RIGHT),
    ("selectivity-barrier", "formula", "exp(ddG/R/T)", RIGHT),
    ("selectivity-barrier", "formula", "10^(ddG/(R*T))", WRONG),
    ("selectivity-barrier", "formula", "exp(-ddG/(R*T))", WRONG),
    ("selectivity-barrier", "formula", "exp(ddG/R)", WRONG),
    ("selectivity-barrier", "formula", "exp(ddG/(R*T)", UNREAD),
    ("chord-conductance", "formula", "(g_K*E_K + g_Na*E_Na + g_Cl*E_Cl)/(g_K + g_Na + g_Cl)",
     RIGHT),
    ("chord-conductance", "formula", "(g_K E_K + g_Na E_Na + g_Cl E_Cl)/(g_K+g_Na+g_Cl)",
     RIGHT),
    ("chord-conductance", "formula", "(E_K + E_Na + E_Cl)/3", WRONG),
    ("chord-conductance", "formula", "(g_K*E_K + g_Na*E_Na)/(g_K + g_Na)", WRONG),
]


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _grade(bank, problem_id: str, part_id: str, answer: str):
    problem = bank.problems[problem_id]
    variant = problem.variant("canonical")
    return grade_part(problem, variant, problem.part(part_id), answer)


def _verdict(result) -> str:
    if result.correct and result.score == 1.0:
        return RIGHT
    return UNREAD if not result.readable else WRONG


def test_corpus_is_large_enough() -> None:
    """At least 150 answers as students write them."""
    assert len(NUMERIC) + len(CHOICES) + len(FORMULAS) >= 150


@pytest.mark.parametrize(("key", "value"), HAND.items())
def test_canonical_variant_is_the_case_computed_by_hand(bank, key, value) -> None:
    """The bank's canonical answers are the values computed above (so the rows test grading)."""
    problem = bank.problems[key[0]]
    assert problem.variant("canonical").answers()[key[1]].value == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize(("problem_id", "part_id", "answer", "verdict", "note"), NUMERIC)
def test_numeric_answers(bank, problem_id, part_id, answer, verdict, note) -> None:
    """A number as a student types it gets the teacher's verdict and the named reason."""
    result = _grade(bank, problem_id, part_id, answer)
    assert (_verdict(result), result.note) == (verdict, note), result.feedback


@pytest.mark.parametrize(("problem_id", "part_id", "answer", "verdict"), CHOICES)
def test_choice_answers(bank, problem_id, part_id, answer, verdict) -> None:
    """A choice written in the student's own words, spelling or notation is recognised."""
    result = _grade(bank, problem_id, part_id, answer)
    assert _verdict(result) == verdict, result.feedback


@pytest.mark.parametrize(("problem_id", "part_id", "answer", "verdict"), FORMULAS)
def test_formula_answers(bank, problem_id, part_id, answer, verdict) -> None:
    """A formula written as students write it (RT, e^, lg, 2.303) gets the teacher's verdict."""
    result = _grade(bank, problem_id, part_id, answer)
    assert _verdict(result) == verdict, result.feedback


class TestNotes:
    def test_decimal_comma_is_said(self, bank) -> None:
        """A decimal comma is accepted with a note saying how it was read."""
        result = _grade(bank, "nernst-potassium", "E_K", "-95,0 mV")
        assert "number.decimal_comma" in result.notes
        assert "read the comma as a decimal point (95.0)" in result.feedback

    def test_unit_case_is_said(self, bank) -> None:
        """A unit symbol in the wrong case is accepted with a note on its case."""
        result = _grade(bank, "membrane-charge", "Q", "-0.880 pc")
        assert "units.case_fixed" in result.notes and "I read pc as pC" in result.feedback

    def test_too_few_figures_says_how_many(self, bank) -> None:
        """An answer rounded to too few figures is told how many to give."""
        result = _grade(bank, "membrane-charge", "C", "13 pF")
        assert "at least 3 significant figures (you gave 2)" in result.feedback

    def test_thousands_are_not_a_decimal_comma(self, bank) -> None:
        """2,430,000-style thousands are read as thousands, with no "write 2.430"."""
        result = _grade(bank, "membrane-charge", "n_ions", "5,490,000")
        assert result.correct and "write 5.490" not in result.feedback
        assert "number.decimal_comma" not in result.notes

    def test_formula_factor_never_says_one_times(self, bank) -> None:
        """2.303 for ln 10 is accepted with a note, and no message says "1 times"."""
        result = _grade(bank, "nernst-potassium", "formula", "2.303*R*T/(z*F)*log10(c_out/c_in)")
        assert result.correct and "formula.constant_factor" in result.notes
        assert " 1 times" not in result.feedback and "1.0002" in result.feedback

    def test_implicit_product_is_said(self, bank) -> None:
        """RT read as R·T is said in the feedback."""
        result = _grade(bank, "nernst-potassium", "formula", "RT/(zF)*ln(c_out/c_in)")
        assert "I read RT, zF as R\u00b7T, z\u00b7F" in result.feedback

    def test_pure_number_messages_name_no_unit(self, bank) -> None:
        """A pure-number part never says "unit such as none", "-95 mV" or "in dimensionless"."""
        for answer in ("5.49e6 ions", "ions", "5.49e6 mV"):
            text = _grade(bank, "membrane-charge", "n_ions", answer).feedback
            assert "none" not in text and "mV." not in text.split("e.g.")[-1][:8]
            assert "dimensionless" not in text and "[" not in text

    def test_no_pint_dimension_text(self, bank) -> None:
        """A unit of another kind is said in words: what it was read as and what is expected."""
        text = _grade(bank, "nernst-potassium", "E_K", "-95.0 m V").feedback
        assert "[length]" not in text and "**" not in text
        assert "meter" in text and "a voltage" in text and "mV" in text

    def test_wrong_choice_explains_why(self, bank) -> None:
        """A wrong choice with an explanation in the bank shows it."""
        problem = bank.problems["nernst-chloride"]
        result = _grade(bank, "nernst-chloride", "valence", "z = +1")
        assert problem.part("valence").answer_kind.why["z = +1"] in result.feedback


# -- NFKC, full-width and spacing variants of a right answer stay right ----------------------
_FULL_WIDTH = {ch: chr(ord(ch) + 0xFEE0) for ch in "0123456789.-mV"}
_MINUS = st.sampled_from(["-", "\u2212", "\uff0d", "\u2013"])
_SPACE = st.sampled_from(["", " ", "  ", "\u00a0", "\u2009", "\u3000", "\t"])


@st.composite
def _typed_right_answer(draw) -> str:
    digits = draw(st.sampled_from(["95.0", "95.02", "95.023", "95.0226"]))
    unit = draw(st.sampled_from(["mV", "mv", "millivolts", "MILLIVOLTS", "Millivolt"]))
    text = digits + draw(_SPACE) + unit
    widened = "".join(_FULL_WIDTH.get(ch, ch) if draw(st.booleans()) else ch for ch in text)
    prefix = draw(st.sampled_from(["", "E_K = ", "E_K=", " "]))
    suffix = draw(st.sampled_from(["", ".", "\u3002", " "]))
    return f"{prefix}{draw(_MINUS)}{draw(_SPACE)}{widened}{suffix}"


@settings(max_examples=150, deadline=None)
@given(_typed_right_answer())
def test_typed_variants_of_a_right_answer_stay_right(answer: str) -> None:
    """Full-width characters, any minus sign, spaces of any kind, unit names in any case and a
    final full stop do not change the verdict on -95.0 mV (E_K = -95.02 mV)."""
    result = _grade(_BANK, "nernst-potassium", "E_K", answer)
    assert result.correct and result.score == 1.0, (answer, result.feedback)


_BANK = load_bank()
