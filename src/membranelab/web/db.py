"""The class-mode database (SQLAlchemy Core): students, their hashed tokens, every submission.

Any SQLAlchemy URL works (``postgresql://...`` for a shared deployment); the default is SQLite in
WAL mode (readers never wait for the writer) with a busy timeout.  A server's answers, recorded on
its event loop, leave SQLite's WAL checkpoints to a thread (:meth:`ClassDB.start_checkpointer`,
:mod:`.checkpoint`; the connection state per use: :data:`LOOP_BUSY_MS`).

Tables::

    students     student (key), name, token_hash (unique), created
    settings     key, value                       teacher_token_hash, csrf_secret
    submissions  id, uid (unique: a re-sent request is not recorded twice), student, assignment,
                 problem, part, seq, answer, score, weight, correct, note, feedback, level,
                 counted, hints, created, late
                 unique (student, assignment, problem, part, seq)
    hints        student, assignment, problem, part, n, created
                 unique (student, assignment, problem, part, n)

``seq`` numbers a part's submissions 1, 2, ...; two concurrent submissions that read the same
count collide on the unique key and the loser retries, so the try limit holds across threads and
server processes, and no submission is lost or recorded twice.

``hints`` holds one row per hint a student was shown (class mode, :meth:`ClassDB.show_hint`):
hint ``n`` is stored only once hint ``n - 1`` is, a second request for the same hint collides on
the unique key and finds it shown, and no row is ever removed, so a part's count is the hints
shown, each counted once, never decreasing.  A submission stores in ``hints`` how many hints of
its part had been shown when it was recorded (read in its own transaction) and in ``score`` the
grade already multiplied by the part's hint credit (``Part.hint_credit`` of the bank).

An SQLite database file (and its ``-wal`` and ``-shm`` files, which SQLite creates with the
database's permissions) is readable and writable by its owner only (``0600``): it holds every
answer and the token hashes.

``late`` marks an answer handed in after the due date (a class whose late rule takes them);
its ``score`` is already multiplied by the rule's share (0: recorded, no points).

Opening a database brings its schema to the newest revision of the migrations (Alembic,
:mod:`.migrate`): a database made before revisions were recorded, or before a table or column
existed, gets what is missing and keeps every row; one newer than this code is refused.  A change
to these tables comes with a revision in ``migrations/versions`` (a test compares the two).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError

from membranelab.errors import CliError
from membranelab.service import is_fast_only

from . import checkpoint as _checkpoint
from .config import MAX_ID
from .migrate import upgrade

__all__ = ["ClassDB", "StoreFull", "Submission", "TryLimitReached"]

#: A part's hint credit: the share of a graded score kept after n hints shown.
Credit = Callable[[int], float]

logger = logging.getLogger(__name__)

metadata = MetaData()

students = Table(
    "students", metadata,
    Column("student", String(MAX_ID), primary_key=True),
    Column("name", String(400), nullable=False, default=""),
    Column("token_hash", String(64), nullable=True, unique=True),
    Column("created", Float, nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("student", String(MAX_ID), nullable=False, index=True),
    Column("assignment", String(MAX_ID), nullable=False),
    Column("problem", String(MAX_ID), nullable=False),
    Column("part", String(MAX_ID), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("answer", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("note", String(200), nullable=False),
    Column("feedback", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("counted", Boolean, nullable=False),
    Column("created", Float, nullable=False),
    Column("hints", Integer, nullable=False, server_default="0"),
    Column("late", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("student", "assignment", "problem", "part", "seq", name="one_seq"),
)

hints = Table(
    "hints", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("student", String(MAX_ID), nullable=False),
    Column("assignment", String(MAX_ID), nullable=False),
    Column("problem", String(MAX_ID), nullable=False),
    Column("part", String(MAX_ID), nullable=False),
    Column("n", Integer, nullable=False),
    Column("created", Float, nullable=False),
    UniqueConstraint("student", "assignment", "problem", "part", "n", name="one_hint"),
)

#: Earlier verdicts of regraded submissions (``membranelab regrade --class-db``): each row keeps
#: a submission's verdict as it was before a regrade replaced it in ``submissions``.
regrades = Table(
    "regrades", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(64), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("note", String(200), nullable=False),
    Column("feedback", Text, nullable=False),
    Column("regraded", Float, nullable=False),
)

_RETRIES = 50


class TryLimitReached(Exception):
    """The part has no tries left."""


class StoreFull(Exception):
    """The student has stored as many submissions of the part as they may (read or not)."""


class StaleStanding(Exception):
    """A try of the part was recorded after the student's submissions were read: the answer
    was scored from a standing that no longer holds (a choice's first try, a penalty per wrong
    try), so it is not recorded; grade it again from what is stored now."""


@dataclass(frozen=True)
class Submission:
    """One recorded answer and its verdict (``score`` in [0, 1] of ``weight`` points, after the
    hint credit; ``hints``: hints of the part shown before it)."""

    uid: str
    student: str
    assignment: str
    problem: str
    part: str
    seq: int
    answer: str
    score: float
    weight: float
    correct: bool
    note: str
    feedback: str
    level: str
    counted: bool
    created: float
    hints: int = 0
    late: bool = False

    @classmethod
    def from_row(cls, row: Any) -> Submission:
        """From a ``submissions`` row."""
        m = row._mapping
        return cls(**{name: m[name] for name in cls.__dataclass_fields__})


#: Milliseconds a statement waits for SQLite's write lock held by another connection (another
#: worker, a regrade, a thread of this one) before it fails as busy.
BUSY_MS = 10_000
#: The same on the event loop (inside the grading service's ``fast_only``: a class's answers),
#: where a wait holds every request of the process: past it the statement fails as busy and
#: the answer is graded again in a thread, which waits :data:`BUSY_MS`.  There, while the
#: database's checkpointer runs (:meth:`ClassDB.start_checkpointer`, a server's lifespan), a
#: connection also runs without SQLite's automatic WAL checkpoint (``wal_autocheckpoint=0``),
#: which would otherwise copy the WAL into the database file inside one commit in a few
#: hundred (5 to 40 ms, every request of the process waiting): the checkpointer's thread does
#: it after the loop's writes (:mod:`.checkpoint`).  Elsewhere, and while none runs, a
#: connection keeps SQLite's automatic checkpoint (:data:`.checkpoint.AUTOCHECKPOINT_PAGES`).
LOOP_BUSY_MS = 20


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={_checkpoint.AUTOCHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA journal_size_limit={_checkpoint.WAL_SIZE_LIMIT}")
    cursor.close()
    record.info["busy_ms"] = BUSY_MS
    record.info["autocheckpoint"] = _checkpoint.AUTOCHECKPOINT_PAGES


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" (or "table is locked"): another connection held
    the write lock past this one's wait; nothing was written by the statement that failed."""
    return isinstance(exc, OperationalError) and "is locked" in str(exc.orig)


