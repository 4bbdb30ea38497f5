"""GHK voltage equation against hand computation and limiting cases."""

import math

import pytest

from membranelab.physics import ghk_voltage, nernst_potential

RT_F_310 = 8.314462618 * 310.0 / 96485.33212


class TestGhkVoltage:
    def test_hand_computed_three_ions(self):
        """P_K:P_Na:P_Cl = 1:0.04:0.45 with the document-001 gradients, computed by hand."""
        num = 1 * 4 + 0.04 * 145 + 0.45 * 10
        den = 1 * 140 + 0.04 * 15 + 0.45 * 110
        expected = RT_F_310 * math.log(num / den)
        got = ghk_voltage(
            {"K": 1, "Na": 0.04, "Cl": 0.45},
            {"K": 4, "Na": 145, "Cl": 110},
            {"K": 140, "Na": 15, "Cl": 10},
            {"K": 1, "Na": 1, "Cl": -1},
            310.0,
        )
        assert got == pytest.approx(expected, rel=1e-9)

    def test_single_ion_is_nernst(self):
        """With only one permeant ion, GHK reduces to Nernst (anion too)."""
        assert ghk_voltage([1, 0], [110, 4], [10, 140], [-1, 1], 310.0) == pytest.approx(
            nernst_potential(110, 10, -1, 310.0)
        )

    def test_sequence_and_mapping_agree(self):
        """Sequences and mappings keyed by ion give the same answer."""
        a = ghk_voltage([1, 0.05], [4, 145], [140, 15], [1, 1], 310.0)
        b = ghk_voltage({"Na": 0.05, "K": 1}, {"K": 4, "Na": 145}, {"Na": 15, "K": 140}, {"K": 1, "Na": 1}, 310.0)
        assert a == pytest.approx(b)

    def test_mismatched_lengths(self):
        """Mismatched lengths raise ValueError naming the argument."""
        with pytest.raises(ValueError, match="^c_in has 1 entries"):
            ghk_voltage([1, 0.05], [4, 145], [140], [1, 1], 310.0)

    def test_mismatched_keys(self):
        """Mismatched ion keys raise ValueError naming the argument."""
        with pytest.raises(ValueError, match="^valences has ions"):
            ghk_voltage({"K": 1}, {"K": 4}, {"K": 140}, {"Na": 1}, 310.0)

    def test_zero_concentration(self):
        """A zero concentration is refused."""
        with pytest.raises(ValueError, match="^c_out must be > 0"):
            ghk_voltage([1], [0], [140], [1], 310.0)

    def test_divalent_refused(self):
        """The monovalent GHK voltage equation refuses z = 2."""
        with pytest.raises(ValueError, match="^valences must each be"):
            ghk_voltage([1], [2], [1e-4], [2], 310.0)

    def test_zero_temperature(self):
        """Temperature <= 0 is refused."""
        with pytest.raises(ValueError, match="^temperature must be > 0"):
            ghk_voltage([1], [4], [140], [1], 0.0)
