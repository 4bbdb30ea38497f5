"""Q10 scaling and the 27 -> 37 C warming scenario."""

import math

import pytest

from membranelab.physics import q10_scale, scenario, warming

R_HAND, F_HAND = 8.314462618, 96485.33212


class TestQ10:
    def test_ten_degrees(self):
        """A 10-degree step multiplies by Q10."""
        assert q10_scale(2.0, 3.0, 300.15, 310.15) == pytest.approx(6.0)

    def test_five_degrees(self):
        """Half a step multiplies by sqrt(Q10)."""
        assert q10_scale(1.0, 4.0, 20, 25) == pytest.approx(2.0)

    def test_bad_q10(self):
        """Q10 <= 0 is refused."""
        with pytest.raises(ValueError, match="^q10 must be > 0"):
            q10_scale(1.0, 0, 20, 30)


class TestWarmingScenario:
    def _run(self):
        s = scenario("warming").values
        return s, warming(
            {"K": s["g_K"], "Na": s["g_Na"]},
            {"K": s["K_out"], "Na": s["Na_out"]},
            {"K": s["K_in"], "Na": s["Na_in"]},
            {"K": 1, "Na": 1},
            s["pump_current"], s["t_from"], s["t_to"], s["q10_leak"], s["q10_pump"],
        )

    def test_hyperpolarises(self):
        """Warming 27 -> 37 C with pump Q10 3.0 and leak Q10 1.3 hyperpolarises (the document's claim)."""
        _, r = self._run()
        assert r.vm_after < r.vm_before

    def test_hand_computed(self):
        """Both potentials recomputed by hand from the scenario's numbers."""
        def vm(t, gk, gna, ip):
            ek = R_HAND * t / F_HAND * math.log(4 / 140)
            ena = R_HAND * t / F_HAND * math.log(145 / 15)
            return (gk * ek + gna * ena - ip) / (gk + gna)

        _, r = self._run()
        assert r.vm_before == pytest.approx(vm(300.15, 40e-9, 4e-9, 188.3e-12), rel=1e-9)
        assert r.vm_after == pytest.approx(vm(310.15, 52e-9, 5.2e-9, 3 * 188.3e-12), rel=1e-9)

    def test_pump_effect_grows(self):
        """The pump's -I/G effect is 3.0/1.3 times larger after warming."""
        _, r = self._run()
        assert r.pump_contribution_after / r.pump_contribution_before == pytest.approx(3.0 / 1.3)
