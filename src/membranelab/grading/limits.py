"""Time, length and size bounds for every grading call.

Every bound is a named constant so a message can quote it, and :class:`Limits` bundles them
for callers that need other values (keyword-only, frozen).  :func:`call_with_timeout` is the
one place where a wall-clock limit is enforced on code that may not terminate by itself
(sympy's simplification).
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "TimeLimitExceeded",
    "call_with_timeout",
    "timeout_available",
]

T = TypeVar("T")

#: Longest formula answer accepted, in characters.
MAX_FORMULA_LENGTH = 1_000
#: Longest numeric answer (number and unit) accepted, in characters.
MAX_QUANTITY_LENGTH = 200
#: Deepest nesting of parentheses, signs, powers and function calls in a formula.
MAX_DEPTH = 60
#: Most tokens in a formula (bounds the size of the sympy tree).
MAX_TOKENS = 400
#: Largest |exponent| of a power whose base contains a symbol (x^1000 is fine, x^10^6 is not).
MAX_SYMBOLIC_EXPONENT = 1_000
#: Largest |log10| of the value of a power of numbers (10^300 is fine, 10^10^10 is not).
MAX_NUMERIC_LOG10 = 300.0
#: Largest |exponent| written in a number literal such as 1e-300.
MAX_LITERAL_EXPONENT = 300
#: Wall-clock seconds given to sympy when the numeric equivalence test is undecided.
SYMPY_TIMEOUT_SECONDS = 0.8


@dataclass(frozen=True)
class Limits:
    """Bounds applied to one grading call; the defaults are the module constants."""

    max_formula_length: int = MAX_FORMULA_LENGTH
    max_quantity_length: int = MAX_QUANTITY_LENGTH
    max_depth: int = MAX_DEPTH
    max_tokens: int = MAX_TOKENS
    max_symbolic_exponent: int = MAX_SYMBOLIC_EXPONENT
    max_numeric_log10: float = MAX_NUMERIC_LOG10
    max_literal_exponent: int = MAX_LITERAL_EXPONENT
    sympy_timeout_seconds: float = SYMPY_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        for name in ("max_formula_length", "max_quantity_length", "max_depth", "max_tokens"):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1, got {getattr(self, name)}")
        if not (self.sympy_timeout_seconds >= 0 and math.isfinite(self.sympy_timeout_seconds)):
            raise ValueError(
                f"Limits.sympy_timeout_seconds must be a finite number >= 0, "
                f"got {self.sympy_timeout_seconds}"
            )


DEFAULT_LIMITS = Limits()


class TimeLimitExceeded(Exception):
    """Raised inside a call that ran past its wall-clock limit."""


def timeout_available() -> bool:
    """True when a SIGALRM timer can interrupt Python code here (main thread, POSIX, no timer set).

    A worker of a ``multiprocessing`` pool runs tasks on the main thread of its own process, so
    the timer works there too; in other threads it does not, and callers must skip slow work.
    """
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    return signal.getitimer(signal.ITIMER_REAL)[0] == 0.0


def _raise_time_limit(signum: int, frame: Any) -> None:
    raise TimeLimitExceeded()


def call_with_timeout(func: Callable[..., T], *args: Any, seconds: float) -> tuple[bool, T | None]:
    """Run ``func(*args)`` for at most ``seconds`` of wall-clock time.

    Returns ``(True, value)`` when it finished and ``(False, None)`` when it ran out of time, when
    no timer is available (see :func:`timeout_available`) or when it raised.  The previous SIGALRM
    handler is restored in every case.
    """
    if seconds <= 0 or not timeout_available():
        return False, None
    previous = signal.signal(signal.SIGALRM, _raise_time_limit)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return True, func(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeLimitExceeded:
        return False, None
    except Exception:  # noqa: BLE001 - sympy raises many kinds (PolynomialError...): no answer
        return False, None
    finally:
        signal.signal(signal.SIGALRM, previous)
