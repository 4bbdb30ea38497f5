"""Rounding carried: an answer computed from the displayed values is right.

Each student below works by hand, with formulas written here (Nernst, the 3:2 pump steady
state, the chord conductance equation, Q10 scaling; never the package's solver), from the data
as the statement shows them, and writes every value the way it is displayed: an earlier part's
answer to its significant figures, an intermediate value to 3 significant figures, a potential
that a later part uses to at least 0.1 mV (the bank shows those with enough figures). A
second student keeps the intermediate values unrounded and rounds only the answers written.
Every answer of every student must be accepted, through ``grade_part`` alone (the rounding
interval) and through ``grade`` with all answers (the student's own earlier answers).

Run as a script for the counts over N students (``python tests/bank/test_rounding_carried.py
3000``); with ``PYTHONPATH`` pointing at another checkout's ``src`` it measures that one; a
second argument ``3sf`` makes the students write every potential to 3 significant figures
(-103 mV), as they did before potentials were shown to 0.1 mV.
"""

from __future__ import annotations

import math
import sys

import pytest

from membranelab.bank import grade, grade_part, load_bank

#: SI 2019 exact values (J/(mol·K), C/mol), as a student copies them from a table.
R = 8.314462618
F = 96485.33212
#: Students per problem (the issue's measure).
STUDENTS = 3000
PROBLEMS = ("pump-steady-state", "atp-depletion", "ness-equilibrium", "warming-q10")


def rounded(x: float, figures: int = 3) -> float:
    """``x`` rounded to ``figures`` significant figures."""
    if x == 0:
        return 0.0
    return round(x, figures - 1 - math.floor(math.log10(abs(x))))


def potential(x_mv: float) -> float:
    """A potential in mV written as shown: 3 significant figures, and at least to 0.1 mV."""
    return rounded(x_mv, max(3, math.floor(math.log10(abs(x_mv))) + 2))


def written_as(x: float, unit: str, figures: int | None = None) -> str:
    """What the student writes: the number with its figures (trailing zeros kept) and unit."""
    if figures is None:
        figures = max(3, math.floor(math.log10(abs(x))) + 2) if unit == "mV" else 3
    decimals = max(0, figures - 1 - math.floor(math.log10(abs(x)))) if x else 0
    return f"{x:.{decimals}f} {unit}"


def nernst_mv(c_out: float, c_in: float, t_kelvin: float, z: int = 1) -> float:
    """E = (RT/zF) ln(c_out/c_in), in mV."""
    return 1000 * R * t_kelvin / (z * F) * math.log(c_out / c_in)


def pump_steady_mv(g_k: float, e_k: float, g_na: float, e_na: float) -> float:
    """3 Na⁺ : 2 K⁺ steady state: g_Na (V − E_Na) = −1.5 g_K (V − E_K), solved for V."""
    return (1.5 * g_k * e_k + g_na * e_na) / (1.5 * g_k + g_na)


def chord_mv(g_k: float, e_k: float, g_na: float, e_na: float, i_pump_pa: float = 0.0) -> float:
    """Zero total current: V = (g_K E_K + g_Na E_Na − I_pump) / (g_K + g_Na) (nS, mV, pA)."""
    return (g_k * e_k + g_na * e_na - i_pump_pa) / (g_k + g_na)


def student(problem_id: str, p: dict, keep: bool = False, three: bool = False
            ) -> dict[str, str]:
    """{part id: answer} of a student working from the displayed data ``p``; ``keep``: the
    intermediate values are kept unrounded (only the written answers are rounded); ``three``:
    every potential written to 3 significant figures (−103 mV), as the prompts' "3 significant
    figures" allows."""
    shown = rounded if three else potential
    r = (lambda x, figures=3: x) if keep else rounded
    v = (lambda x: x) if keep else shown

    def written(x: float, unit: str) -> str:
        return written_as(x, unit, 3 if three else None)
    if problem_id == "pump-steady-state":
        e_k = v(nernst_mv(p["K_out"], p["K_in"], p["T"]))
        e_na = v(nernst_mv(p["Na_out"], p["Na_in"], p["T"]))
        v_m = shown(pump_steady_mv(p["g_K"], e_k, p["g_Na"], e_na))
        i_pump = p["g_K"] * (v_m - e_k) / 2  # nS × mV = pA; one charge per 2 K⁺
        return {"V_m": written(v_m, "mV"), "I_pump": written(i_pump, "pA")}
    if problem_id == "atp-depletion":
        e_k = v(nernst_mv(p["K_out"], p["K_in"], p["T"]))
        e_na = v(nernst_mv(p["Na_out"], p["Na_in"], p["T"]))
        v_ss = pump_steady_mv(p["g_K"], e_k, p["g_Na"], e_na)
        i_pump = rounded(p["g_K"] * (v_ss - e_k) / 2)  # the statement shows it to 3 figures
        v_with = shown(chord_mv(p["g_K"], e_k, p["g_Na"], e_na, i_pump))
        v_without = v(chord_mv(p["g_K"], e_k, p["g_Na"], e_na))
        return {"V_with": written(v_with, "mV"), "jump": written(v_without - v_with, "mV")}
    if problem_id == "ness-equilibrium":
        t = p["T"] + 273.15  # shown in °C
        e_k = v(nernst_mv(p["K_out"], p["K_in"], t))
        e_na = v(nernst_mv(p["Na_out"], p["Na_in"], t))
        return {"drive_K": written(p["V_rest"] - e_k, "mV"),
                "drive_Na": written(p["V_rest"] - e_na, "mV")}
    if problem_id == "warming-q10":
        t1, t2 = p["t_from"] + 273.15, p["t_to"] + 273.15
        e_k1 = v(nernst_mv(p["K_out"], p["K_in"], t1))
        e_na1 = v(nernst_mv(p["Na_out"], p["Na_in"], t1))
        v_before = shown(pump_steady_mv(p["g_K"], e_k1, p["g_Na"], e_na1))
        i_pump = rounded(p["g_K"] * (v_before - e_k1) / 2)
        factor_leak = p["q10_leak"] ** ((p["t_to"] - p["t_from"]) / 10)
        factor_pump = p["q10_pump"] ** ((p["t_to"] - p["t_from"]) / 10)
        g_k2, g_na2 = r(p["g_K"] * factor_leak), r(p["g_Na"] * factor_leak)
        i_pump2 = rounded(i_pump * factor_pump)
        e_k2 = v(nernst_mv(p["K_out"], p["K_in"], t2))
        e_na2 = v(nernst_mv(p["Na_out"], p["Na_in"], t2))
        v_after = chord_mv(g_k2, e_k2, g_na2, e_na2, i_pump2)
        return {"V_before": written(v_before, "mV"), "I_pump": written(i_pump, "pA"),
                "I_pump2": written(i_pump2, "pA"), "V_after": written(v_after, "mV")}
    raise KeyError(problem_id)


