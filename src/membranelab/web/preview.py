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

from membranelab.incident import record_incident
from membranelab.messages import resolve_lang

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


def preview_answer(part: Any, answer: str, *, lang: str | None = None) -> Preview:
    """How ``answer`` to ``part`` is read, by its answer kind (never raises on the answer)."""
    if not answer.strip():
        return Preview(False, translate(_EMPTY, lang))
    if part.answer_kind.options:  # picked from a list: nothing typed to preview
        return Preview(True, translate(_CHOICE, lang))
    try:
        reading = part.answer_kind.read(part, answer)
    except Exception:  # the preview must never show a traceback
        record_incident(logger, "preview failed for part %s", part.id)
        return Preview(False, translate(_UNREADABLE, lang))
    if not reading.ok:
        return Preview(False, reading.reason(_lang(lang)))
    detail = (translate(_UNIT_NAME, lang, unit=reading.detail)
              if reading.form.startswith("number") and reading.detail else reading.detail)
    return Preview(True, translate(_READ_AS, lang), reading.tex, detail)
