"""Tests of membranelab.grading.limits: bounds and the wall-clock timeout."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from membranelab.grading.limits import Limits, call_with_timeout, timeout_available


def spin() -> None:
    while True:
        pass


class TestCallWithTimeout:
    def test_returns_value_when_in_time(self) -> None:
        """A quick call returns (True, value)."""
        assert call_with_timeout(sum, [1, 2], seconds=1.0) == (True, 3)

    def test_stops_a_call_that_never_ends(self) -> None:
        """A busy loop is interrupted at the limit and gives (False, None)."""
        start = time.perf_counter()
        assert call_with_timeout(spin, seconds=0.1) == (False, None)
        assert time.perf_counter() - start < 0.5

    def test_restores_previous_handler(self) -> None:
        """The SIGALRM handler in place before the call is back afterwards."""
        before = signal.getsignal(signal.SIGALRM)
        call_with_timeout(spin, seconds=0.05)
        assert signal.getsignal(signal.SIGALRM) is before

    def test_exception_in_call_gives_false(self) -> None:
        """A call raising ValueError gives (False, None) instead of raising."""
        assert call_with_timeout(int, "x", seconds=1.0) == (False, None)

    def test_unavailable_in_threads(self) -> None:
        """In a non-main thread no timer is available and nothing runs."""
        results: list[object] = []
        thread = threading.Thread(target=lambda: results.append(
            (timeout_available(), call_with_timeout(spin, seconds=0.1))))
        thread.start()
        thread.join(timeout=5)
        assert results == [(False, (False, None))]

    def test_zero_seconds_runs_nothing(self) -> None:
        """A limit of 0 s skips the call."""
        assert call_with_timeout(sum, [1], seconds=0) == (False, None)


class TestLimits:
    def test_defaults_are_positive(self) -> None:
        """The default bounds are usable numbers."""
        limits = Limits()
        assert limits.max_formula_length > 0 and limits.sympy_timeout_seconds > 0

    def test_invalid_bound_raises(self) -> None:
        """A bound below 1 raises ValueError naming the field."""
        with pytest.raises(ValueError, match="max_depth"):
            Limits(max_depth=0)

    def test_invalid_timeout_raises(self) -> None:
        """A negative timeout raises ValueError."""
        with pytest.raises(ValueError, match="sympy_timeout_seconds"):
            Limits(sympy_timeout_seconds=-1)


def test_any_exception_in_call_gives_false() -> None:
    """A call raising an unusual exception type gives (False, None)."""
    class Odd(Exception):
        pass

    def odd() -> None:
        raise Odd()

    assert call_with_timeout(odd, seconds=1.0) == (False, None)