def _private_sqlite_file(database: str | None) -> None:
    """Create the SQLite file ``database`` owner-only (0600) before SQLite does, or take the
    group's and others' permissions from one made before (and from its -wal and -shm files)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        fd = os.open(database, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                     0o600)
    except FileExistsError:
        for path in (database, f"{database}-wal", f"{database}-shm"):
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
                if mode & 0o077:
                    os.chmod(path, mode & 0o700)
                    logger.warning("made %s readable by its owner only (it was %o)", path, mode)
            except OSError:
                continue
        return
    os.close(fd)


#: Connections each server process keeps open to a database server or file (SQLAlchemy's
#: ``QueuePool``).  The request threads (anyio's, 40) hold one only while they read or record;
#: with SQLAlchemy's default (5 kept, 10 more opened and closed on demand) a busy server opens
#: and closes connections, each a new PostgreSQL backend process.
POOL_SIZE = 20
#: Connections opened past :data:`POOL_SIZE` when every kept one is in use (closed after use).
POOL_OVERFLOW = 20
#: The pool hands out the connection returned last (``pool_use_lifo``), not the one idle the
#: longest: a class's answers, one after another on the event loop, then use one warm
#: connection (its prepared statements, its PostgreSQL backend's caches, SQLite's page cache)
#: instead of cycling through every connection the pages' threads ever opened (bench/serve.py,
#: PostgreSQL: five backends at 0.12 ms each per answer).
POOL_LIFO = True


def pool_options(url: str) -> dict[str, Any]:
    """``create_engine`` options sizing the connection pool of ``url`` (none for an in-memory
    SQLite database, which SQLAlchemy serves from one connection)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and (
            not parsed.database or parsed.database == ":memory:"
            or parsed.query.get("mode") == "memory"):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, "pool_use_lifo": POOL_LIFO}


