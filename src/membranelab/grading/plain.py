"""An answer as plain text or a plain number, without calling the answer object's own methods.

A ``str`` or number subclass handed in as an answer may raise or lie in its methods
(``__len__``, ``__repr__``, ``__float__``); these helpers read it with the built-in types' own
code.  Kept apart from :mod:`.bounds` (which needs sympy) so that grading numbers and choices
imports no sympy.
"""

from __future__ import annotations

import logging
import math

__all__ = ["MAX_NUMBER_BITS", "plain_number", "plain_text"]

log = logging.getLogger(__name__)

#: Largest Python int accepted as an answer (about 300 digits; 10**5000 is refused, not printed).
MAX_NUMBER_BITS = 1_000


def plain_text(text: str) -> str:
    """A ``str`` (or subclass) as a plain ``str``, without calling the object's own methods (a
    subclass may raise or lie about its length)."""
    return str.__getitem__(text, slice(None))


def plain_number(number: object) -> str | None:
    """A real number answer as the text a student would type, None when it cannot be one (too
    large, not finite, or an object whose conversion raises one of the errors of a conversion;
    anything else it raises is a bug to report, and reaches the caller).  Built-in ``int``/``float`` code
    is used, never the object's own ``__repr__``."""
    try:
        if isinstance(number, int):
            if int.bit_length(number) > MAX_NUMBER_BITS:
                return None
            return int.__repr__(number)
        value = float.__float__(number) if isinstance(number, float) else float(number)  # type: ignore[arg-type]
    except (TypeError, ValueError, ArithmeticError, AttributeError) as error:  # not a number
        log.info("answer of type %s is not a usable number: %r", type(number).__name__, error)
        return None
    return float.__repr__(value) if math.isfinite(value) else None
