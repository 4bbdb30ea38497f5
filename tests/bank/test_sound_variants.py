"""Issue "Sound variants": each finding of the review, checked over many students.

Physics is recomputed here by hand from each variant's parameters (SI 2019 constants), never taken
from the solver under test; literature values are quoted with their source.
"""

import math
import re

import pytest

from membranelab.bank import render_solution
from membranelab.formulas import FORMULAS
from membranelab.physics import erratum, source_errata

R = 8.314462618
F = 96485.33212
E = 1.602176634e-19
ZERO_C = 273.15
STUDENTS = [f"review{i:04d}" for i in range(400)]


def nernst_mv(c_out, c_in, z, t_kelvin):
    return R * t_kelvin / (z * F) * math.log(c_out / c_in) * 1000


def variants(bank, pid):
    problem = bank.problems[pid]
    return [problem.variant(s, "review") for s in STUDENTS]


class TestWarming:
    """Finding 1: warming-q10 starts from the 3:2 steady state and keeps E_K < V_m < E_Na."""

    def test_ordering_before_and_after(self, bank):
        """E_K < V_m < E_Na at the start and right after warming, in every variant."""
        for v in variants(bank, "warming-q10"):
            p, a = v.params, v.answers()
            t1, t2 = p["t_from"] + ZERO_C, p["t_to"] + ZERO_C
            ek1, ena1 = nernst_mv(p["K_out"], p["K_in"], 1, t1), nernst_mv(p["Na_out"], p["Na_in"], 1, t1)
            ek2, ena2 = nernst_mv(p["K_out"], p["K_in"], 1, t2), nernst_mv(p["Na_out"], p["Na_in"], 1, t2)
            assert ek1 < a["V_before"].value < ena1, (v.student, p)
            assert ek2 < a["V_after"].value < ena2, (v.student, p)

    def test_flux_balanced_at_the_start(self, bank):
        """The pump's K+ uptake (2 per net charge) equals the passive K+ efflux, and its Na+
        output (3 per net charge) the passive Na+ influx, at the starting temperature."""
        for v in variants(bank, "warming-q10"):
            p, a = v.params, v.answers()
            t1 = p["t_from"] + ZERO_C
            ek1, ena1 = nernst_mv(p["K_out"], p["K_in"], 1, t1), nernst_mv(p["Na_out"], p["Na_in"], 1, t1)
            vm, pump = a["V_before"].value, a["I_pump"].value       # mV, pA
            i_k, i_na = p["g_K"] * (vm - ek1), p["g_Na"] * (vm - ena1)  # nS * mV = pA
            assert 2 * pump == pytest.approx(i_k, rel=1e-6)
            assert 3 * pump == pytest.approx(-i_na, rel=1e-6)

    def test_statement_says_no_chloride_conductance(self, bank):
        """The immediate chord-with-pump answer needs g_Cl = 0, and the statement says so."""
        body = bank.problems["warming-q10"].body
        assert "g_{Cl} = 0" in body and "passively distributed" not in body

    def test_scenario_is_the_steady_state(self):
        """The warming scenario's pump current is the 3:2 steady state's at 27 °C (188.3 pA)."""
        from membranelab.physics import scenario

        s = scenario("warming")
        ek = nernst_mv(4, 140, 1, 300.15) / 1000
        ena = nernst_mv(145, 15, 1, 300.15) / 1000
        vm = (1.5 * 40e-9 * ek + 4e-9 * ena) / (1.5 * 40e-9 + 4e-9)
        assert s["pump_current"] == pytest.approx(40e-9 * (vm - ek) / 2, rel=2e-3)


class TestAtpDepletion:
    """Finding 2: the pump of atp-depletion balances the leaks; Cl- carries no current."""

    def test_flux_balance_and_jump(self, bank):
        """2 I_pump = passive K+ efflux, 3 I_pump = passive Na+ influx, jump = I_pump/(g_K+g_Na)."""
        for v in variants(bank, "atp-depletion"):
            p, a = v.params, v.answers()
            ek = nernst_mv(p["K_out"], p["K_in"], 1, 310.15)
            ena = nernst_mv(p["Na_out"], p["Na_in"], 1, 310.15)
            pump = v.values["I_pump"] * 1e12                         # the statement's pA
            vm = a["V_with"].value
            assert 2 * pump == pytest.approx(p["g_K"] * (vm - ek), rel=1e-6), v.student
            assert 3 * pump == pytest.approx(-p["g_Na"] * (vm - ena), rel=1e-6), v.student
            assert a["jump"].value == pytest.approx(pump / (p["g_K"] + p["g_Na"]), rel=1e-6)

    def test_statement_sets_gcl_zero(self, bank):
        """The jump I_p/(g_K+g_Na) holds with g_Cl = 0; the statement says g_Cl = 0."""
        body = bank.problems["atp-depletion"].body
        assert "g_{Cl} = 0" in body and "passively distributed" not in body


