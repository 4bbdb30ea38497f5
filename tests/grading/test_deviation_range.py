"""How far off a value is, for values hundreds of orders of magnitude off (issue 9)."""

from __future__ import annotations

import pytest

from membranelab.grading import check_quantity


@pytest.mark.parametrize(("answer", "phrase"), [
    # 1e-300 fV = 1e-315 V = 1e-312 mV; 94.97 / 1e-312 = 9.497e313, log10 = 313.98 -> 10^314
    ("1e-300 fV", "10^314 times too small"),
    # 1e300 mV / 94.97 mV = 1.053e298 -> 10^298
    ("1e300 mV", "10^298 times too large"),
    # -9.497 mV is 94.97 / 9.497 = 10 times too small
    ("-9.497 mV", "about 10 times too small"),
])
def test_factor_is_finite_and_readable(answer: str, phrase: str) -> None:
    """The factor is written as a power of ten when huge, never 'inf'."""
    result = check_quantity(answer, -94.97, "mV")
    assert phrase in result.feedback and "inf" not in result.feedback
