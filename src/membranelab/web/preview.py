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
from membranelab.grading.numbers import blank_final_period, split_number
from membranelab.grading.tokens import Refusal, blank_assignment, normalize
from membranelab.grading.units import UnitSuccess, parse_unit
from membranelab.incident import record_incident
from membranelab.messages import render_message, resolve_lang

from .text import translate

__all__ = ["Preview", "preview_answer"]

logger = logging.getLogger(__name__)

_READ_AS = "web.read_as"
_UNIT_NAME = "web.unit_name"
_EMPTY = "web.type_answer"
_UNREADABLE = "web.unreadable"
_CHOICE = "web.choose_option"


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


def _lang(lang: str | None) -> str:
    return resolve_lang(lang)


def _tex_number(value: float, figures: int) -> str:
    """``value`` with the significant figures it was written with (-95.0 stays -95.0)."""
    text = f"{value:#.{max(1, min(figures, 15))}g}".rstrip(".")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa.rstrip('.')} \times 10^{{{int(exponent)}}}"
    return text


def _numeric(answer: str, lang: str | None) -> Preview:
    text = blank_final_period(blank_assignment(normalize(answer)).strip())
    try:
        number = split_number(text)
    except Refusal as refusal:
        return Preview(False, render_message(refusal.key, refusal.params, lang=_lang(lang)))
    unit_written = text[number.end:].strip()
    number_tex = _tex_number(number.value, number.sigfigs_max)
    if not unit_written:
        return Preview(True, translate(_READ_AS, lang), number_tex)
    unit = parse_unit(unit_written)
    if not isinstance(unit, UnitSuccess):
        return Preview(False, render_message(unit.key, unit.params, lang=_lang(lang)))
    unit_tex = r"\," + format(unit.unit, "~L")
    return Preview(True, translate(_READ_AS, lang), number_tex + unit_tex,
                   translate(_UNIT_NAME, lang, unit=str(unit.unit)))


def _symbolic(answer: str, formula_name: str, lang: str | None) -> Preview:
    formula = FORMULAS[formula_name]
    parsed = parse_expression(answer, tuple(formula.domains))
    if not isinstance(parsed, ParseSuccess):
        message = (render_message(parsed.key, parsed.params, lang=_lang(lang)) if parsed.key
                   else parsed.message)
        return Preview(False, message)
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