class TestPumpEffectRange:
    """Finding 3: the pump's direct effect stays in the documents' -1 to -5 mV."""

    @pytest.mark.parametrize("pid", ["pump-steady-state", "energetics-entropy"])
    def test_steady_state_problems(self, bank, pid):
        """-I_pump/(g_K+g_Na), with I_pump = g_K (V_m - E_K)/2 by hand, lies in [-5, -1] mV."""
        for v in variants(bank, pid):
            p, vm = v.params, v.answers()["V_m"].value
            ek = nernst_mv(p["K_out"], p["K_in"], 1, 310.15)
            effect = -p["g_K"] * (vm - ek) / 2 / (p["g_K"] + p["g_Na"])
            assert -5 <= effect <= -1, (pid, v.student, p, effect)

    def test_pump_hyperpolarization(self, bank):
        """dV = -I/G lies in [-5, -1] mV for every student."""
        for v in variants(bank, "pump-hyperpolarization"):
            p = v.params
            assert -5 <= -p["I_pump"] / (p["g_K"] + p["g_Na"]) <= -1, (v.student, p)

    def test_atp_jump_is_a_few_mV(self, bank):
        """The jump graded as 'depolarises by a few mV' is +1 to +5 mV."""
        for v in variants(bank, "atp-depletion"):
            assert (1 <= v.answers()["jump"].value <= 5), (v.student, v.params)

    def test_solution_quotes_the_range(self, bank):
        """The solution states the documents' range instead of an unqualified 'a few mV'."""
        assert "−1 to −5 mV" in bank.problems["pump-hyperpolarization"].solution


class TestChannelNoise:
    """Finding 4: the mean K+ conductance dominates the leak, so V_0 sits near E_K."""

    def test_k_dominated(self, bank):
        """V_0 is nearer E_K than the leak's reversal potential, in every variant."""
        for v in variants(bank, "channel-noise"):
            p = v.params
            ek = nernst_mv(p["K_out"], p["K_in"], 1, p["T"])
            g_k = p["n_channels"] * p["p_open"] * p["gamma"]
            v0 = (g_k * ek + p["g_leak"] * p["e_leak"]) / (g_k + p["g_leak"])
            assert v.answers()["V_0"].value == pytest.approx(v0, rel=1e-6)
            assert v0 - ek < p["e_leak"] - v0, (v.student, p)


class TestNess:
    def test_distractor_is_false(self, bank):
        """Finding 5: no choice but the answer is true; the flux distractor names passive flux."""
        part = bank.problems["ness-equilibrium"].part("zero")
        assert "the net flux of every ion" not in part.answer_kind.choices
        assert any("passive" in c for c in part.answer_kind.choices)


class TestEnergetics:
    def test_units_rule_is_fw(self, bank):
        """Finding 6: nS x mV^2 is 1e-9 S x 1e-6 V^2 = 1e-15 W, a femtowatt."""
        assert 1e-9 * (1e-3) ** 2 == pytest.approx(1e-15)
        solution = bank.problems["energetics-entropy"].solution
        assert "nS × mV² = pW" not in solution and "fW" in solution

    def test_leaks_share_is_a_lower_bound(self, bank):
        """The solution says the leaks' entropy production is a lower bound and shows the
        ~44 kJ/mol a pump cycle stores (3 F (E_Na - V) + 2 F (V - E_K)) against ATP's 50-60."""
        ek, ena = nernst_mv(4, 140, 1, 310.15), nernst_mv(145, 15, 1, 310.15)
        vm = (1.5 * 50 * ek + 4.81 * ena) / (1.5 * 50 + 4.81)
        stored = F * (3 * (ena - vm) + 2 * (vm - ek)) / 1e6      # kJ/mol
        assert 43.5 < stored < 44.5
        text = render_solution(bank.problems["energetics-entropy"].variant("canonical"))
        assert "lower bound" in text and re.search(rf"{stored:.1f}\$? kJ/mol", text)


