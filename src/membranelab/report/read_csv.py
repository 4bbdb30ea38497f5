"""Read a grades CSV written by ``membranelab grade`` into :class:`~.model.PartRecord` values.

Columns (header names case-insensitive, any order, extra columns ignored; those of
``membranelab.service.answers_csv.OUTPUT_COLUMNS``)::

    student,assignment,problem,part,answer,score,points,correct,note,feedback,expected
    alice,hw1,nernst-potassium,E_K,-89 mV,2,2,true,correct,Correct.,-89.0 mV

``score`` is the points earned, ``points`` the part's maximum.  Each row is read back into the
grading service's result model (:func:`membranelab.service.stored.stored_verdict`: the note is
its message id; the feedback sentence is never read) and the rows answering the same (student,
assignment, problem, part) are the tries of that part, in file order
(:func:`.from_service.record_from_verdicts`): the first is the first try (its note, its answer,
the choice it selects), the best score of the tries gives the score (``grade`` writes 0 points
for a try a resubmission superseded, note ``row.superseded``).  Rows the grader could not
attribute (note ``row.malformed``, or an empty id) are left out.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

from membranelab.messages.oserror import os_reason

from .from_service import record_from_verdicts
from .model import PartRecord, ReportInputError

__all__ = ["REQUIRED_COLUMNS", "ChoiceOf", "read_grades_csv"]

#: Columns a grades file must have.
REQUIRED_COLUMNS = ("student", "assignment", "problem", "part", "answer", "score", "points",
                    "note")
#: Notes of rows that are not a try of their part.
_NOT_A_TRY = frozenset({"row.malformed"})

#: (problem, part, answer text) -> the choice it selects, or None (not a choice part, or no choice).
ChoiceOf = Callable[[str, str, str], "str | None"]


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportInputError("report.error.no_file", path=str(path)) from None
    except OSError as exc:
        raise ReportInputError("report.error.unreadable", path=str(path),
                               reason=os_reason(exc)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportInputError("report.error.not_utf8", path=str(path), byte=exc.start) from None


def _number(value: str, path: Path, line: int, column: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not (number >= 0 and number != float("inf")):
        raise ReportInputError("report.error.bad_number", path=str(path), line=line,
                               column=column, value=value[:40])
    return number


def read_grades_csv(path: str | os.PathLike[str], choice_of: ChoiceOf | None = None
                    ) -> list[PartRecord]:
    """The records of a grades CSV (see the module's docstring); ``choice_of`` names the choice
    a first try's answer selects (None: no options are reported)."""
    source = Path(path)
    reader = csv.reader(io.StringIO(_text(source), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise ReportInputError("report.error.bad_csv", path=str(source), line=1,
                               reason=str(exc)) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ReportInputError("report.error.columns", path=str(source),
                               missing=", ".join(missing), expected=",".join(REQUIRED_COLUMNS))
    at = {c: header.index(c) for c in (*REQUIRED_COLUMNS, "correct") if c in header}
    groups: dict[tuple[str, str, str, str], list[tuple[int, list[str]]]] = {}
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ReportInputError("report.error.bad_csv", path=str(source),
                                   line=reader.line_num, reason=str(exc)) from None
        if not any(f.strip() for f in fields):
            continue
        fields = fields + [""] * (len(header) - len(fields))
        ids = tuple(fields[at[c]].strip() for c in ("student", "assignment", "problem", "part"))
        if not all(ids) or fields[at["note"]].strip() in _NOT_A_TRY:
            continue
        groups.setdefault(ids, []).append((reader.line_num, fields))  # type: ignore[arg-type]
    from membranelab.service.stored import stored_verdict

    truth = ("true", "1", "yes")
    records = []
    for (student, assignment, problem, part), rows in groups.items():
        verdicts = []
        for i, (n, fields) in enumerate(rows):
            answer = fields[at["answer"]]
            choice = (choice_of(problem, part, answer) if i == 0 and choice_of
                      and answer.strip() else None)
            earned = _number(fields[at["score"]], source, n, "score")
            try:
                verdicts.append(stored_verdict(
                    student=student, assignment=assignment, problem=problem, part=part,
                    answer=answer, earned=earned,
                    points=_number(fields[at["points"]], source, n, "points"),
                    correct=(fields[at["correct"]].strip().lower() in truth
                             if "correct" in at else False),
                    note=fields[at["note"]].strip(),
                    reading={"choice": choice} if choice is not None else None))
            except ValueError:  # points earned on a part worth none
                raise ReportInputError("report.error.bad_number", path=str(source), line=n,
                                       column="score", value=fields[at["score"]][:40]) from None
        records.append(record_from_verdicts(verdicts))
    return records
