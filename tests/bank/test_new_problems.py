"""The problems the documents imply (issue 25, item 2): each canonical variant's answers against
hand calculations written here (SI 2019 constants, the math module), never the solver."""

import math

import pytest

R, F, E_CHARGE = 8.314462618, 96485.33212, 1.602176634e-19
T37 = 310.15
RT_F = R * T37 / F  # volts


def ghk_current(p, c_in, c_out, v):
    """Monovalent cation, A/m² for p in m/s and mM (= mol/m³)."""
    u = F * v / (R * T37)
    return p * F * u * (c_in - c_out * math.exp(-u)) / (1 - math.exp(-u))


def answers(bank, pid):
    variant = bank[pid].variant("canonical")
    return {k: (a.value if a.value is not None else a.text) for k, a in variant.answers().items()}


def test_ghk_current(bank):
    """P_K 10 nm/s, K⁺ 140/4, Na⁺ 15/145 mM, -70 mV: I_K 1.690 µA/cm², g_K 67.55 µS/cm²,
    g_Na/g_K 0.178 for P_Na/P_K 0.04 (4.44 times larger)."""
    i_k = ghk_current(10e-9, 140, 4, -0.070)                     # A/m²
    e_k, e_na = RT_F * math.log(4 / 140), RT_F * math.log(145 / 15)
    g_k = i_k / (-0.070 - e_k)
    g_na = ghk_current(0.4e-9, 15, 145, -0.070) / (-0.070 - e_na)
    got = answers(bank, "ghk-current")
    assert round(i_k * 100, 3) == 1.690 and got["I_K"] == pytest.approx(i_k * 100, rel=1e-6)
    assert round(g_k * 100, 2) == 67.55 and got["g_K"] == pytest.approx(g_k * 100, rel=1e-6)
    assert round(g_na / g_k, 3) == 0.178 and got["g_ratio"] == pytest.approx(g_na / g_k, rel=1e-6)
    assert got["compare"] == "larger"


def test_pump_ghk_steady_state(bank):
    """3:2 pump in GHK form, P_Na/P_K 0.04: -77.02 mV; without the pump -71.19 mV; share -5.84."""
    v_ss = RT_F * math.log((1.5 * 4 + 0.04 * 145) / (1.5 * 140 + 0.04 * 15)) * 1e3
    v_ghk = RT_F * math.log((4 + 0.04 * 145) / (140 + 0.04 * 15)) * 1e3
    assert (round(v_ss, 2), round(v_ghk, 2), round(v_ss - v_ghk, 2)) == (-77.02, -71.19, -5.84)
    got = answers(bank, "pump-ghk-steady-state")
    assert got["V_ss"] == pytest.approx(v_ss, rel=1e-6)
    assert got["V_ghk"] == pytest.approx(v_ghk, rel=1e-6)
    assert got["effect"] == pytest.approx(v_ss - v_ghk, rel=1e-6)
    assert got["effect_sign"] == "hyperpolarises"


def test_pump_energetics(bank):
    """At -85.6 mV: moving Na⁺ out costs 14.11 kJ/mol, K⁺ in 0.909 kJ/mol, a cycle 44.15 kJ/mol
    (< 55: one ATP suffices); 235 pA is 1.467e9 ATP per second."""
    w_na = R * T37 * math.log(145 / 15) + F * 0.0856
    w_k = R * T37 * math.log(140 / 4) - F * 0.0856
    cycle = 3 * w_na + 2 * w_k
    assert (round(w_na / 1e3, 2), round(w_k / 1e3, 3), round(cycle / 1e3, 2)) == (14.11, 0.909, 44.15)
    got = answers(bank, "pump-energetics")
    assert got["w_Na"] == pytest.approx(w_na / 1e3, rel=1e-6)
    assert got["cycle"] == pytest.approx(cycle / 1e3, rel=1e-6)
    assert got["enough"].startswith("yes")
    assert got["rate"] == pytest.approx(235e-12 / E_CHARGE, rel=1e-6)  # per second
    assert round(235e-12 / E_CHARGE / 1e9, 3) == 1.467


