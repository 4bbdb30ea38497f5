"""The answer forms a fair teacher accepts or refuses (issue 22), with the teacher's verdict.

One table, used by ``tests/grading/test_fair_forms.py`` (through ``membranelab.bank.grade_part``
on the canonical variant of a real problem part) and by ``tests/cli/test_grade_fair_forms.py``
(the same rows in an answers CSV through ``membranelab grade``'s run function, student
``canonical``).  Each row: (problem, part, language of the text shown, answer as typed, verdict,
note or "" for any).  The canonical values the numeric rows are written against, by hand from
the problem files (SI 2019 constants):

* nernst-potassium E_K = RT/F ln(4/140) at 310.15 K = -95.02 mV;
* selectivity-inverse ddG = R * 310 K * ln(105) = 12.00 kJ/mol;
* selectivity-barrier ratio = exp(12 kJ/mol / (R * 310 K)) = 105.2;
* membrane-charge n_ions = 4 pi (10 um)^2 * 1 uF/cm^2 * 70 mV / e = 5.490e6.

(``test_fair_forms`` checks these against the bank's canonical variant.)

Verdicts: ``right`` (full credit), ``wrong`` (read and judged: a try), ``unread`` (not read
as an answer: no credit, no try; ``grade`` lists it for review).
"""

from __future__ import annotations

RIGHT, WRONG, UNREAD = "right", "wrong", "unread"

