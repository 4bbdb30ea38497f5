"""How an answer was read, without the answer key: what a graded course's student sees.

In a graded course the student's kernel cannot compute their variant (the course secret is not
there), so their ``check`` cannot say right or wrong.  It can still say how the grader will read
what they typed -- the number converted to the part's unit, the choice picked, the formula
parsed -- so a slip in the writing (a unit, a comma, a name) shows before they submit:

    E_K: read as −95.0 mV (you wrote −0.095 V).

Only the grader's readers are used (the same allow-list number, unit and formula parsers as
grading, nothing evaluated); no expected value is known here, so nothing can leak.  Where the
grader is lenient after reading (a decimal comma, a unit symbol in the wrong letter case), this
is stricter and asks for the plain form, so what it confirms is always read the same way when
graded.  Each reading is read by the part's answer kind (``AnswerKind.read``); the sentences
are the catalog's ``readback.*`` messages, in the course's language.
"""

from __future__ import annotations

import logging
from typing import Any

from membranelab.bank.kinds import READING_FORMS
from membranelab.incident import record_incident
from membranelab.messages import gettext

__all__ = ["GRADED_LATER", "read_back"]

#: The sentence after a read-back: no verdict before submission.
GRADED_LATER = "readback.graded_later"

_log = logging.getLogger(__name__)

def read_back(part: Any, answer: str | None, lang: str = "en") -> str:
    """One sentence in ``lang``: how ``answer`` to ``part`` is read, by the part's answer kind
    (never right or wrong; never raises on the answer)."""
    if answer is None or not str(answer).strip():
        return gettext("readback.empty", lang, part=part.id)
    try:
        reading = part.answer_kind.read(part, str(answer))
    except Exception as exc:  # noqa: BLE001 - reading back must never break a notebook
        record_incident(_log, "reading back an answer to part %s", part.id)
        return gettext("readback.unreadable", lang, part=part.id, reason=type(exc).__name__)
    if not reading.ok:
        return gettext("readback.unreadable", lang, part=part.id, reason=reading.reason(lang))
    key = f"readback.{reading.form}" if reading.form in READING_FORMS else "readback.text"
    return gettext(key, lang, part=part.id, **reading.values)
