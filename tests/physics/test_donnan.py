"""Donnan equilibrium (fixed volume), checked against the quadratic solved by hand."""

import math

import pytest

from membranelab.physics import donnan_potential, donnan_ratio

R, F = 8.314462618, 96485.33212


def test_table_of_document_000():
    """116 mM of A⁻ inside, 120 mM salt outside, 310 K: r = 1.594, V = -12.5 mV."""
    a = 116 / 120
    r = (a + math.sqrt(a * a + 4)) / 2
    assert round(r, 3) == 1.594
    assert donnan_ratio(116, 120) == pytest.approx(r, rel=1e-9)
    v = -R * 310 / F * math.log(r)
    assert round(v * 1e3, 1) == -12.5
    assert donnan_potential(116, 120, 310) == pytest.approx(v, rel=1e-9)


def test_equilibrium_and_electroneutrality():
    """[C]in [Cl]in = [C]out [Cl]out (both ions at one potential) and [C]in = [Cl]in + [A]."""
    r = donnan_ratio(50, 150)
    c_in, cl_in = 150 * r, 150 / r
    assert c_in * cl_in == pytest.approx(150 * 150)
    assert c_in == pytest.approx(cl_in + 50)


def test_refuses_zero_salt():
    """The bath's salt must be positive."""
    with pytest.raises(ValueError, match="salt_out"):
        donnan_ratio(50, 0)
