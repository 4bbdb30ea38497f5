"""Where a report's records come from: one reader per kind of source, found by looking at it.

================  ==================================================  ========================
kind              SOURCE                                              reader
================  ==================================================  ========================
``grades``        a CSV file written by ``membranelab grade``          :mod:`.read_csv`
``classdb``       a class-mode database: an SQLite file or any         :mod:`.read_db`
                  SQLAlchemy URL (``postgresql://...``)
``gradebook``     an nbgrader course directory (its ``gradebook.db``)  :mod:`.read_gradebook`
                  or a gradebook file
================  ==================================================  ========================

A new kind is one reader module and one entry of :data:`READERS` (with its test in
:func:`source_kind`).  A reader's module is imported when a source of its kind is read (SQLAlchemy
only for a database), and every reader makes its records of the grading service's verdicts
(:mod:`.from_service`).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from membranelab.messages.oserror import os_reason

from .model import GRADEBOOK, SQLITE_MAGIC, PartRecord, ReportInputError
from .read_csv import ChoiceOf

__all__ = ["READERS", "describe_source", "reader", "read_source", "source_kind"]

#: kind -> the reader's module and function: reader(source, choice_of) -> records.
READERS: dict[str, tuple[str, str]] = {
    "grades": (".read_csv", "read_grades_csv"),
    "classdb": (".read_db", "read_class_db"),
    "gradebook": (".read_gradebook", "read_gradebook"),
}


def reader(kind: str) -> Callable[[str, ChoiceOf | None], list[PartRecord]]:
    """The reader of a kind of :data:`READERS` (its module imported now)."""
    module, function = READERS[kind]
    found: Callable[[str, ChoiceOf | None], list[PartRecord]] = getattr(
        importlib.import_module(module, __package__), function)
    return found


def source_kind(source: str | os.PathLike[str]) -> str:
    """``gradebook`` for a directory with a gradebook or an SQLite file with nbgrader's tables,
    ``classdb`` for a URL or another SQLite file, ``grades`` for another file;
    :class:`ReportInputError` for what is none of these."""
    text = os.fspath(source)
    if "://" in text:
        return "classdb"
    path = Path(text)
    if not path.exists():
        raise ReportInputError("report.error.no_file", path=text)
    if path.is_dir() and (path / GRADEBOOK).is_file():
        return "gradebook"
    if not path.is_file():
        raise ReportInputError("report.error.not_a_source", path=text)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ReportInputError("report.error.unreadable", path=text,
                               reason=os_reason(exc)) from None
    if head != SQLITE_MAGIC:
        return "grades"
    return "gradebook" if "grade_cells" in _tables(path) else "classdb"


def _tables(path: Path) -> set[str]:
    """The table names of an SQLite file (opened read-only; none when it cannot be read: the
    reader then says why)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    from .read_db import database_url

    engine = create_engine(database_url(path))
    try:
        return set(inspect(engine).get_table_names())
    except SQLAlchemyError:
        return set()
    finally:
        engine.dispose()


def read_source(source: str | os.PathLike[str], choice_of: ChoiceOf | None = None
                ) -> list[PartRecord]:
    """The records of ``source`` (any kind of :data:`READERS`); an empty source is a
    :class:`ReportInputError`."""
    records = reader(source_kind(source))(os.fspath(source), choice_of)
    if not records:
        raise ReportInputError("report.error.empty", source=os.fspath(source))
    return records


def describe_source(source: str | os.PathLike[str]) -> str:
    """How the report names its source: a path made absolute, a URL without its password."""
    text = os.fspath(source)
    if "://" in text:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(text).render_as_string(hide_password=True)
        except ArgumentError:
            return text.split("://", 1)[0] + "://..."
    return str(Path(text).resolve())
