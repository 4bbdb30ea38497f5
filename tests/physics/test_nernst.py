"""Nernst potentials against hand-computed values and the documents' numbers."""

import math

import numpy as np
import pytest

from membranelab.physics import nernst_potential, thermal_voltage

# Independent constants typed from CODATA 2018, not imported from the package.
R_HAND = 8.314462618
F_HAND = 96485.33212


def hand(c_out, c_in, z, t):
    return R_HAND * t / (z * F_HAND) * math.log(c_out / c_in)


class TestNernstPotential:
    def test_document_001_potassium(self):
        """E_K for 4/140 mM at 310 K rounds to the document's -95 mV."""
        e = nernst_potential(4, 140, 1, 310.0) * 1e3
        assert round(e) == -95
        assert e == pytest.approx(hand(4, 140, 1, 310.0) * 1e3, rel=1e-9)

    def test_document_001_sodium(self):
        """E_Na for 145/15 mM at 310 K rounds to the document's +60 mV."""
        assert round(nernst_potential(145, 15, 1, 310.0) * 1e3, -1) == 60
        assert nernst_potential(145, 15, 1, 310.0) * 1e3 == pytest.approx(60.6, abs=0.05)

    def test_document_001_chloride(self):
        """E_Cl for 110/10 mM (z = -1) at 310 K is -64 mV, as in the chord example."""
        assert round(nernst_potential(110, 10, -1, 310.0) * 1e3) == -64

    def test_textbook_61_mv_per_decade(self):
        """At 37 C a tenfold gradient of a monovalent cation gives 61.5 mV (textbook value)."""
        assert nernst_potential(10, 1, 1, 310.15) * 1e3 == pytest.approx(61.5, abs=0.05)

    def test_divalent_halves(self):
        """z = 2 halves the potential (calcium)."""
        assert nernst_potential(2, 1e-4, 2, 310.0) == pytest.approx(
            nernst_potential(2, 1e-4, 1, 310.0) / 2
        )

    def test_vectorised(self):
        """Arrays broadcast and give element-wise results."""
        out = nernst_potential(np.array([4.0, 8.0]), 140.0, 1, 310.0)
        assert out.shape == (2,)
        assert out[1] - out[0] == pytest.approx(R_HAND * 310 / F_HAND * math.log(2))

    def test_thermal_voltage(self):
        """RT/F at 310 K is 26.71 mV."""
        assert thermal_voltage(310.0) * 1e3 == pytest.approx(26.7137, abs=1e-3)

    @pytest.mark.parametrize(
        ("kwargs", "name"),
        [
            ({"c_out": 0, "c_in": 140, "z": 1, "temperature": 310}, "c_out"),
            ({"c_out": 4, "c_in": -1, "z": 1, "temperature": 310}, "c_in"),
            ({"c_out": 4, "c_in": 140, "z": 0, "temperature": 310}, "z"),
            ({"c_out": 4, "c_in": 140, "z": 1, "temperature": 0}, "temperature"),
            ({"c_out": 4, "c_in": 140, "z": 1, "temperature": -5}, "temperature"),
            ({"c_out": float("nan"), "c_in": 140, "z": 1, "temperature": 310}, "c_out"),
        ],
    )
    def test_bad_input_names_argument(self, kwargs, name):
        """Bad input raises ValueError naming the argument."""
        with pytest.raises(ValueError, match=rf"^{name} must"):
            nernst_potential(**kwargs)
