"""Answers a batch could not read: why, carried beside the grades, and listed for the teacher.

An answer whose :class:`~membranelab.grading.PartResult` is not ``readable`` (a parse error, an
unknown unit, a choice in words the part does not know...) scores 0 like a wrong one; so that it
is never a silent 0, :func:`membranelab.app.batch.pipeline.grade_group` adds its reason as a
seventh result field (:func:`unreadable_reason`), kept in the journal and split off
(:func:`split_reason`) before the grades file is written, and :func:`list_unreadable` lists each
one on stderr; the summary counts them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from membranelab.service.answers_csv import INPUT_COLUMNS, OUTPUT_COLUMNS

if TYPE_CHECKING:
    from membranelab.grading.result import PartResult
    from membranelab.service.answers_csv import AnswerRow

__all__ = ["list_unreadable", "reason_text", "split_reason", "unreadable_reason"]

#: Characters of an answer quoted in its review line.
ANSWER_SHOWN = 80


def unreadable_reason(result: PartResult) -> str:
    """Why an answer could not be read, as a field: its message id and parameters (JSON,
    without the caret lines under the answer), rendered in the teacher's language by
    :func:`reason_text`."""
    params = {k: v for k, v in dict(result.params).items() if k not in ("pointer", "also")}
    return json.dumps({"m": result.message_id or result.note, "p": params},
                      ensure_ascii=False)


def reason_text(reason: str, lang: str | None) -> str:
    """The sentence of a :func:`unreadable_reason` field in ``lang``, on one line."""
    from membranelab.messages import render_message, resolve_lang

    try:
        data = json.loads(reason)
        key, params = str(data["m"]), dict(data["p"])
    except (ValueError, KeyError, TypeError):
        return " ".join(reason.split())  # a journal written otherwise: shown as it is
    return " ".join(render_message(key, params, lang=resolve_lang(lang)).split())


def split_reason(fields: list[str]) -> tuple[list[str], str]:
    """(a row's result fields, why its answer could not be read or "")."""
    if len(fields) > len(OUTPUT_COLUMNS) - len(INPUT_COLUMNS):
        return fields[:-1], fields[-1]
    return fields, ""


def list_unreadable(rows: Sequence[tuple[AnswerRow, str]], answers: object,
                    warn: Callable[[str], None], lang: str | None, most: int) -> None:
    """One line per unreadable answer (the first ``most``), then how many more."""
    from membranelab.messages import gettext

    for row, reason in rows[:most]:
        shown = row.answer if len(row.answer) <= ANSWER_SHOWN else row.answer[:ANSWER_SHOWN - 3] + "..."
        warn(gettext("grade.unreadable_line", lang, path=answers, line=row.line,
                     student=row.student, problem=row.problem, part=row.part,
                     answer=repr(shown), reason=reason_text(reason, lang)))
    if len(rows) > most:
        warn(gettext("grade.unreadable_more", lang, path=answers, n=len(rows) - most))