# (problem, part, lang, answer, verdict, note)
CASES: list[tuple[str, str, str, str, str, str]] = [
    # -- numbers: what comes before and after the value ------------------------------------
    ("nernst-potassium", "E_K", "en", "≈ -95.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "~ -95.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "about -95.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "约 -95.0 毫伏", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "约-95.0毫伏", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "负95毫伏", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "负95.0 mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 mV;", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "-95.0 mV；", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "-95.0 mV，", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 [mV]", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 (mV)", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "(-95.0) mV", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 milli-volt", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 milli-volts", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 mV (the inside is negative)", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "zh", "-95.0 mV（膜内为负）", RIGHT, "correct"),
    ("nernst-potassium", "E_K", "en", "-95.0 (at 37 °C)", RIGHT, "units.missing"),
    ("selectivity-inverse", "ddG", "en", "12.0 kJ·mol-1", RIGHT, "correct"),
    ("selectivity-inverse", "ddG", "en", "12.0 kJ mol-1", RIGHT, "correct"),
    ("selectivity-inverse", "ddG", "en", "12.0 kJ·mol⁻¹", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "en", "5.49 million", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "en", "5.49×10⁶ ions", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "en", "5.49 million ions", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "zh", "549万", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "zh", "5.49×10⁶ 个离子", RIGHT, "correct"),
    ("membrane-charge", "n_ions", "en", "5.49 thousand", WRONG, "scale.factor_1000"),
    ("selectivity-barrier", "ratio", "en", "105:1", RIGHT, "correct"),
    ("selectivity-barrier", "ratio", "en", "105 : 1", RIGHT, "correct"),
    ("selectivity-barrier", "ratio", "en", "1/105", WRONG, "mistake.ratio_inverted"),
    ("selectivity-barrier", "ratio", "en", "1:105", WRONG, "mistake.ratio_inverted"),
    ("selectivity-barrier", "ratio", "en", "0.00951", WRONG, "mistake.ratio_inverted"),
    # -- logarithmic units: refused with a message, never an internal error ----------------
    ("nernst-potassium", "E_K", "en", "-95.0 mV*Np", UNREAD, "units.unknown"),
    ("nernst-potassium", "E_K", "en", "-95.0 dB", UNREAD, "units.unknown"),
    ("nernst-potassium", "E_K", "en", "-95.0 dBm", UNREAD, "units.unknown"),
    ("nernst-potassium", "E_K", "en", "-95.0 octave", UNREAD, "units.unknown"),
    ("nernst-potassium", "E_K", "en", "-95.0 mV/decade", UNREAD, "units.unknown"),
    # -- formulas: functions, brackets, operators, powers, names ---------------------------
    ("nernst-potassium", "formula", "en", "R*T/(z*F)*Ln(c_out/c_in)", RIGHT, "correct"),
    ("nernst-potassium", "formula", "en", "R*T/(z*F)*LN(c_out/c_in)", RIGHT, "correct"),
    ("selectivity-barrier", "formula", "en", "EXP(ddG/(R*T))", RIGHT, "correct"),
    ("nernst-potassium", "formula", "en", "R*T/(z*F)*log_e(c_out/c_in)", RIGHT, "correct"),
    ("nernst-potassium", "formula", "en", "R*T/(z*F)*ln[c_out/c_in]", RIGHT, "correct"),
    ("nernst-potassium", "formula", "en", "RT/(zF) ln[c_out/c_in]", RIGHT, "correct"),
    ("nernst-potassium", "formula", "en", "R*T÷(z*F)*ln(c_out÷c_in)", RIGHT, "correct"),
    ("pump-hyperpolarization", "formula", "en", "-I_p·G⁻¹", RIGHT, "correct"),
    ("pump-hyperpolarization", "formula", "en", "-I_p G⁻¹", RIGHT, "correct"),
    ("pump-hyperpolarization", "formula", "en", "-I_p·G¹", WRONG, "formula.not_equivalent"),
    ("pump-hyperpolarization", "formula", "en", "ΔV = -I_p/G", RIGHT, "correct"),
    ("pump-hyperpolarization", "formula", "en", "ΔV_pump = -I_p/G", RIGHT, "correct"),
    ("nernst-potassium", "formula", "en", r"\frac{RT}{zF}\ln\frac{c_{out}}{c_{in}}", RIGHT,
     "correct"),
    ("nernst-potassium", "formula", "en", r"$E = \frac{R T}{z F} \ln \left( \frac{c_{out}}"
     r"{c_{in}} \right)$", RIGHT, "correct"),
    ("selectivity-barrier", "formula", "en", r"e^{\frac{ddG}{RT}}", RIGHT, "correct"),
    ("chord-conductance", "formula", "en", "(gK*E_K + gNa*E_Na + gCl*E_Cl)/(gK + gNa + gCl)",
     RIGHT, "correct"),
    ("chord-conductance", "formula", "en", "(gK EK + gNa ENa + gCl ECl)/(gK + gNa + gCl)",
     RIGHT, "correct"),
    ("chord-conductance", "formula", "en", "(gKEK + gNaENa + gClECl)/(gK + gNa + gCl)",
     RIGHT, "correct"),
    ("selectivity-barrier", "formula", "en", "10^(ddG/(2.303*R*T))", RIGHT, "correct"),
    ("selectivity-barrier", "formula", "en", "10^(ddG/(2.303 RT))", RIGHT, "correct"),
    ("selectivity-barrier", "formula", "en", "10^(ddG/(R*T))", WRONG, "formula.not_equivalent"),
    ("selectivity-barrier", "formula", "en", "10^(ddG/(2.2*R*T))", WRONG,
     "formula.not_equivalent"),
    # -- the four formula slips, named -----------------------------------------------------
    ("ghk-permeability", "formula", "en",
     "R*T/F*ln((P_K*K_o + P_Na*Na_o + P_Cl*Cl_o)/(P_K*K_i + P_Na*Na_i + P_Cl*Cl_i))", WRONG,
     "mistake.anion_as_cation"),
    ("chord-conductance", "formula", "en", "(g_K*E_K + g_Na*E_Na + g_Cl*E_Cl)/(g_K + g_Na)",
     WRONG, "mistake.chord_denominator_incomplete"),
    ("pump-steady-state", "formula", "en", "(g_K*E_K + r*g_Na*E_Na)/(g_K + r*g_Na)", WRONG,
     "mistake.pump_ratio_wrong_ion"),
    ("pump-steady-state", "formula", "en", "(r g_Na E_Na + g_K E_K)/(r g_Na + g_K)", WRONG,
     "mistake.pump_ratio_wrong_ion"),
    ("nernst-potassium", "formula", "en", "R*T/F*ln(c_out/c_in)", WRONG,
     "mistake.valence_left_out"),
    ("nernst-potassium", "formula", "en", "RT/F ln(c_out/c_in)", WRONG,
     "mistake.valence_left_out"),
    # -- choices in other words ------------------------------------------------------------
    ("nernst-potassium", "direction", "en", "out", RIGHT, "correct"),
    ("nernst-potassium", "direction", "en", "Out.", RIGHT, "correct"),
    ("nernst-potassium", "direction", "en", "K⁺ ions flow out of the cell.", RIGHT, "correct"),
    ("nernst-potassium", "direction", "en",
     "The net flux is outward, because V_rest is above E_K.", RIGHT, "correct"),
    ("nernst-potassium", "direction", "en", "K⁺ leaks into the cell", WRONG, "choice.wrong"),
    ("nernst-potassium", "direction", "en", "not into the cell", UNREAD, "choice.invalid"),
    ("nernst-potassium", "direction", "en", "into the cell or out of the cell", UNREAD,
     "choice.invalid"),
    # a formula typed into the choice's box: c_out is a symbol, not the word "out"
    ("nernst-potassium", "direction", "en", "R*T/(z*F)*ln(c_out/c_in)", UNREAD,
     "choice.invalid"),
    ("selectivity-barrier", "higher_barrier", "en", "sodium", RIGHT, "correct"),
    ("selectivity-barrier", "higher_barrier", "en", "Sodium ions", RIGHT, "correct"),
    ("selectivity-barrier", "higher_barrier", "en", "potassium", WRONG, "choice.wrong"),
    ("energetics-entropy", "equilibrium", "en", "0", RIGHT, "correct"),
    ("energetics-entropy", "equilibrium", "en", "larger", WRONG, "choice.wrong"),
    ("ness-equilibrium", "state", "en", "non-equilibrium", RIGHT, "correct"),
    ("ness-equilibrium", "state", "en", "It is a non-equilibrium steady state.", RIGHT,
     "correct"),
    ("ness-equilibrium", "state", "en", "equilibrium", WRONG, "choice.wrong"),
    ("ness-equilibrium", "state", "en", "not an equilibrium", UNREAD, "choice.invalid"),
    ("pump-steady-state", "ratio", "en", "3 to 2", RIGHT, "correct"),
    ("pump-steady-state", "ratio", "zh", "3 比 2", RIGHT, "correct"),
    ("pump-steady-state", "ratio", "en", "2 to 3", WRONG, "choice.wrong"),
    ("nernst-potassium", "direction", "zh", "钾离子外流", RIGHT, "correct"),
    ("nernst-potassium", "direction", "zh", "钾离子流出细胞", RIGHT, "correct"),
    ("nernst-potassium", "direction", "zh", "钾离子内流", WRONG, "choice.wrong"),
    ("nernst-potassium", "direction", "zh", "钾离子不外流", UNREAD, "choice.invalid"),
    ("atp-depletion", "immediate", "zh", "轻度去极化", RIGHT, "correct"),
    ("atp-depletion", "long_run", "zh", "趋向 0 mV", RIGHT, "correct"),
    ("atp-depletion", "long_run", "zh", "趋向0mV", RIGHT, "correct"),
    ("ness-equilibrium", "state", "zh", "稳态", RIGHT, "correct"),
    ("ness-equilibrium", "state", "zh", "平衡态", WRONG, "choice.wrong"),
]
