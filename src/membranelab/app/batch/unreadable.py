"""Answers a batch could not read: why, carried beside the grades, and listed for the teacher.

An answer whose :class:`~membranelab.grading.PartResult` is not ``readable`` (a parse error, an
unknown unit, a choice in words the part does not know...) scores 0 like a wrong one; so that it
is never a silent 0, :func:`membranelab.app.batch.pipeline.grade_group` adds its reason as a
seventh result field (:func:`unreadable_reason`), kept in the journal and split off
(:func:`split_reason`) before the grades file is written, and :func:`list_unreadable` lists each
one on stderr; the summary counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from membranelab.service.answers_csv import INPUT_COLUMNS, OUTPUT_COLUMNS

if TYPE_CHECKING:
    from membranelab.grading.result import PartResult
    from membranelab.service.answers_csv import AnswerRow

__all__ = ["list_unreadable", "split_reason", "unreadable_reason"]

#: Characters of an answer quoted in its review line.
ANSWER_SHOWN = 80


def unreadable_reason(result: PartResult) -> str:
    """Why an answer could not be read, one line, for the teacher (the full message, without
    the caret lines under the answer)."""
    from membranelab.messages import part_text

    params = {k: v for k, v in dict(result.params).items() if k != "pointer"}
    return " ".join(part_text(replace(result, params=params), level="full").split())


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
                     answer=repr(shown), reason=reason))
    if len(rows) > most:
        warn(gettext("grade.unreadable_more", lang, path=answers, n=len(rows) - most))
