"""Membrane charge and the number of ions that carry it."""

import math

import pytest

from membranelab.physics import (
    ions_to_charge,
    membrane_charge,
    sphere_area,
    sphere_volume,
    stored_energy,
)


class TestMembraneCharge:
    def test_q_equals_cv(self):
        """100 pF at -70 mV holds -7 pC."""
        assert membrane_charge(100e-12, -0.070) == pytest.approx(-7e-12)

    def test_bad_capacitance(self):
        """A non-positive capacitance is refused."""
        with pytest.raises(ValueError, match="^capacitance must be > 0"):
            membrane_charge(0, -0.07)


class TestStoredEnergy:
    def test_half_c_v_squared(self):
        """100 pF at -70 mV stores 0.5 x 1e-10 F x 4.9e-3 V^2 = 2.45e-13 J, the same at +70 mV."""
        assert stored_energy(100e-12, -0.070) == pytest.approx(2.45e-13)
        assert stored_energy(100e-12, 0.070) == pytest.approx(2.45e-13)

    def test_bad_capacitance(self):
        """A non-positive capacitance is refused."""
        with pytest.raises(ValueError, match="^capacitance must be > 0"):
            stored_energy(-1e-12, -0.07)


class TestIonsToCharge:
    def test_textbook_sphere(self):
        """A 25 um-radius cell at -70 mV: hand count and fraction of 140 mM K+."""
        r = 25e-6
        area = 4 * math.pi * r**2
        c = 1e-2 * area  # 1 uF/cm^2
        count_hand = c * 0.070 / 1.602176634e-19
        content_hand = 140 * (4 / 3 * math.pi * r**3) * 6.02214076e23
        got = ions_to_charge(c, -0.070, 1, 140.0, sphere_volume(r))
        assert got.count == pytest.approx(count_hand, rel=1e-9)
        assert got.fraction == pytest.approx(count_hand / content_hand, rel=1e-9)
        assert got.fraction < 1e-4  # "how few ions"

    def test_area(self):
        """4 pi r^2 for r = 2 um."""
        assert sphere_area(2e-6) == pytest.approx(5.0265e-11, rel=1e-4)

    def test_no_volume_gives_nan_fraction(self):
        """Without content data the fraction is nan, the count still given."""
        got = ions_to_charge(1e-12, 0.1)
        assert math.isnan(got.fraction) and got.count > 0

    def test_zero_valence(self):
        """z = 0 is refused."""
        with pytest.raises(ValueError, match="^z must not be zero"):
            ions_to_charge(1e-12, 0.1, 0)
