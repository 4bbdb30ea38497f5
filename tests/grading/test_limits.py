"""Tests of membranelab.grading.limits: the bounds bundle."""

from __future__ import annotations

import pytest

from membranelab.grading.limits import Limits


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