def refused(bank, problem_id: str, n: int, *, alone: bool, keep: bool = False,
            three: bool = False) -> dict[str, int]:
    """{part id: answers refused} over students ``s00000 ...`` of assignment ``check``;
    ``alone``: each part through ``grade_part`` without the earlier answers."""
    problem = bank[problem_id]
    out: dict[str, int] = {}
    for i in range(n):
        variant = problem.variant(f"s{i:05d}", "check")
        answers = student(problem_id, dict(variant.params), keep, three)
        if alone:
            verdicts = {pid: grade_part(problem, variant, problem.part(pid), text)
                        for pid, text in answers.items()}
        else:
            result = grade(problem, variant, answers)
            verdicts = {pid: result.part(pid) for pid in answers}
        for pid, verdict in verdicts.items():
            if not verdict.correct:
                out[pid] = out.get(pid, 0) + 1
    return out


@pytest.fixture(scope="module")
def bank():
    return load_bank()


class TestHandStudents:
    def test_canonical_pump_by_hand(self, bank):
        """The hand formulas give the document's pump steady state (−85.6 mV, 235 pA)."""
        answers = student("pump-steady-state", dict(bank["pump-steady-state"].variant().params))
        assert answers == {"V_m": "-85.6 mV", "I_pump": "235 pA"}

    def test_potential_beyond_100_mv_shown_to_a_tenth(self):
        """A potential beyond 100 mV is written to 0.1 mV, one below to 3 figures."""
        assert written_as(potential(-101.34), "mV") == "-101.3 mV"
        assert written_as(potential(-85.64), "mV") == "-85.6 mV"
        assert written_as(rounded(-101.34), "mV", 3) == "-101 mV"

    @pytest.mark.slow
    @pytest.mark.parametrize("problem_id", PROBLEMS)
    @pytest.mark.parametrize(("keep", "three"), [(False, False), (True, False), (False, True)])
    def test_no_answer_from_displayed_values_refused_alone(self, bank, problem_id, keep, three):
        """Over 3,000 students, every answer computed from displayed values passes grade_part."""
        assert refused(bank, problem_id, STUDENTS, alone=True, keep=keep, three=three) == {}

    @pytest.mark.slow
    @pytest.mark.parametrize("problem_id", PROBLEMS)
    def test_no_answer_from_displayed_values_refused_in_grade(self, bank, problem_id):
        """Over 3,000 students, every answer computed from displayed values passes grade."""
        assert refused(bank, problem_id, STUDENTS, alone=False) == {}

    @pytest.mark.parametrize("problem_id", PROBLEMS)
    def test_a_few_students(self, bank, problem_id):
        """The first 40 students of each problem, both ways (the quick version)."""
        assert refused(bank, problem_id, 40, alone=True) == {}
        assert refused(bank, problem_id, 40, alone=True, three=True) == {}
        assert refused(bank, problem_id, 40, alone=False) == {}


if __name__ == "__main__":  # the measure: refused answers per problem and part
    count = int(sys.argv[1]) if len(sys.argv) > 1 else STUDENTS
    three = sys.argv[2:] == ["3sf"]
    hand = load_bank()
    for pid in PROBLEMS:
        print(pid, "grade_part:", refused(hand, pid, count, alone=True, three=three),
              "kept:", refused(hand, pid, count, alone=True, keep=True, three=three),
              "grade:", refused(hand, pid, count, alone=False, three=three))
