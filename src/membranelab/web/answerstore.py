"""The answer path's database work in few round trips (class mode, ``POST /p/{problem}/answer``).

An answer used to cost a dozen statements, each built anew (SQLAlchemy spent more time making
and keying the statements than the database spent running them), and on PostgreSQL as many
round trips again for ``BEGIN`` and ``ROLLBACK``.  Here the statements are built once, with
named parameters, each commits by itself (:func:`single_statements`), and an answer costs two:

* **reading** (:data:`ANSWERING`): who the token is (the teacher's hash and the student with
  this hash) and that student's submissions of the assignment, from which :class:`StudentRows`
  tells a re-sent id, the tries used, the answers carried forward and the marks;
* **recording**: one ``INSERT`` (:data:`RECORD`) whose ``seq`` is the next one by what was read,
  which inserts nothing when the student has been shown a hint of the part.

What was read may be out of date by the time the answer is recorded (another tab, another
worker).  Counts only grow, so a limit reached by what was read is reached; a submission
recorded in between takes the ``seq`` this one would take, so the ``INSERT`` collides on the
unique key (or on the id, for the same submission sent twice).  Then, and when hints were shown
(the score is multiplied by the part's hint credit of their number, read when the answer is
recorded), :meth:`ClassDB.record` records it instead, reading everything again in its
transaction: the try limit, the cap on stored submissions, the hint credit and "no submission
recorded twice" hold as they did.  The answer was scored as the try after the counted tries
that were read (a choice earns only on its first try, a penalty per wrong try); when another
try was counted in between, it is not recorded (:class:`~.db.StaleStanding`) and the answer
path grades it again from what is stored now, so answers sent at the same moment are tries
one after another, never all the first.  (Where the ``INSERT`` succeeds nothing was recorded
in between: every submission takes the next ``seq``, so one recorded after the read holds the
``seq`` this one would take.)
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from sqlalchemy import (
    bindparam,
    cast,
    exists,
    insert,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from .db import (
    ClassDB,
    StoreFull,
    Submission,
    TryLimitReached,
    hints,
    settings,
    students,
    submissions,
)

__all__ = ["ANSWERING", "RECORD", "SESSION", "RawStatements", "StudentRows", "lookup_token",
           "raw_statements", "read_answering", "record_answer", "single_statements"]

_ROW_COLUMNS = (submissions.c.uid, submissions.c.problem, submissions.c.part,
                submissions.c.counted, submissions.c.answer, submissions.c.score,
                submissions.c.weight, submissions.c.correct)


def _nothing(column: Any) -> Any:
    """NULL of ``column``'s type, named as it (PostgreSQL types a bare NULL in a ``UNION`` as
    text)."""
    return cast(null(), column.type).label(column.name)


#: Everything the answer path reads, in one statement: the teacher's token hash (``kind`` 0),
#: the student whose token has hash ``digest`` (``kind`` 1: ``hash``, ``student``) and that
#: student's submissions to ``assignment``, oldest first (``kind`` 2).
ANSWERING = union_all(
    select(literal_column("0").label("kind"), settings.c.value.label("hash"),
           _nothing(students.c.student), *map(_nothing, _ROW_COLUMNS),
           _nothing(submissions.c.id))
    .where(settings.c.key == bindparam("teacher_key")),
    select(literal_column("1"), students.c.token_hash, students.c.student,
           *map(_nothing, _ROW_COLUMNS), _nothing(submissions.c.id))
    .where(students.c.token_hash == bindparam("digest")),
    select(literal_column("2"), _nothing(students.c.token_hash), submissions.c.student,
           *_ROW_COLUMNS, submissions.c.id)
    .select_from(submissions.join(students, students.c.student == submissions.c.student))
    .where(students.c.token_hash == bindparam("digest"),
           submissions.c.assignment == bindparam("assignment")),
).order_by(literal_column("kind"), literal_column("id"))

#: The teacher's token hash (``student`` NULL) and the student whose token has hash ``digest``.
SESSION = union_all(
    select(settings.c.value.label("hash"), null().label("student")).where(
        settings.c.key == bindparam("teacher_key")),
    select(students.c.token_hash.label("hash"), students.c.student.label("student")).where(
        students.c.token_hash == bindparam("digest")))

_COLUMNS = tuple(name for name in Submission.__dataclass_fields__ if name != "hints")

#: One submission (every column but ``hints``, 0 by default, as parameters of the same name),
#: inserted only while no hint of its part has been shown to its student; returns its id.
RECORD = (insert(submissions)
          .from_select(list(_COLUMNS), select(
              *(bindparam(name, type_=submissions.c[name].type) for name in _COLUMNS))
              .where(~exists().where(hints.c.student == bindparam("student"),
                                     hints.c.assignment == bindparam("assignment"),
                                     hints.c.problem == bindparam("problem"),
                                     hints.c.part == bindparam("part"))))
          .returning(submissions.c.id))

#: (problem, part) -> (counted tries, best points earned, any counted try right), as
#: :meth:`ClassDB.part_totals` gives them.
Totals = dict[tuple[str, str], tuple[int, float, bool]]


@contextlib.contextmanager
def single_statements(db: ClassDB) -> Iterator[Connection]:
    """A connection whose statements each commit by themselves: autocommit on a database
    server (no ``BEGIN`` and ``COMMIT`` or ``ROLLBACK`` round trips); SQLite's driver begins a
    transaction only to write, and the block commits it."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            yield conn
            conn.commit()
        else:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")


