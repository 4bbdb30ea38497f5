"""sympy, imported the first time a formula needs it, never on importing the grading package.

Importing sympy costs about half a second; grading numbers and choices never needs it, and a
formula needs it only on the slow path (a constant power bounded by :mod:`.bounds`, the
symbolic fallback, a reference given as a sympy expression).  Modules of the package that touch
sympy on such a path get it from here (:func:`sympy`), not from a module-level import; and
:func:`is_sympy` tells whether an object is a sympy expression without importing sympy (if
sympy was never imported, nothing can be one).
"""

from __future__ import annotations

import sys
from typing import Any

from .fastonly import slow_path

__all__ = ["is_sympy", "sympy"]


def sympy() -> Any:
    """The sympy module (imported now if it was not yet); every use of sympy is a slow step
    of grading (:func:`.fastonly.slow_path`)."""
    slow_path("sympy")
    import sympy as module

    return module


def is_sympy(value: object) -> bool:
    """Whether ``value`` is a sympy object (``sympy.Basic``); never imports sympy."""
    module = sys.modules.get("sympy")
    return module is not None and isinstance(value, module.Basic)
