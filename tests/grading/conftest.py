"""Fixtures of the grading tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def fresh_symbolic_pool():
    """The sympy fallback's process pool as a new process has it: none yet (an earlier test in
    this process may have left workers idle, a spare warming, or a limit changed), and none
    left behind for the next test."""
    from membranelab.grading import symbolic_worker

    symbolic_worker.shutdown()
    yield
    symbolic_worker.shutdown()
