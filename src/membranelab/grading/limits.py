"""Time, length and size bounds for every grading call.

Every bound is a named constant so a message can quote it, and :class:`Limits` bundles them
for callers that need other values (keyword-only, frozen).  Where each is enforced: lengths,
depth and tokens in the tokenizer and parser; exponents in the parser (powers of numbers in
:mod:`.bounds`, never built exactly when large); the time of sympy's simplification, the only
step that may not end by itself, in a worker process (:mod:`.symbolic_worker`), the same way
from any thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]

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
#: Seconds given to sympy (wall clock, and about as much CPU time in its worker process) when
#: the numeric equivalence test is undecided; past them the answer is ``needs_review``.
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
