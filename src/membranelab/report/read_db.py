"""Read a class-mode database (``membranelab serve`` in class mode) into records, read-only.

The tables are reflected with SQLAlchemy (no import of the web front end); a SQLite file is
opened read-only (``mode=ro``), any other SQLAlchemy URL as given.  Columns used::

    submissions  student, assignment, problem, part, seq, answer, score, weight, note,
                 counted, hints (absent in old databases: 0)
    hints        student, assignment, problem, part, n     (optional table)

A submission's ``score`` is its share in [0, 1] of ``weight`` points, already multiplied by the
hint credit.  Each submission is read back into the grading service's result model
(:func:`membranelab.service.stored.stored_verdict`: its note is the message id, its ``counted``
whether it was a try; the feedback sentence is never read); per (student, assignment, problem,
part) :func:`.from_service.record_from_verdicts` makes the record: the final credited score is
the best ``score * weight`` of the counted submissions (as the class page totals it; 0 when none
counted), the first try is the submission with the lowest ``seq`` (an unreadable answer that cost
no try included), ``tries`` the counted submissions, ``hints`` the hints shown (the ``hints``
table, else the largest ``submissions.hints``).

:func:`records_of_rows` does the same for rows already read (the class-mode teacher page hands
over its database's submissions and hints, so it reports the class so far without a second
connection).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .from_service import record_from_verdicts
from .model import SQLITE_MAGIC, PartRecord, ReportInputError
from .read_csv import ChoiceOf

__all__ = ["SQLITE_MAGIC", "database_url", "read_class_db", "records_of_rows"]


def database_url(source: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of ``source``: a URL as given, a file path as read-only SQLite."""
    text = os.fspath(source)
    if "://" in text:
        return text
    return f"sqlite:///file:{Path(text).resolve()}?mode=ro&uri=true"


def read_class_db(source: str | os.PathLike[str], choice_of: ChoiceOf | None = None
                  ) -> list[PartRecord]:
    """The records of a class database (path or SQLAlchemy URL)."""
    from sqlalchemy import MetaData, create_engine, select
    from sqlalchemy.exc import SQLAlchemyError

    url = database_url(source)
    if "://" not in os.fspath(source) and not Path(source).is_file():
        raise ReportInputError("report.error.no_file", path=os.fspath(source))
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise ReportInputError("report.error.database", source=os.fspath(source),
                               reason=str(exc).splitlines()[0]) from None
    try:
        meta = MetaData()
        meta.reflect(engine, only=lambda name, _: name in ("submissions", "hints"))
        if "submissions" not in meta.tables:
            raise ReportInputError("report.error.not_class_db", source=os.fspath(source))
        subs = meta.tables["submissions"]
        with engine.connect() as conn:
            rows = conn.execute(select(subs).order_by(subs.c.seq, subs.c.id)).mappings().all()
            shown: dict[tuple[str, str, str, str], int] = {}
            if "hints" in meta.tables:
                h = meta.tables["hints"]
                for r in conn.execute(select(h.c.student, h.c.assignment, h.c.problem,
                                             h.c.part)):
                    key = (r[0], r[1], r[2], r[3])
                    shown[key] = shown.get(key, 0) + 1
    except SQLAlchemyError as exc:
        raise ReportInputError("report.error.database", source=os.fspath(source),
                               reason=str(exc).splitlines()[0]) from None
    finally:
        engine.dispose()
    return records_of_rows(rows, shown, choice_of)


def records_of_rows(rows: Iterable[Mapping[str, Any] | Any],
                    shown: Mapping[tuple[str, str, str, str], int],
                    choice_of: ChoiceOf | None = None) -> list[PartRecord]:
    """The records of ``submissions`` rows in the order of their tries (mappings, or objects
    with the columns as attributes) and of the hints shown per (student, assignment, problem,
    part)."""
    from membranelab.service.stored import stored_verdict

    groups: dict[tuple[str, str, str, str], list] = {}
    for row in rows:
        r = row if isinstance(row, Mapping) else vars(row)
        groups.setdefault((r["student"], r["assignment"], r["problem"], r["part"]),
                          []).append(r)
    records = []
    for key, subs_of in groups.items():
        student, assignment, problem, part = key
        verdicts = []
        for i, r in enumerate(subs_of):
            answer = str(r["answer"])
            choice = (choice_of(problem, part, answer) if i == 0 and choice_of
                      and answer.strip() else None)
            weight = float(r["weight"])
            verdicts.append(stored_verdict(
                student=student, assignment=assignment, problem=problem, part=part,
                answer=answer, earned=float(r["score"]) * weight, points=weight,
                correct=bool(r["correct"]), note=str(r["note"]), counted=bool(r["counted"]),
                reading={"choice": choice} if choice is not None else None))
        hints = max([shown.get(key, 0)] + [int(r.get("hints") or 0) for r in subs_of])
        records.append(record_from_verdicts(verdicts, hints=hints))
    return records
