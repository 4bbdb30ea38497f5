"""physics.units: how units are shown, and the one error for a unit pint cannot read."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from membranelab.physics.units import unit_factors, unit_text


class TestUnitText:
    @pytest.mark.parametrize(("unit", "shown"), [
        ("degC", "°C"), ("uF/cm**2", "µF/cm²"), ("J/(K*s)", "J/(K·s)"), ("nS*mV", "nS·mV"),
        ("mol/m**3", "mol/m³"), ("m**-1", "m⁻¹"), ("umol/L", "µmol/L"), ("kohm", "kΩ"),
        ("mV", "mV"), ("kJ/mol", "kJ/mol"), ("s**12", "s¹²"), ("angstrom", "Å"),
    ])
    def test_spelling_for_readers(self, unit, shown):
        """pint's names become the reader's symbols; powers are superscripts; products a dot."""
        assert unit_text(unit) == shown

    @pytest.mark.parametrize("unit", [None, "", "1", "dimensionless", " dimensionless "])
    def test_pure_numbers_show_no_unit(self, unit):
        """A dimensionless quantity is shown without a unit."""
        assert unit_text(unit) == ""


class TestUnitFactors:
    def test_known_units(self):
        """mV is 1e-3 V; degC is K shifted by 273.15; mM is mol/m^3."""
        assert unit_factors("mV") == pytest.approx((1e-3, 0.0))
        assert unit_factors("degC") == pytest.approx((1.0, 273.15))
        assert unit_factors("mM") == pytest.approx((1.0, 0.0))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="mVsKLgA()*/^ 0123456789.+-eudC_%µ,[]{}:#='\"\\", max_size=8))
    def test_malformed_units_raise_only_value_error(self, text):
        """Whatever pint raises on a malformed unit reaches callers as ValueError (or works)."""
        try:
            factors = unit_factors(text)
        except ValueError:
            return
        assert all(isinstance(f, float) for f in factors)
