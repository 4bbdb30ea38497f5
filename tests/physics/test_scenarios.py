"""The documented parameter sets load into SI and state their sources."""

import pytest

from membranelab.physics import load_scenarios, scenario


class TestScenarios:
    def test_units_to_si(self):
        """mM stays numerically (mol/m^3), degC becomes K, nS becomes S, pA becomes A."""
        w = scenario("warming").values
        assert w["K_in"] == pytest.approx(140)
        assert w["t_from"] == pytest.approx(300.15)
        assert w["g_K"] == pytest.approx(40e-9)
        assert w["pump_current"] == pytest.approx(188.3e-12)

    def test_all_have_sources(self):
        """Every scenario names its source document and claim."""
        for s in load_scenarios().values():
            assert s.source.startswith(("000_", "001_")) and s.claim

    def test_unknown(self):
        """An unknown scenario id raises KeyError naming the known ones."""
        with pytest.raises(KeyError, match="known:"):
            scenario("nope")