def _shown(url: str) -> str:
    """``url`` as a message may show it: its password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


class ClassDB:
    """A class's database behind an SQLAlchemy engine; a URL that names no usable database,
    or a server that cannot be reached, is a :class:`~membranelab.errors.CliError`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._checkpointer: _checkpoint.Checkpointer | None = None
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        try:
            kwargs.update(pool_options(url))
            self.engine: Engine = create_engine(url, **kwargs)
        except (ArgumentError, NoSuchModuleError, ImportError, ValueError):
            logger.info("not a usable database URL: %s", _shown(url), exc_info=True)
            raise CliError("classdb.bad_url", url=_shown(url)) from None
        if self.engine.dialect.name == "sqlite":
            _private_sqlite_file(self.engine.url.database)
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "checkout", self._sqlite_checkout)
            event.listen(self.engine, "checkin", self._sqlite_checkin)
        try:
            #: What opening did to the schema (:class:`.migrate.SchemaChange`).
            self.schema = upgrade(self.engine)
        except OperationalError:
            self.engine.dispose()
            logger.warning("cannot open the class database %s", _shown(url), exc_info=True)
            raise CliError("classdb.cannot_open", url=_shown(url)) from None
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        """Stop the checkpointer (if one runs) and release the connections."""
        self.stop_checkpointer()
        self.engine.dispose()

    # -- SQLite: each connection's state where it is used, checkpoints -------------------------
    def _sqlite_checkout(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        """At each checkout, the connection's state for where it is used (see
        :data:`LOOP_BUSY_MS`): on the event loop (inside ``fast_only``) the short lock wait
        and, while the checkpointer runs, no automatic checkpoint; elsewhere the long wait and
        SQLite's automatic checkpoint.  A PRAGMA only when a value changes."""
        loop = is_fast_only()
        info = record.info
        wanted = LOOP_BUSY_MS if loop else BUSY_MS
        if info.get("busy_ms") != wanted:
            dbapi_connection.execute(f"PRAGMA busy_timeout={wanted}")
            info["busy_ms"] = wanted
        pages = 0 if loop and self._checkpointer is not None else _checkpoint.AUTOCHECKPOINT_PAGES
        if info.get("autocheckpoint") != pages:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={pages}")
            info["autocheckpoint"] = pages
            info["changes"] = dbapi_connection.total_changes  # what :meth:`_sqlite_checkin` sees

    def _sqlite_checkin(self, dbapi_connection: Any, record: Any) -> None:
        """A connection back in the pool that ran without the automatic checkpoint and changed
        rows since it was last returned marks the database as written (checkpoint soon)."""
        info = record.info
        if info.get("autocheckpoint") == 0 and dbapi_connection is not None:
            changes = dbapi_connection.total_changes
            if changes != info.get("changes"):
                info["changes"] = changes
                checkpointer = self._checkpointer
                if checkpointer is not None:
                    checkpointer.mark()

    def start_checkpointer(self, interval: float | None = None) -> bool:
        """Checkpoint an SQLite database file in a thread of its own (:mod:`.checkpoint`;
        ``interval`` seconds at least between two, None: its ``INTERVAL_S``) until
        :meth:`stop_checkpointer` or :meth:`close`; meanwhile connections on the event loop run
        without SQLite's automatic checkpoint.  Returns whether one runs (none for another
        database, nor in memory)."""
        if self._checkpointer is not None:
            return True
        if self.engine.dialect.name != "sqlite" or not pool_options(self.url):
            return False
        dialect = self.engine.dialect
        cargs, cparams = dialect.create_connect_args(self.engine.url)
        checkpointer = _checkpoint.Checkpointer(
            lambda: dialect.loaded_dbapi.connect(*cargs, **cparams), interval=interval)
        checkpointer.start()
        self._checkpointer = checkpointer
        return True

    def stop_checkpointer(self) -> None:
        """Stop the checkpointer's thread (nothing when none runs); the event loop's
        connections take SQLite's automatic checkpoint again at their next checkout."""
        checkpointer, self._checkpointer = self._checkpointer, None
        if checkpointer is not None:
            checkpointer.stop()

    # -- students and tokens ---------------------------------------------------------------------
    def set_student(self, student: str, name: str, token_hash: str | None) -> None:
        """Add a student or update their name (and token hash when given)."""
        with self.engine.begin() as conn:
            row = conn.execute(select(students.c.student).where(
                students.c.student == student)).first()
            values: dict[str, Any] = {"name": name}
            if token_hash is not None:
                values["token_hash"] = token_hash
            if row is None:
                conn.execute(insert(students).values(student=student, created=time.time(),
                                                     **values))
            else:
                conn.execute(update(students).where(students.c.student == student).values(**values))

    def student_hashes(self) -> dict[str, str | None]:
        """Every student's token hash (None: no token yet)."""
        with self.engine.connect() as conn:
            return {r.student: r.token_hash for r in conn.execute(select(students))}

    def student_by_hash(self, token_hash: str) -> tuple[str, str] | None:
        """(student, stored hash) of the token with this hash, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(students.c.student, students.c.token_hash).where(
                students.c.token_hash == token_hash)).first()
        return (row.student, row.token_hash) if row is not None else None

    def get_setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(settings.c.value).where(settings.c.key == key)).first()
        return row.value if row is not None else None

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting (replacing it)."""
        with self.engine.begin() as conn:
            if conn.execute(select(settings.c.key).where(settings.c.key == key)).first():
                conn.execute(update(settings).where(settings.c.key == key).values(value=value))
            else:
                conn.execute(insert(settings).values(key=key, value=value))

    # -- submissions -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def connection(self, conn: Connection | None = None) -> Iterator[Connection]:
        """``conn`` itself, or a new connection for the block (several reads, one checkout)."""
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as new:
            yield new

    def find(self, uid: str, conn: Connection | None = None) -> Submission | None:
        """The submission recorded under ``uid``, or None."""
        with self.connection(conn) as c:
            row = c.execute(select(submissions).where(submissions.c.uid == uid)).first()
        return Submission.from_row(row) if row is not None else None

    def tries_used(self, student: str, assignment: str, problem: str, part: str,
                   conn: Connection | None = None) -> int:
        """Counted submissions of one part."""
        with self.connection(conn) as c:
            return int(c.execute(select(func.count()).select_from(submissions).where(
                submissions.c.student == student, submissions.c.assignment == assignment,
                submissions.c.problem == problem, submissions.c.part == part,
                submissions.c.counted.is_(True))).scalar_one())

    # -- hints -----------------------------------------------------------------------------------
    def hints_shown(self, student: str, assignment: str, problem: str, part: str,
                    conn: Connection | None = None) -> int:
        """How many hints of one part the student has been shown."""
        with self.connection(conn) as c:
            return int(c.execute(select(func.count()).select_from(hints).where(
                hints.c.student == student, hints.c.assignment == assignment,
                hints.c.problem == problem, hints.c.part == part)).scalar_one())

    def all_hints(self, *, student: str | None = None, assignment: str | None = None
                  ) -> dict[tuple[str, str, str, str], int]:
        """(student, assignment, problem, part) -> hints shown (parts with at least one)."""
        query = (select(hints.c.student, hints.c.assignment, hints.c.problem, hints.c.part,
                        func.count())
                 .group_by(hints.c.student, hints.c.assignment, hints.c.problem, hints.c.part))
        if student is not None:
            query = query.where(hints.c.student == student)
        if assignment is not None:
            query = query.where(hints.c.assignment == assignment)
        with self.engine.connect() as conn:
            return {(r[0], r[1], r[2], r[3]): int(r[4]) for r in conn.execute(query)}

    def show_hint(self, student: str, assignment: str, problem: str, part: str, n: int,
                  total: int) -> int | None:
        """Record that hint ``n`` (1-based, of ``total``) of a part is shown; returns how many
        are shown now, or None when ``n`` is not the next one (nor one already shown).

        Asking again for a hint already shown records nothing (it was paid for once); two
        concurrent requests for the next hint collide on the unique key and the loser finds it
        shown.
        """
        if not 1 <= n <= total:
            return None
        for _ in range(_RETRIES):
            shown = self.hints_shown(student, assignment, problem, part)
            if n <= shown:
                return shown
            if n > shown + 1:
                return None
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(hints).values(student=student, assignment=assignment,
                                                      problem=problem, part=part, n=n,
                                                      created=time.time()))
                return n
            except IntegrityError:
                logger.debug("hint %s of %s/%s/%s/%s shown concurrently", n, student,
                             assignment, problem, part)
        raise RuntimeError(f"could not record hint {n} of {problem}/{part} for {student} "
                           f"after {_RETRIES} attempts")

    # -- recording submissions -------------------------------------------------------------------
    def record(self, sub: Submission, try_limit: int, credit: Credit | None = None, *,
               max_stored: int | None = None, expect_counted: int | None = None
               ) -> tuple[Submission, dict[tuple[str, str], tuple[int, float, bool]]]:
        """Store ``sub`` with the next ``seq`` of its part (the stored one when its uid exists);
        returns it with the student's :meth:`part_totals` read in the same transaction.

        ``credit`` (the part's hint credit): the hints of the part shown so far are read in the
        same transaction, stored in ``hints``, and ``sub.score`` is multiplied by ``credit`` of
        that count.

        Raises :class:`TryLimitReached` when ``sub`` counts as a try and none is left,
        :class:`StoreFull` when the part already holds ``max_stored`` submissions of the student
        (counted or not: unreadable answers cost no try but are stored), and
        :class:`StaleStanding` when ``sub`` counts as a try and the part no longer holds
        ``expect_counted`` counted tries (the number ``sub`` was scored after).
        """
        key = (submissions.c.student == sub.student, submissions.c.assignment == sub.assignment,
               submissions.c.problem == sub.problem, submissions.c.part == sub.part)
        for _ in range(_RETRIES):
            try:
                with self.engine.begin() as conn:
                    old = conn.execute(select(submissions).where(
                        submissions.c.uid == sub.uid)).first()
                    if old is not None:
                        return Submission.from_row(old), self.part_totals(
                            sub.student, sub.assignment, conn)
                    total, counted = conn.execute(select(
                        func.count(), func.coalesce(func.sum(
                            submissions.c.counted.cast(Integer)), 0)).where(*key)).one()
                    if (sub.counted and expect_counted is not None
                            and int(counted) != expect_counted):
                        raise StaleStanding
                    if sub.counted and counted >= try_limit:
                        raise TryLimitReached
                    if max_stored is not None and total >= max_stored:
                        raise StoreFull
                    values = {name: getattr(sub, name) for name in Submission.__dataclass_fields__}
                    values["seq"] = int(total) + 1
                    if credit is not None:
                        shown = self.hints_shown(sub.student, sub.assignment, sub.problem,
                                                 sub.part, conn)
                        values["hints"] = shown
                        values["score"] = float(sub.score) * float(credit(shown))
                    conn.execute(insert(submissions).values(**values))
                    return Submission(**values), self.part_totals(sub.student, sub.assignment,
                                                                  conn)
            except IntegrityError:
                logger.debug("submission %s collided on seq; retrying", sub.uid)
                continue
        raise RuntimeError(f"could not record submission {sub.uid} after {_RETRIES} attempts")

    def part_totals(self, student: str, assignment: str, conn: Connection | None = None
                    ) -> dict[tuple[str, str], tuple[int, float, bool]]:
        """Per (problem, part) of one student: counted tries, best points earned (score x
        weight), whether any counted try was right (one grouped query)."""
        counted = submissions.c.counted.is_(True)
        query = (select(submissions.c.problem, submissions.c.part, func.count(),
                        func.max(submissions.c.score * submissions.c.weight),
                        func.max(submissions.c.correct.cast(Integer)))
                 .where(submissions.c.student == student,
                        submissions.c.assignment == assignment, counted)
                 .group_by(submissions.c.problem, submissions.c.part))
        with self.connection(conn) as c:
            return {(r[0], r[1]): (int(r[2]), float(r[3] or 0.0), bool(r[4]))
                    for r in c.execute(query)}

    def list_submissions(self, *, student: str | None = None,
                    assignment: str | None = None) -> list[Submission]:
        """Submissions in the order they were recorded (optionally one student's, one
        assignment's)."""
        query = select(submissions).order_by(submissions.c.id)
        if student is not None:
            query = query.where(submissions.c.student == student)
        if assignment is not None:
            query = query.where(submissions.c.assignment == assignment)
        with self.engine.connect() as conn:
            return [Submission.from_row(r) for r in conn.execute(query)]

    def regrade(self, changes: Iterable[tuple[Submission, float, bool, str, str]],
                when: float) -> int:
        """Replace each submission's verdict by a new one (score, correct, note, feedback) and
        keep the old one in ``regrades``, in one transaction; returns how many changed."""
        done = 0
        with self.engine.begin() as conn:
            for old, score, correct, note, feedback in changes:
                conn.execute(insert(regrades).values(
                    uid=old.uid, score=old.score, correct=old.correct, note=old.note,
                    feedback=old.feedback, regraded=when))
                conn.execute(update(submissions).where(submissions.c.uid == old.uid).values(
                    score=score, correct=correct, note=note, feedback=feedback))
                done += 1
        return done

    def earlier_verdicts(self, uid: str) -> list[dict[str, Any]]:
        """The verdicts a submission had before each regrade, oldest first."""
        query = select(regrades).where(regrades.c.uid == uid).order_by(regrades.c.id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def count(self) -> int:
        """Number of recorded submissions."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(submissions)).scalar_one())

    def add_students(self, rows: Iterable[tuple[str, str]]) -> None:
        """Add roster students (student, name) that are not in the database yet."""
        for student, name in rows:
            self.set_student(student, name, None)
