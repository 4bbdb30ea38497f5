"""Benchmark: exact channel-noise simulation, vectorised numpy vs a plain per-event Python loop.

Run on demand:  .venv/bin/python bench/noise.py
Prints the time to reach a 2 % standard error on sigma_V for the document's 0.45 mV case, and the
events per second of the vectorised simulation against the same algorithm written as a per-event
Python loop (one trial at a time), measured in the same run.
"""

from __future__ import annotations

import math
import random
import time

from membranelab.physics import (
    ChannelNoiseModel,
    exact_moments,
    nernst_potential,
    scenario,
    simulate_channel_noise,
    sphere_capacitance,
)


def document_case() -> ChannelNoiseModel:
    s = scenario("channel_noise").values
    return ChannelNoiseModel(
        int(s["n_channels"]), s["gamma"], s["p_open"], s["tau"],
        nernst_potential(s["K_out"], s["K_in"], 1, s["temperature"]),
        s["g_leak"], s["e_leak"], sphere_capacitance(s["radius"], s["specific_capacitance"]),
    )


def python_loop(m: ChannelNoiseModel, t_end: float, seed: int) -> tuple[int, float, float]:
    """The same exact algorithm, one event at a time in pure Python; returns events, int V, int V^2."""
    rng = random.Random(seed)
    n = sum(rng.random() < m.p_open for _ in range(m.n_channels))
    v, t, s1, s2, events = m.v0, 0.0, 0.0, 0.0, 0
    while t < t_end:
        up = (m.n_channels - n) * m.alpha
        rate = up + n * m.beta
        step = rng.expovariate(rate)
        length = min(step, t_end - t)
        a = (m.gamma * n + m.g_leak) / m.capacitance
        v_inf = (m.gamma * n * m.e_k + m.g_leak * m.e_leak) / m.capacitance / a
        u = v - v_inf
        e1 = -math.expm1(-a * length) / a
        e2 = -math.expm1(-2 * a * length) / (2 * a)
        s1 += v_inf * length + u * e1
        s2 += v_inf**2 * length + 2 * v_inf * u * e1 + u * u * e2
        v = v_inf + u * math.exp(-a * length)
        t += length
        if t < t_end:
            n += 1 if rng.random() * rate < up else -1
            events += 1
    return events, s1, s2


def main() -> None:
    m = document_case()
    mean, sd = exact_moments(m)
    print(f"document case: exact sigma_V = {sd * 1e3:.4f} mV, mean {mean * 1e3:.2f} mV")
    simulate_channel_noise(m, duration=1e-3, n_trials=16, seed=0)  # warm-up
    t0 = time.perf_counter()
    sim = simulate_channel_noise(m, duration=1e-3, n_trials=4000, seed=1)
    vec_time = time.perf_counter() - t0
    print(
        f"vectorised: sigma_V = {sim.sd * 1e3:.4f} +- {sim.sd_se * 1e3:.4f} mV "
        f"({100 * sim.sd_se / sim.sd:.2f} % s.e.), {sim.events:,} events in {vec_time:.3f} s"
    )
    t0 = time.perf_counter()
    events = 0
    trials = 0
    while time.perf_counter() - t0 < 2.0:
        events += python_loop(m, 15e-3, seed=trials)[0]
        trials += 1
    loop_time = time.perf_counter() - t0
    vec_rate = sim.events / vec_time
    loop_rate = events / loop_time
    print(f"python loop: {events:,} events in {loop_time:.3f} s ({trials} trials)")
    print(f"events/s  vectorised {vec_rate:,.0f}  python loop {loop_rate:,.0f}  speed-up {vec_rate / loop_rate:.1f}x")


if __name__ == "__main__":
    main()
