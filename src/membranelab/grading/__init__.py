"""Grading of one answer against one expected value; knows no problem files.

``check_quantity`` (numbers with units), ``check_formula`` (formula equivalence) and
``check_choice`` return a frozen :class:`PartResult` (a stable ``note``, a catalog
``message_id`` and JSON ``params``); :class:`GradeResult` aggregates parts; :func:`render_part`
turns a result into text in a language at a feedback level (``full``, ``named``, ``score``).
None of them raises on a student's text.
"""

from membranelab.messages import NAMED_KEEPS

from .choice import check_choice
from .equivalence import Verdict, equivalent
from .expression import ParseSuccess, parse_expression
from .feedback import MISTAKES, Mistake, evaluate_mistakes
from .formula import check_formula
from .limits import DEFAULT_LIMITS, Limits
from .numtree import ParseFailure
from .quantity import check_quantity
from .result import NEEDS_REVIEW, GradeResult, PartResult, render_part

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
