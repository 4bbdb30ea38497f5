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
graded.  Sentences are named templates below.
"""

from __future__ import annotations

import logging
from typing import Any

from membranelab.incident import record_incident

__all__ = ["MESSAGES", "read_back"]

_log = logging.getLogger(__name__)

#: The sentences of this module, with named parameters.
MESSAGES = {
    "empty": "{part}: no answer yet. Type it between the quotes in the answer cell, then run "
             "that cell and this one.",
    "number": "{part}: read as {value} {unit}.",
    "number_converted": "{part}: read as {value} {unit} (you wrote {written}).",
    "number_bare": "{part}: read as {value}; a number without a unit is read in {unit}.",
    "number_pure": "{part}: read as the pure number {value}.",
    "choice": "{part}: read as the choice \u201c{choice}\u201d.",
    "formula": "{part}: read as the formula {formula}.",
    "text": "{part}: read as \u201c{text}\u201d.",
    "unreadable": "{part}: this cannot be read as an answer: {reason}",
    "graded_later": "Your answer is graded after you submit; the worked solution comes with your "
                    "feedback.",
}


def read_back(part: Any, answer: str | None) -> str:
    """One sentence: how ``answer`` to ``part`` is read, by the part's answer kind (never right
    or wrong; never raises on the answer)."""
    if answer is None or not str(answer).strip():
        return MESSAGES["empty"].format(part=part.id)
    try:
        reading = part.answer_kind.read(part, str(answer))
    except Exception as exc:  # noqa: BLE001 - reading back must never break a notebook
        record_incident(_log, "reading back an answer to part %s", part.id)
        return MESSAGES["unreadable"].format(part=part.id, reason=type(exc).__name__)
    if not reading.ok:
        return MESSAGES["unreadable"].format(part=part.id, reason=reading.reason())
    template = MESSAGES.get(reading.form, MESSAGES["text"])
    return template.format(part=part.id, **reading.values)
