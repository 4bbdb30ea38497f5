"""How an answer is read, before it is submitted: the live preview under each answer box.

Numbers go through the grader's own number and unit readers (``split_number``, ``parse_unit``),
formulas through its parser (``parse_expression``: an allow-list tokenizer and a bounded
recursive-descent parser, never ``eval``/``sympify``); the formula read is shown typeset (its
LaTeX, typeset by MathJax in the page).  Nothing here says whether the answer is right.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sympy

from membranelab.formulas import FORMULAS
from membranelab.grading import ParseSuccess, parse_expression
from membranelab.grading.quantity import split_number
from membranelab.grading.tokens import Refusal, blank_assignment, normalize
from membranelab.grading.units import UnitSuccess, parse_unit
from membranelab.incident import record_incident

from .text import translate

__all__ = ["Preview", "preview_answer"]

logger = logging.getLogger(__name__)

_READ_AS = "Read as:"
_UNIT_NAME = "(%(unit)s)"
_EMPTY = "Type your answer."
_UNREADABLE = "This answer cannot be read."
_CHOICE = "Choose one of the options."


@dataclass(frozen=True)
class Preview:
    """What the page shows under the box: ``ok`` (read), a sentence, and TeX when there is any."""

    ok: bool
    message: str
    tex: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"ok": self.ok, "message": self.message, "tex": self.tex, "detail": self.detail}


def _tex_number(value: float, figures: int) -> str:
    """``value`` with the significant figures it was written with (-95.0 stays -95.0)."""
    text = f"{value:#.{max(1, min(figures, 15))}g}".rstrip(".")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa.rstrip('.')} \times 10^{{{int(exponent)}}}"
    return text


def _numeric(answer: str, lang: str | None) -> Preview:
    text = blank_assignment(normalize(answer)).strip()
    if text.endswith(".") and len(text) > 1 and not text[-2].isdigit():
        text = text[:-1]
    try:
        number = split_number(text)
    except Refusal as refusal:
        return Preview(False, refusal.message)
    unit_written = text[number.end:].strip()
    number_tex = _tex_number(number.value, number.sigfigs_max)
    if not unit_written:
        return Preview(True, translate(_READ_AS, lang), number_tex)
    unit = parse_unit(unit_written)
    if not isinstance(unit, UnitSuccess):
        return Preview(False, unit.message)
    unit_tex = r"\," + format(unit.unit, "~L")
    return Preview(True, translate(_READ_AS, lang), number_tex + unit_tex,
                   translate(_UNIT_NAME, lang, unit=str(unit.unit)))


def _symbolic(answer: str, formula_name: str, lang: str | None) -> Preview:
    formula = FORMULAS[formula_name]
    parsed = parse_expression(answer, tuple(formula.domains))
    if not isinstance(parsed, ParseSuccess):
        return Preview(False, parsed.message)
    try:
        tex = sympy.latex(parsed.expr, ln_notation=True)
    except Exception:  # sympy printing corner case: say it was read, show no TeX
        record_incident(logger, "cannot print a parsed formula as LaTeX")
        return Preview(True, translate(_READ_AS, lang), "", answer.strip())
    return Preview(True, translate(_READ_AS, lang), tex)


def preview_answer(part: Any, answer: str, *, lang: str | None = None) -> Preview:
    """How ``answer`` to ``part`` is read (never raises on the answer)."""
    if not answer.strip():
        return Preview(False, translate(_EMPTY, lang))
    try:
        if part.kind == "numeric":
            return _numeric(answer, lang)
        if part.kind == "symbolic":
            return _symbolic(answer, part.formula, lang)
        return Preview(True, translate(_CHOICE, lang))
    except Exception:  # the preview must never show a traceback
        record_incident(logger, "preview failed for part %s", part.id)
        return Preview(False, translate(_UNREADABLE, lang))
