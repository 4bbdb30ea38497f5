"""How an answer is read, without saying whether it is right: the read-back and the preview.

A graded course's notebook cannot say right or wrong (its kernel holds no key); the browser's
preview speaks before an answer is submitted.  Both say how the grader will read what was typed --
the number converted to the part's unit, the choice picked, the formula parsed -- so a slip in
the writing (a unit, a comma, a name) shows before it costs anything:

    E_K: read as −95.0 mV (you wrote −0.0950 V).

:func:`read_answer` is the one reading: each answer kind's ``read``, which uses the grader's own
readers (a number is read by ``read_quantity``, the reading grading judges), so whatever grading accepts reads back
the same.  Nothing expected is known here, so nothing can leak.  A fault inside a reader is an
incident: the user is told its id and that the fault is not in their answer, never that their
answer cannot be read.  The sentences are the catalog's ``readback.*`` messages.
"""

from __future__ import annotations

import logging
from typing import Any

from membranelab.bank.kinds import READING_FORMS, Reading
from membranelab.incident import record_incident
from membranelab.messages import gettext

__all__ = ["GRADED_LATER", "INCIDENT", "read_answer", "read_back"]

#: The sentence after a read-back: no verdict before submission.
GRADED_LATER = "readback.graded_later"
#: The form of a reading that failed inside membranelab (``values["incident"]``: its id).
INCIDENT = "incident"

_log = logging.getLogger(__name__)


def read_answer(part: Any, answer: str, problem: Any = None) -> Reading:
    """How ``answer`` to ``part`` reads (``problem``: the problem in every language, so a
    choice written in another of its languages reads as graded).  Never raises: a fault in a
    reader gives a reading of form :data:`INCIDENT` with the incident's id."""
    try:
        reading: Reading = part.answer_kind.read(part, str(answer), problem)
        return reading
    except Exception:  # noqa: BLE001 - a reader's fault is recorded and named, never the answer's
        incident = record_incident(_log, "reading an answer to part %s", part.id)
        return Reading(INCIDENT, {"incident": incident})


def read_back(part: Any, answer: str | None, lang: str = "en", problem: Any = None) -> str:
    """One sentence in ``lang``: how ``answer`` to ``part`` is read (never right or wrong;
    never raises on the answer)."""
    if answer is None or not str(answer).strip():
        return gettext("readback.empty", lang, part=part.id)
    reading = read_answer(part, str(answer), problem)
    if reading.form == INCIDENT:
        return gettext("readback.incident", lang, part=part.id, **reading.values)
    if not reading.ok:
        return gettext("readback.unreadable", lang, part=part.id, reason=reading.reason(lang))
    key = f"readback.{reading.form}" if reading.form in READING_FORMS else "readback.text"
    return gettext(key, lang, part=part.id, **reading.values)
