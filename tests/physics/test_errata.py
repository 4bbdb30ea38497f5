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

    def test_unknown_id(self):
        """An unknown erratum id raises KeyError naming the known ones."""
        with pytest.raises(KeyError, match="known: doc000"):
            erratum("nope")
