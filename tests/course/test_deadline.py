"""The audit's per-notebook deadline: a call stuck in C is stopped, the next one runs."""

from __future__ import annotations

import time

from membranelab.course.deadline import DeadlineRunner


def _stuck() -> int:
    return sum(range(10 ** 15))  # a C loop: no signal handler would run before it ends


def _quick(value: int) -> int:
    return value * 2


def test_stuck_call_is_stopped_and_the_next_runs() -> None:
    """(False, None) after the deadline; then a fresh worker answers the next call."""
    with DeadlineRunner(seconds=1.0) as runner:
        start = time.perf_counter()
        assert runner.call(_stuck) == (False, None)
        assert time.perf_counter() - start < 30
        assert runner.call(_quick, 21) == (True, 42)