class TestNames:
    def test_mullins_noda(self):
        """Finding 7: Mullins and Noda (1963) wrote the GHK form with the pump ratio r; the
        chord form is its analogue and is named so."""
        text = FORMULAS["pump_ratio"].description
        assert "analogue" in text and "Mullins" in text
        from membranelab.physics import circuit

        assert "analogue" in circuit.pump_ratio_steady_state.__doc__


class TestErrata:
    def test_low_chloride_reasoning(self):
        """Finding 8: at the document's -70 mV, E_Cl(4/60 mM) = -72.3 mV is still below V_m, so
        Cl- still enters; [Cl-]i falls because that influx drops below the extrusion."""
        e_after = -nernst_mv(60, 4, 1, 310)
        assert round(e_after, 1) == -72.3 and e_after < -70
        why = erratum("doc000-low-cl-out-direction").why
        assert "still enters" in why and "extru" in why
        assert "pushes the anion out of the cell" not in why

    def test_electroneutrality_claim(self, bank):
        """Finding 8: the membrane-charge problem's own fraction (1.55e-5) is above 1e-5, so
        the erratum must not claim 'better than one part in 10^5'."""
        c = 0.01 * 4 * math.pi * (10e-6) ** 2
        fraction = c * 0.070 / E / (140 * 4 / 3 * math.pi * (10e-6) ** 3 * 6.02214076e23)
        assert fraction == pytest.approx(1.55e-5, rel=0.01)
        assert bank.problems["membrane-charge"].variant().answers()["fraction"].value == \
            pytest.approx(fraction, rel=1e-6)
        assert "better than one part in 10^5" not in erratum("doc000-table-not-electroneutral").why

    def test_ecl_rule_of_thumb(self):
        """Finding 9: document 000's -85 mV for a 1:30 Cl- ratio is the 58 mV/decade rule."""
        assert 58 * math.log10(1 / 30) == pytest.approx(-85.7, abs=0.05)
        assert "58 mV" in erratum("doc000-ecl-1-30").why

    def test_chloride_not_passive(self):
        """Finding 9: the table's E_Cl (4/120 mM) is -90.9 mV, 21 mV from the quoted -70 mV."""
        e = erratum("doc000-cl-not-passive")
        hand = -nernst_mv(120, 4, 1, 310)
        assert round(hand, 1) == e.correct[0] == -90.9 and e.stated[0] == -70
        assert e.recompute() == pytest.approx(hand, rel=1e-9)

    def test_chord_example_ek(self):
        """Finding 9: -89 mV is E_K for 5/140 mM; the document's 4/140 mM gives -95.0 mV."""
        e = erratum("doc001-chord-ek-89")
        assert nernst_mv(5, 140, 1, 310) == pytest.approx(-89.0, abs=0.05)
        assert round(nernst_mv(4, 140, 1, 310), 1) == e.correct[0] == -95.0
        assert e.stated[0] == -89 and "5 mM" in e.why

    def test_hydrated_radii(self):
        """Finding 9: 1.02 Å, called the hydrated Na+ radius, is the bare one (Shannon 1976);
        hydrated K+ is 3.31 Å and Na+ 3.58 Å (Nightingale 1959): hydrated Na+ is the larger."""
        e = erratum("doc001-hydrated-radii")
        hydrated_k, hydrated_na = 3.31, 3.58                    # Nightingale 1959
        assert hydrated_na > hydrated_k
        assert e.stated == (1.02, "angstrom") and e.correct == (hydrated_na, "angstrom")
        assert "Shannon" in e.why and "Nightingale" in e.why

    def test_ness_flux_definition(self):
        """Finding 9: only the passive fluxes are non-zero in the steady state."""
        assert "passive" in erratum("doc001-ness-fluxes").why

    def test_every_erratum_quotes_its_document(self):
        """Every erratum carries a short Chinese quote and a section for the reader."""
        cjk = re.compile(r"[\u4e00-\u9fff]")
        for e in source_errata().values():
            assert cjk.search(e.quote_zh) and len(e.quote_zh) < 200, e.id
            assert e.section and cjk.search(e.section_zh), e.id


class TestCitations:
    def test_solutions_cite_titles_not_ids(self, bank):
        """Finding 10: rendered solutions name documents by title, never ids or file names."""
        for problem in bank:
            text = render_solution(problem.variant("canonical"))
            for internal in (".txt", "doc000-", "doc001-", "lecture notes", "Erratum `"):
                assert internal not in text, (problem.id, internal)
            if problem.errata:
                assert "*Ion distribution" in text or "*The ionic basis" in text, problem.id
