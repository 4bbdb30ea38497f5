"""Permeability ratio from the activation free-energy difference."""

import math

import pytest

from membranelab.physics import delta_delta_g_from_ratio, permeability_ratio


class TestPermeabilityRatio:
    def test_document_105(self):
        """12 kJ/mol at 310 K: exp(4.66) = 105, as the document says."""
        exponent = 12000 / (8.314462618 * 310)
        assert exponent == pytest.approx(4.66, abs=0.005)
        got = permeability_ratio(12000, 310)
        assert got == pytest.approx(math.exp(exponent), rel=1e-9)
        assert round(got) == 105

    def test_inverse(self):
        """ratio -> ddG -> ratio round trip, and 105 back to about 12 kJ/mol."""
        assert delta_delta_g_from_ratio(105, 310) == pytest.approx(12000, rel=0.002)
        assert permeability_ratio(delta_delta_g_from_ratio(1000, 300), 300) == pytest.approx(1000)

    def test_bad_ratio(self):
        """A ratio <= 0 is refused."""
        with pytest.raises(ValueError, match="^ratio must be > 0"):
            delta_delta_g_from_ratio(0, 310)

    def test_bad_temperature(self):
        """Temperature <= 0 is refused."""
        with pytest.raises(ValueError, match="^temperature must be > 0"):
            permeability_ratio(12000, -1)
