"""Read a class-mode database (``membranelab serve`` in class mode) into records, read-only.

The tables are reflected with SQLAlchemy (no import of the web front end); a SQLite file is
opened read-only (``mode=ro``), any other SQLAlchemy URL as given.  Columns used::

    submissions  student, assignment, problem, part, seq, answer, score, weight, note,
                 counted, hints (absent in old databases: 0)
    hints        student, assignment, problem, part, n     (optional table)

A submission's ``score`` is its share in [0, 1] of ``weight`` points, already multiplied by the
hint credit.  Per (student, assignment, problem, part): the final credited score is the best
``score * weight`` of the counted submissions (as the class page totals it; 0 when none
counted), the first try is the submission with the lowest ``seq`` (an unreadable answer that cost
no try included), ``tries`` the counted submissions, ``hints`` the hints shown (the ``hints``
table, else the largest ``submissions.hints``).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.exc import SQLAlchemyError

from .model import PartRecord, ReportInputError
from .read_csv import ChoiceOf

__all__ = ["SQLITE_MAGIC", "database_url", "read_class_db"]

#: The first bytes of an SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"


def database_url(source: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of ``source``: a URL as given, a file path as read-only SQLite."""
    text = os.fspath(source)
    if "://" in text:
        return text
    return f"sqlite:///file:{Path(text).resolve()}?mode=ro&uri=true"


def read_class_db(source: str | os.PathLike[str], choice_of: ChoiceOf | None = None
                  ) -> list[PartRecord]:
    """The records of a class database (path or SQLAlchemy URL)."""
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
    groups: dict[tuple[str, str, str, str], list] = {}
    for row in rows:
        groups.setdefault((row["student"], row["assignment"], row["problem"], row["part"]),
                          []).append(row)
    records = []
    for key, subs_of in groups.items():
        first = subs_of[0]
        counted = [r for r in subs_of if r["counted"]]
        hints = max([shown.get(key, 0)] + [int(r.get("hints") or 0) for r in subs_of])
        answer = str(first["answer"])
        records.append(PartRecord(
            student=key[0], assignment=key[1], problem=key[2], part=key[3],
            score=max((float(r["score"]) * float(r["weight"]) for r in counted), default=0.0),
            points=max(float(r["weight"]) for r in subs_of), note=str(first["note"]),
            answer=answer,
            choice=choice_of(key[2], key[3], answer) if choice_of and answer.strip() else None,
            hints=hints, tries=len(counted)))
    return records
