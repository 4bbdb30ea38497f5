"""How an answer is read, before it is submitted: the live preview under each answer box.

Through the service's one reading (:func:`membranelab.service.readback.read_answer`): numbers
are read by the grader itself (``check_quantity``), formulas by its parser (``parse_expression``: an allow-list tokenizer and a bounded
recursive-descent parser, never ``eval``/``sympify``); the formula read is shown typeset (its
LaTeX, typeset by MathJax in the page).  Nothing here says whether the answer is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from membranelab.grading.units_zh import chinese_unit_name
from membranelab.messages import resolve_lang
from membranelab.service.readback import INCIDENT, read_answer

from .text import translate

__all__ = ["Preview", "preview_answer"]

_READ_AS = "web.read_as"
_UNIT_NAME = "web.unit_name"
_EMPTY = "web.type_answer"
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


def preview_answer(part: Any, answer: str, *, lang: str | None = None, problem: Any = None
                   ) -> Preview:
    """How ``answer`` to ``part`` is read: the service's one reading, as the read-back of a
    graded notebook shows it (never raises on the answer)."""
    if not answer.strip():
        return Preview(False, translate(_EMPTY, lang))
    if part.answer_kind.options:  # picked from a list: nothing typed to preview
        return Preview(True, translate(_CHOICE, lang))
    reading = read_answer(part, answer, problem)
    if reading.form == INCIDENT:  # a fault in membranelab, named by its incident id
        return Preview(False, translate("readback.incident", lang, part=part.id,
                                        **reading.values))
    if not reading.ok:
        return Preview(False, reading.reason(_lang(lang)))
    detail = reading.detail
    if reading.form.startswith("number") and detail:
        # the unit's name in the page's language (pint's names are English)
        name = chinese_unit_name(detail) if _lang(lang) == "zh" else detail
        detail = translate(_UNIT_NAME, lang, unit=name) if name else ""
    return Preview(True, translate(_READ_AS, lang), reading.tex, detail)
