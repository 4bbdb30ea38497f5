"""Every erratum of the source documents, recomputed independently by hand."""

import math

import pytest

from membranelab.physics import erratum, source_errata

RT_F_310 = 8.314462618 * 310 / 96485.33212 * 1e3  # mV


class TestErrata:
    def test_ek_117_3(self):
        """Document 000's E_K for 117/3 mM is -97.9 mV, not -85 mV."""
        hand = RT_F_310 * math.log(3 / 117)
        e = erratum("doc000-ek-117-3")
        assert round(hand, 1) == e.correct[0] == -97.9
        assert e.stated[0] == -85
        assert e.recompute() == pytest.approx(hand, rel=1e-9)

    def test_ek_117_3_no_rescue(self):
        """Neither 20 C nor log10 nor 27 C gives -85 mV for 117/3 mM."""
        at_20c = 8.314462618 * 293.15 / 96485.33212 * math.log(3 / 117) * 1e3
        log10 = RT_F_310 * math.log10(3 / 117)
        at_27c = 8.314462618 * 300.15 / 96485.33212 * math.log(3 / 117) * 1e3
        for value in (at_20c, log10, at_27c):
            assert abs(value - -85) > 3

    def test_ecl_1_30(self):
        """Document 000's E_Cl for a 1:30 ratio is -90.9 mV, not -85 mV."""
        hand = RT_F_310 * math.log(1 / 30)
        e = erratum("doc000-ecl-1-30")
        assert round(hand, 1) == e.correct[0] == -90.9
        assert e.recompute() == pytest.approx(hand, rel=1e-9)

    def test_ena_from_table(self):
        """Document 000's own Na+ table (120/30 mM) gives +37.0 mV, not +58/+60 mV."""
        hand = RT_F_310 * math.log(120 / 30)
        e = erratum("doc000-ena-table")
        assert round(hand, 1) == e.correct[0] == 37.0
        assert e.recompute() == pytest.approx(hand, rel=1e-9)

    def test_pump_ratio(self):
        """3 Na+ out per 2 K+ in: Na+ output is 3/2 of K+ input, not 2/3."""
        e = erratum("doc000-pump-ratio-inverted")
        assert e.correct[0] == 3 / 2
        assert e.stated[0] == pytest.approx(2 / 3, abs=1e-4)

    def test_table_not_electroneutral(self):
        """Inside: 117 + 30 cations vs 4 + 116 anions (mM)."""
        e = erratum("doc000-table-not-electroneutral")
        assert e.stated[0] == 117 + 30
        assert e.correct[0] == 4 + 116

    def test_low_chloride_outside(self):
        """Halving [Cl-]o (120 -> 60 mM, [Cl-]i 4 mM) makes E_Cl less negative: Cl- leaves."""
        before = -RT_F_310 * math.log(120 / 4)
        after = -RT_F_310 * math.log(60 / 4)
        e = erratum("doc000-low-cl-out-direction")
        assert after > before
        assert round(after, 1) == e.correct[0]

    def test_doc001_ecl(self):
        """Document 001's E_Cl (110/10 mM) is -64.1 mV; its list says -65."""
        hand = -RT_F_310 * math.log(110 / 10)
        assert round(hand, 1) == erratum("doc001-ecl-rounding").correct[0]

    def test_all_checks_recompute(self):
        """Every erratum with a check reproduces its printed correct value to the printed digits."""
        for e in source_errata().values():
            value = e.recompute()
            if value is not None:
                assert value == pytest.approx(e.correct[0], abs=0.051), e.id

    def test_rest_is_not_k_equilibrium(self):
        """The preface's 'equilibrium' is E_K of the table, -97.9 mV, not the ~-70 mV rest."""
        hand = RT_F_310 * math.log(3 / 117)
        e = erratum("doc000-rest-is-k-equilibrium")
        assert round(hand, 1) == e.correct[0] == -97.9
        assert e.kind == "error" and e.stated is None

    def test_charge_needs_few_k_ions(self):
        """Charging a 10 µm cell (1 µF/cm²) to -70 mV moves 1.86e-5 of its 117 mM K+."""
        radius = 10e-6
        charge = 1e-2 * 4 * math.pi * radius**2 * 0.070          # C: (F/m²)(m²)(V)
        ions = charge / 1.602176634e-19
        content = 117 * (4 / 3 * math.pi * radius**3) * 6.02214076e23  # (mol/m³)(m³)(1/mol)
        e = erratum("doc000-massive-k-efflux")
        assert round(charge * 1e12, 2) == 0.88 and round(ions / 1e6, 1) == 5.5
        assert round(content / 1e11, 2) == 2.95
        assert float(f"{ions / content:.3g}") == e.correct[0] == 1.86e-5

    def test_hydrated_radii_quote_the_na_sentence(self):
        """The misleading sentence is the Na+ one (bare 1.02 Å called hydrated and smaller)."""
        e = erratum("doc001-hydrated-radii")
        assert "Na" in e.quote_zh and "1.02" in e.quote_zh and "1.38" not in e.quote_zh
        assert e.stated == (1.02, "angstrom") and e.correct == (3.58, "angstrom")

    def test_permeability_ratio_is_not_conductance_ratio(self):
        """At -70 mV (K+ 4/140, Na+ 145/15 mM, 310.15 K) the GHK chord conductances give
        g_Na/g_K = 4.44 P_Na/P_K; the 3:2 steady state in GHK form (Mullins-Noda) is -89 to
        -62 mV for P_Na/P_K = 1-10 %, but -94 to -85 mV with the same numbers as conductances."""
        r, f, t = 8.314462618, 96485.33212, 310.15
        u = f * -0.070 / (r * t)

        def chord(c_in, c_out):  # GHK current per unit permeability over the driving force
            current = f * u * (c_in - c_out * math.exp(-u)) / (1 - math.exp(-u))
            return current / (-0.070 - r * t / f * math.log(c_out / c_in))

        e = erratum("doc000-permeability-not-conductance")
        assert round(chord(15, 145) / chord(140, 4), 2) == e.correct[0] == 4.44
        assert e.kind == "note"
        ghk = [r * t / f * math.log((1.5 * 4 + p * 145) / (1.5 * 140 + p * 15)) * 1e3
               for p in (0.01, 0.1)]
        assert [round(v) for v in ghk] == [-89, -62]
        ek, ena = (r * t / f * math.log(4 / 140) * 1e3, r * t / f * math.log(145 / 15) * 1e3)
        chord_form = [(1.5 * ek + p * ena) / (1.5 + p) for p in (0.01, 0.1)]
        assert [round(v) for v in chord_form] == [-94, -85]

    def test_chord_ratios_are_permeabilities(self):
        """1 : 0.04 : 0.45 (Hodgkin and Katz's permeabilities) as conductances: P_Na/P_K = 0.04
        is g_Na/g_K = 0.196 at -77 mV (K+ 4/140, Na+ 145/15 mM, 310.15 K)."""
        r, f, t, v = 8.314462618, 96485.33212, 310.15, -0.077
        u = f * v / (r * t)

        def chord(p, c_in, c_out):
            current = p * f * u * (c_in - c_out * math.exp(-u)) / (1 - math.exp(-u))
            return current / (v - r * t / f * math.log(c_out / c_in))

        e = erratum("doc001-chord-ratios-are-permeabilities")
        assert round(chord(0.04, 15, 145) / chord(1, 140, 4), 3) == e.correct[0] == 0.196
        assert e.kind == "note" and "0.04" in e.quote_zh

    def test_notes_are_not_errors(self):
        """A rounding, a supposed example and a loose 'passive' are notes; the rest errors."""
        notes = {e.id for e in source_errata().values() if e.kind == "note"}
        assert notes == {"doc001-ecl-rounding", "doc001-chord-ek-89", "doc000-cl-not-passive",
                         "doc000-permeability-not-conductance",
                         "doc001-chord-ratios-are-permeabilities"}

    def test_a_bad_kind_is_refused(self):
        """An erratum's kind is error or note."""
        from membranelab.physics.errata import Erratum

        with pytest.raises(ValueError, match="kind must be one of error, note"):
            Erratum("x", "doc", "claim", None, None, "why", kind="typo")

    def test_unknown_id(self):
        """An unknown erratum id raises KeyError naming the known ones."""
        with pytest.raises(KeyError, match="known: doc000"):
            erratum("nope")
