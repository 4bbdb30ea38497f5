"""Channel noise three ways: linearised formula, exact moments, exact stochastic simulation."""

import math

import pytest

from membranelab.physics import (
    ChannelNoiseModel,
    channel_noise_sd,
    exact_moments,
    linear_noise_sd,
    nernst_potential,
    scenario,
    simulate_channel_noise,
    sphere_capacitance,
)


def doc_case():
    s = scenario("channel_noise").values
    return ChannelNoiseModel(
        int(s["n_channels"]), s["gamma"], s["p_open"], s["tau"],
        nernst_potential(s["K_out"], s["K_in"], 1, s["temperature"]),
        s["g_leak"], s["e_leak"], sphere_capacitance(s["radius"], s["specific_capacitance"]),
    )


E_K = nernst_potential(4, 140, 1, 310.15)
C2 = sphere_capacitance(2e-6)
CASES = {
    "document_0.45mV": doc_case(),
    "slow_gating": ChannelNoiseModel(80, 5e-12, 0.7, 20e-3, E_K, 90e-12, -15e-3, C2),
    "medium_many": ChannelNoiseModel(200, 10e-12, 0.2, 1e-3, E_K, 300e-12, 0.0, sphere_capacitance(5e-6)),
}


class TestLinearisedFormula:
    def test_document_case_045(self):
        """80 channels, r = 2 um, 1 uF/cm^2: sigma_V rounds to the document's 0.45 mV."""
        m = CASES["document_0.45mV"]
        # independent hand computation of the closed form
        c = 1e-2 * 4 * math.pi * (2e-6) ** 2
        gk = 80 * 0.5 * 5e-12
        g = gk + 90e-12
        ek = 8.314462618 * 310.15 / 96485.33212 * math.log(4 / 140)
        v0 = (gk * ek + 90e-12 * -15e-3) / g
        var_g = 80 * (5e-12) ** 2 * 0.25
        tau, tau_m = 0.1e-3, c / g
        hand = abs(v0 - ek) * math.sqrt(var_g) / g * math.sqrt(tau / (tau + tau_m))
        got = channel_noise_sd(80, 5e-12, 0.5, 0.1e-3, ek, 90e-12, -15e-3, c)
        assert got == pytest.approx(hand, rel=1e-9)
        assert round(got * 1e3, 2) == 0.45
        assert got == pytest.approx(linear_noise_sd(m), rel=1e-9)

    def test_filter_factor(self):
        """Slow gating passes nearly the quasi-static variance; fast gating is averaged away."""
        base = dict(n_channels=80, gamma=5e-12, p_open=0.5, e_k=E_K, g_leak=90e-12, e_leak=-15e-3, capacitance=C2)
        quasi = channel_noise_sd(tau=1e3, **base)
        assert channel_noise_sd(tau=1.0, **base) / quasi == pytest.approx(1.0, abs=0.002)
        assert channel_noise_sd(tau=1e-6, **base) / quasi < 0.03

    @pytest.mark.parametrize("name", sorted(CASES))
    def test_lyapunov_equals_closed_form(self, name):
        """The closed form equals the numerically solved linear-noise system."""
        m = CASES[name]
        closed = channel_noise_sd(m.n_channels, m.gamma, m.p_open, m.tau, m.e_k, m.g_leak, m.e_leak, m.capacitance)
        assert closed == pytest.approx(linear_noise_sd(m), rel=1e-9)

    @pytest.mark.parametrize("name", sorted(CASES))
    def test_within_two_percent_of_exact(self, name):
        """The linearisation error stays within 2 % of the exact moments."""
        m = CASES[name]
        assert linear_noise_sd(m) == pytest.approx(exact_moments(m)[1], rel=0.02)

    def test_bad_p_open(self):
        """p_open outside (0, 1) is refused."""
        with pytest.raises(ValueError, match="^p_open must be strictly between 0 and 1"):
            ChannelNoiseModel(80, 5e-12, 1.0, 1e-3, E_K, 90e-12, 0.0, C2)


class TestExactMoments:
    def test_no_noise_limit(self):
        """With tiny single-channel conductance the mean tends to V0 and the sd to 0."""
        m = ChannelNoiseModel(80, 1e-18, 0.5, 1e-3, E_K, 90e-12, -15e-3, C2)
        mean, sd = exact_moments(m)
        assert mean == pytest.approx(-15e-3, abs=1e-6)
        assert sd < 1e-7


class TestSimulation:
    @pytest.mark.parametrize(
        ("name", "duration", "trials"),
        [("document_0.45mV", 1e-3, 2000), ("slow_gating", 0.05, 1000), ("medium_many", 5e-3, 1000)],
    )
    def test_agrees_with_exact_moments(self, name, duration, trials):
        """Simulated mean and sd agree with the exact moments within 3 standard errors."""
        m = CASES[name]
        mean, sd = exact_moments(m)
        sim = simulate_channel_noise(m, duration=duration, n_trials=trials, seed=3)
        assert abs(sim.sd - sd) < 3 * sim.sd_se
        assert abs(sim.mean - mean) < 3 * sim.mean_se + 1e-6
        assert sim.sd_se / sim.sd < 0.05

    def test_document_case_two_percent(self):
        """The 0.45 mV case reaches a 2 % standard error."""
        sim = simulate_channel_noise(CASES["document_0.45mV"], duration=1e-3, n_trials=2000, seed=3)
        assert sim.sd_se / sim.sd < 0.02

    def test_seed_reproducible(self):
        """The same seed gives the same result."""
        m = CASES["medium_many"]
        a = simulate_channel_noise(m, duration=2e-3, n_trials=8, seed=11)
        b = simulate_channel_noise(m, duration=2e-3, n_trials=8, seed=11)
        assert a == b