@dataclass(frozen=True)
class _Compiled:
    """A statement as the driver takes it: its SQL text, and the order of its parameters
    (None: the driver takes them by name)."""

    sql: str
    order: tuple[str, ...] | None

    def params(self, values: dict[str, Any]) -> Any:
        return values if self.order is None else tuple(values[name] for name in self.order)


_COMPILED: weakref.WeakKeyDictionary[Engine, dict[int, _Compiled]] = \
    weakref.WeakKeyDictionary()


def _compiled(engine: Engine, statement: Any) -> _Compiled:
    """``statement`` compiled once for ``engine``'s dialect."""
    mine = _COMPILED.get(engine)
    if mine is None:
        mine = _COMPILED.setdefault(engine, {})
    found = mine.get(id(statement))
    if found is None:
        compiled = statement.compile(dialect=engine.dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        found = mine[id(statement)] = _Compiled(str(compiled), order)
    return found


class RawStatements:
    """Prebuilt statements run on the pool's driver connection, each committing by itself
    (:func:`raw_statements`); the driver's errors come out as SQLAlchemy's."""

    def __init__(self, engine: Engine, pooled: Any, cursor: Any) -> None:
        self.engine = engine
        self.pooled = pooled
        self.cursor = cursor
        self.sqlite = engine.dialect.name == "sqlite"

    def run(self, statement: Any, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The rows ``statement`` (one that returns rows) returns for ``values``."""
        compiled = _compiled(self.engine, statement)
        cursor = self.cursor
        try:
            cursor.execute(compiled.sql, compiled.params(values))
            return cursor.fetchall()
        except self.engine.dialect.loaded_dbapi.Error as exc:
            raise self._error(exc) from exc

    def commit(self) -> None:
        """Commit what was written (SQLite's driver began a transaction to write; on a
        database server each statement committed by itself)."""
        self._end("commit")

    def rollback(self) -> None:
        """Undo a write that failed (SQLite: its write lock is released now, not when the
        connection goes back to the pool)."""
        self._end("rollback")

    def _end(self, how: str) -> None:
        driver = self.pooled.driver_connection
        if self.sqlite and driver.in_transaction:
            try:
                getattr(driver, how)()
            except self.engine.dialect.loaded_dbapi.Error as exc:
                raise self._error(exc) from exc

    def _error(self, exc: Any) -> StatementError:
        """The driver's ``exc`` as SQLAlchemy's; a connection the database dropped leaves
        the pool."""
        dialect = self.engine.dialect
        gone = dialect.is_disconnect(exc, self.pooled.driver_connection, self.cursor)
        if gone:
            self.pooled.invalidate(exc)
        return DBAPIError.instance(None, None, exc, dialect.loaded_dbapi.Error,
                                   connection_invalidated=gone, dialect=dialect)


@contextlib.contextmanager
def raw_statements(db: ClassDB) -> Iterator[RawStatements]:
    """What :func:`single_statements` gives, for the answer path's prebuilt statements,
    without SQLAlchemy's execution machinery around each (a third of an answer's cost in
    Python): the statements compiled once per engine, run with the driver's cursor on a
    connection of the engine's pool, one checkout for the block (an answer's reading and
    recording).  On a database server the connection is in autocommit while the block runs
    (and back in transactions when it returns to the pool); SQLite's driver begins a
    transaction only to write, which :meth:`RawStatements.commit` (or the block's end)
    commits.  The driver's errors come out as SQLAlchemy's
    (:class:`sqlalchemy.exc.IntegrityError`, ...), and a connection the database dropped
    leaves the pool."""
    engine = db.engine
    dialect = engine.dialect
    pooled = engine.raw_connection()
    driver: Any = pooled.driver_connection
    sqlite = dialect.name == "sqlite"
    cursor = None
    try:
        try:
            if not sqlite:
                driver.autocommit = True
            cursor = pooled.cursor()
        except dialect.loaded_dbapi.Error as exc:
            raise RawStatements(engine, pooled, cursor)._error(exc) from exc
        conn = RawStatements(engine, pooled, cursor)
        yield conn
        conn.commit()
    finally:
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.close()
        if not sqlite and pooled.is_valid:
            with contextlib.suppress(Exception):
                driver.autocommit = False
        pooled.close()  # back to the pool (which rolls back what is left)


def lookup_token(conn: Connection, digest: str, teacher_key: str
                 ) -> tuple[str | None, tuple[str, str] | None]:
    """(the teacher's stored token hash or None, (student, stored hash) of ``digest`` or None)
    in one statement."""
    teacher, student = None, None
    for row in conn.execute(SESSION, {"teacher_key": teacher_key, "digest": digest}):
        if row.student is None:
            teacher = row.hash
        else:
            student = (row.student, row.hash)
    return teacher, student


class _Row(NamedTuple):
    """One submission as :data:`ANSWERING` reads it, a plain tuple (a SQLAlchemy row's attributes cost more)."""

    uid: str
    problem: str
    part: str
    counted: bool
    answer: str
    score: float
    weight: float
    correct: bool


@dataclass(frozen=True)
class StudentRows:
    """One student's submissions to one assignment as :data:`ANSWERING` reads them."""

    student: str
    assignment: str
    rows: tuple[_Row, ...]

    def has(self, uid: str) -> bool:
        """True when a submission with this (stored) id was read."""
        return any(r.uid == uid for r in self.rows)

    def counts(self, problem: str, part: str) -> tuple[int, int]:
        """(submissions stored, tries counted) of one part."""
        total = counted = 0
        for r in self.rows:
            if r.problem == problem and r.part == part:
                total += 1
                counted += bool(r.counted)
        return total, counted

    def earlier(self, problem: str) -> dict[str, str]:
        """The latest counted answer to each part of ``problem`` (carried forward)."""
        return {r.part: r.answer for r in self.rows if r.problem == problem and r.counted}

    def totals(self) -> Totals:
        """What :meth:`ClassDB.part_totals` would give for these rows (a new dict each time,
        the caller's to change)."""
        return dict(self._totals)

    @cached_property
    def _totals(self) -> Totals:
        out: Totals = {}
        for r in self.rows:
            if r.counted:
                key = (r.problem, r.part)
                out[key] = _plus(out.get(key), float(r.score) * float(r.weight), r.correct)
        return out


def _plus(total: tuple[int, float, bool] | None, earned: float, correct: Any
          ) -> tuple[int, float, bool]:
    if total is None:
        return 1, earned, bool(correct)
    return total[0] + 1, max(total[1], earned), total[2] or bool(correct)


def read_answering(conn: RawStatements, digest: str, teacher_key: str, assignment: str
                   ) -> tuple[str | None, tuple[str, str] | None, StudentRows | None]:
    """:data:`ANSWERING`: (the teacher's stored token hash or None, (student, stored hash) of
    ``digest`` or None, that student's submissions to ``assignment`` or None)."""
    teacher = found = None
    rows = []
    for row in conn.run(ANSWERING, {"teacher_key": teacher_key, "digest": digest,
                                    "assignment": assignment}):
        if row[0] == 0:
            teacher = row[1]
        elif row[0] == 1:
            found = (row[2], row[1])
        else:
            rows.append(_Row._make(row[3:11]))
    if found is None:
        return teacher, None, None
    return teacher, found, StudentRows(found[0], assignment, tuple(rows))


def record_answer(db: ClassDB, sub: Submission, known: StudentRows, try_limit: int,
                  credit: Callable[[int], float], *, max_stored: int | None = None,
                  conn: RawStatements | None = None) -> tuple[Submission, Totals]:
    """:meth:`ClassDB.record` of ``sub`` (with the part's hint ``credit``) given what was read
    of the student's submissions (on ``conn``, which records it too; else a connection of
    ``db``'s pool): the stored submission and the student's totals after it.
    Raises :class:`TryLimitReached` and :class:`StoreFull` as it does, and
    :class:`~.db.StaleStanding` when a try of the part was recorded after ``known`` was read
    (``sub`` was scored as a try that it no longer is)."""
    if known.has(sub.uid):
        return db.record(sub, try_limit, credit, max_stored=max_stored)
    total, counted = known.counts(sub.problem, sub.part)
    if sub.counted and counted >= try_limit:
        raise TryLimitReached
    if max_stored is not None and total >= max_stored:
        raise StoreFull
    values = {name: getattr(sub, name) for name in _COLUMNS}
    values["seq"] = total + 1
    with contextlib.ExitStack() as stack:
        if conn is None:
            conn = stack.enter_context(raw_statements(db))
        try:
            inserted = conn.run(RECORD, values)
            conn.commit()  # recorded now, whatever the answer path does next
        except IntegrityError:  # recorded meanwhile: this id, or this seq by another request
            conn.rollback()  # SQLite's write lock released before ClassDB.record takes one
            inserted = None
    if not inserted:  # that, or hints were shown: read and record in one transaction
        return db.record(sub, try_limit, credit, max_stored=max_stored, expect_counted=counted)
    stored = Submission(**values)
    totals = known.totals()
    if stored.counted:
        key = (stored.problem, stored.part)
        totals[key] = _plus(totals.get(key), float(stored.score) * float(stored.weight),
                            stored.correct)
    return stored, totals
