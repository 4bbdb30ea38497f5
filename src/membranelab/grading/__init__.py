"""Grading of one answer against one expected value; knows no problem files.

``check_quantity`` (numbers with units), ``check_formula`` (formula equivalence) and
``check_choice`` return a frozen :class:`PartResult` (a stable ``note``, a catalog
``message_id`` and JSON ``params``); :class:`GradeResult` aggregates parts; :func:`render_part`
turns a result into text in a language at a feedback level (``full``, ``named``, ``score``).
None of them raises on a student's text.
"""

from typing import TYPE_CHECKING, Any

from membranelab.messages import NAMED_KEEPS

from .choice import check_choice
from .equivalence import Verdict, equivalent
from .feedback import MISTAKES, Mistake, evaluate_mistakes
from .formula import check_formula
from .limits import DEFAULT_LIMITS, Limits
from .numtree import ParseFailure
from .quantity import check_quantity
from .result import NEEDS_REVIEW, GradeResult, PartResult, render_part

if TYPE_CHECKING:
    from .parse import ParseSuccess, parse_expression

__all__ = [
    "DEFAULT_LIMITS",
    "GradeResult",
    "Limits",
    "MISTAKES",
    "NAMED_KEEPS",
    "NEEDS_REVIEW",
    "Mistake",
    "ParseFailure",
    "ParseSuccess",
    "PartResult",
    "Verdict",
    "check_choice",
    "check_formula",
    "check_quantity",
    "equivalent",
    "evaluate_mistakes",
    "parse_expression",
    "render_part",
]

#: Exported names whose module imports sympy: imported on first use, so that importing this
#: package (every command line, the report, the web front end) does not import sympy.
_LAZY = {"ParseSuccess": "parse", "parse_expression": "parse"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