def test_action_potential_peak(bank):
    """1 : 0.04 : 0.45 at rest gives -69.15 mV; +40 mV needs P_Na/P_K = 10.74, a 269-fold rise."""
    v_rest = RT_F * math.log((4 + 0.04 * 145 + 0.45 * 10) / (140 + 0.04 * 15 + 0.45 * 110)) * 1e3
    x = math.exp(0.040 / RT_F)
    p_peak = (x * (140 + 0.45 * 110) - 4 - 0.45 * 10) / (145 - x * 15)
    assert (round(v_rest, 2), round(p_peak, 2), round(p_peak / 0.04)) == (-69.15, 10.74, 269)
    got = answers(bank, "action-potential-peak")
    assert got["V_rest"] == pytest.approx(v_rest, rel=1e-6)
    assert got["p_peak"] == pytest.approx(p_peak, rel=1e-6)
    assert got["fold"] == pytest.approx(p_peak / 0.04, rel=1e-6)
    assert got["limit"].startswith("no")


def test_membrane_time_constant(bank):
    """r 10 µm, R_m 20 kΩ·cm², c_m 1 µF/cm²: C 12.57 pF, R_in 1.592 GΩ, tau 20.0 ms."""
    area_cm2 = 4 * math.pi * (10e-4) ** 2                       # 10 µm = 1e-3 cm
    c_pf = 1e-6 * area_cm2 * 1e12
    r_gohm = 20e3 / area_cm2 / 1e9
    assert (round(c_pf, 2), round(r_gohm, 3), round(r_gohm * 1e9 * c_pf * 1e-12 * 1e3, 1)) == (
        12.57, 1.592, 20.0)
    got = answers(bank, "membrane-time-constant")
    assert got["C"] == pytest.approx(c_pf, rel=1e-6)
    assert got["R_in"] == pytest.approx(r_gohm, rel=1e-6)
    assert got["tau"] == pytest.approx(20.0, rel=1e-9)
    assert got["bigger_cell"].startswith("it falls to a quarter")


def test_gradient_rundown(bank):
    """r 10 µm, g_K 0.05 mS/cm², K⁺ 140/4 mM, -70 mV: 15.72 pA of K⁺ leak; the content
    F [K]i V = 56.58 nC lasts 59.98 min at that rate."""
    e_k = RT_F * math.log(4 / 140)
    area = 4 * math.pi * (10e-6) ** 2                            # m²
    i_k = 0.5 * area * (-0.070 - e_k)                            # 0.05 mS/cm² = 0.5 S/m²
    content = F * 140 * (4 / 3 * math.pi * (10e-6) ** 3)          # C
    minutes = content / i_k / 60
    assert (round(i_k * 1e12, 2), round(content * 1e9, 2), round(minutes, 2)) == (
        15.72, 56.58, 59.98)
    got = answers(bank, "gradient-rundown")
    assert got["I_K"] == pytest.approx(i_k * 1e12, rel=1e-6)
    assert got["t_K"] == pytest.approx(minutes, rel=1e-6)
    assert got["bigger_cell"] == "twice as long"


def test_donnan_after_pump(bank):
    """116 mM A⁻ inside, 120 mM salt, 310 K: r 1.594, -12.46 mV (not 0 mV), [Cl⁻]i 75.28 mM,
    and the inside holds more particles than the bath (it swells)."""
    a = 116 / 120
    r = (a + math.sqrt(a * a + 4)) / 2
    v = -R * 310 / F * math.log(r) * 1e3
    cl_in, c_in = 120 / r, 120 * r
    assert (round(r, 3), round(v, 2), round(cl_in, 2)) == (1.594, -12.46, 75.28)
    assert c_in + cl_in + 116 > 240
    got = answers(bank, "donnan-after-pump")
    assert got["ratio"] == pytest.approx(r, rel=1e-6)
    assert got["V_D"] == pytest.approx(v, rel=1e-6)
    assert got["Cl_in"] == pytest.approx(cl_in, rel=1e-6)
    assert got["water"] == "water enters and the cell swells"


@pytest.mark.parametrize("pid", ["ghk-current", "pump-ghk-steady-state", "pump-energetics",
                                 "action-potential-peak", "membrane-time-constant",
                                 "gradient-rundown", "donnan-after-pump"])
def test_each_is_complete(bank, pid):
    """Variants, a zh overlay, three hints per part, invariants, a worked solution."""
    problem = bank[pid]
    assert problem.invariants and problem.solution.strip()
    assert all(len(part.hints) == 3 for part in problem.parts)
    assert problem.localized("zh").lang == "zh"
    assert problem.variant("s1", "hw").params != problem.variant("s2", "hw").params
