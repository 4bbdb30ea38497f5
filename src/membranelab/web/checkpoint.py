"""A class database's WAL checkpoints in a thread of their own, off the event loop.

SQLite in WAL mode appends each commit to the ``-wal`` file and copies it into the database
file at a *checkpoint*.  By default the commit that takes the WAL past
:data:`AUTOCHECKPOINT_PAGES` pages runs that checkpoint itself: a class server's answers are
recorded on its event loop (:mod:`.answering`), so one commit in a few hundred took 5 to 40 ms
(writing and syncing the database file) while every other request of that worker waited.

So while a :class:`Checkpointer` runs for a database, its connections checked out on the event
loop (inside the grading service's ``fast_only``) run with ``wal_autocheckpoint=0`` (set at
checkout, :mod:`.db`), and a connection of theirs that changed something, once returned to the
pool, marks the database as written (:meth:`Checkpointer.mark`, one ``Event.is_set`` on the
loop when it is marked already).  The checkpointer's thread sleeps until then, runs
``PRAGMA wal_checkpoint(PASSIVE)`` on its own connection (it copies what it can without
waiting for readers or writers, and never blocks them; the ``sqlite3`` module lets go of the
GIL while SQLite works), then waits :data:`INTERVAL_S` before it looks again, so a busy class's
commits are checkpointed in batches.  Nothing wakes it while nothing is written.  A checkpoint
that fails is logged and tried again after the next write; one that could not copy every frame
(a reader still on them) leaves them to the next.

SQLite starts the WAL over (writes it from its beginning again) when a writer begins at a
moment every frame is checkpointed.  Under a steady stream of answers a commit falls inside
most checkpoints, and the ``-wal`` file would grow by every answer.  So while the database is
written after a passive checkpoint, the thread runs another at the next commit (it copies only
what came since the one before, a few frames), up to :data:`MAX_PASSES`, until it finds the WAL
started over (a commit began after a pass that no commit overlapped) or no commit comes within
:data:`QUIET_S` (the next one starts it over).  Only where that never happens (answers back to
back) and the WAL holds more than :data:`WAL_LIMIT_FRAMES` frames does the thread run a
``PRAGMA wal_checkpoint(RESTART)``, which never waits (``busy_timeout=0``: with a writer or a
reader in the way it gives up, as a passive one) but holds the write lock while it copies the
frames written since the last pass and syncs the file (a few milliseconds, during which an
answer wanting the lock waits, at most :data:`.db.LOOP_BUSY_MS`; run after every interval,
it made one answer a second wait 3 to 16 ms).  The ``-wal`` file then holds about one
interval's commits (400 answers a second: under 9 MB); when a burst made it larger, SQLite cuts
it back to :data:`WAL_SIZE_LIMIT` as it starts the WAL over.

Measured (6,000 commits of one answer each on the loop path, 400 a second, on this project's
2-core machine): with SQLite's automatic checkpoint 29 took over 5 ms, the longest 24 ms; with
the checkpointer 1 to 3, the longest 7 to 9 ms, as with no checkpoint at all (1, 6 to 7 ms).

Threads and every other user of the database (the command line, exports, regrades) keep
SQLite's automatic checkpoint, as do the event loop's connections while no checkpointer runs,
so the WAL never grows without bound.  A server starts its checkpointer when its lifespan
begins (each worker process of ``serve --workers N`` its own) and stops it when the lifespan
ends or the database is closed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from membranelab.incident import record_incident

__all__ = ["AUTOCHECKPOINT_PAGES", "INTERVAL_S", "WAL_SIZE_LIMIT", "Checkpointer", "catch_up",
           "checkpoint"]

logger = logging.getLogger(__name__)

#: SQLite's automatic checkpoint (``wal_autocheckpoint``, its default): a commit that takes the
#: WAL past this many pages checkpoints it.  Every connection has it, but the event loop's while
#: a :class:`Checkpointer` runs (0: none).
AUTOCHECKPOINT_PAGES = 1000
#: Seconds the checkpointer waits after a checkpoint before the next (the commits meanwhile
#: are checkpointed together).
INTERVAL_S = 1.0
#: Passive checkpoints in a row at most while the database is written during each.
MAX_PASSES = 16
#: Seconds without a commit after which the checkpointer leaves the WAL's restart to the next
#: commit.
QUIET_S = 0.05
#: Frames in the WAL (4 KB pages: 16 MB) past which the checkpointer, its passes all raced by
#: commits, starts the WAL over itself (a checkpoint that holds the write lock a moment).
WAL_LIMIT_FRAMES = 4 * AUTOCHECKPOINT_PAGES
#: Bytes the ``-wal`` file is cut back to when SQLite starts the WAL over
#: (``journal_size_limit``, every connection): a burst's WAL does not keep its disk space.
WAL_SIZE_LIMIT = 16 * 1024 * 1024
#: Seconds :meth:`Checkpointer.stop` waits for the thread (a checkpoint under way finishes).
STOP_WAIT_S = 30.0

#: The checkpoints :func:`checkpoint` runs (SQLite's modes: ``PASSIVE`` waits for nothing,
#: ``RESTART`` also starts the WAL over, taking the write lock).
_MODES = ("PASSIVE", "RESTART")


def checkpoint(connection: Any, mode: str = "PASSIVE") -> tuple[int, int, int]:
    """``PRAGMA wal_checkpoint(mode)`` on a driver connection: (1 when it could not finish,
    another checkpoint, a writer or a reader in the way, else 0; frames in the WAL when it
    began; frames checkpointed)."""
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, not {mode!r}")
    row = connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _connected(connect: Callable[[], Any]) -> Any:
    """A new connection from ``connect`` that never waits for a lock (a checkpoint in the
    way of a writer gives up instead)."""
    connection = connect()
    connection.execute("PRAGMA busy_timeout=0")
    return connection


def catch_up(connection: Any, written: threading.Event) -> int:
    """Passive checkpoints: another after each write (``written``, cleared before each pass)
    until one finds the WAL started over, no write comes within :data:`QUIET_S`, or
    :data:`MAX_PASSES` ran; then, were the WAL not started over and past
    :data:`WAL_LIMIT_FRAMES` frames, a restart.  Returns the passes run (the restart not
    counted)."""
    busy, frames, done = checkpoint(connection)
    passes, over = 1, False
    while passes < MAX_PASSES:
        if not written.wait(QUIET_S):
            over = True  # quiet: the next commit starts the WAL over
            break
        written.clear()
        last = frames
        busy, frames, done = checkpoint(connection)
        passes += 1
        if frames < last:  # a commit began with every frame checkpointed: started over
            over = True
            break
    if not over and frames > WAL_LIMIT_FRAMES:
        busy, frames, done = checkpoint(connection, "RESTART")
    logger.debug("checkpoint: %s passes, %s of %s frames (busy: %s)", passes, done, frames, busy)
    return passes


class Checkpointer:
    """A daemon thread checkpointing one SQLite database after writes are marked
    (:meth:`mark`), at most once per ``interval`` seconds (None: :data:`INTERVAL_S`), on a
    connection from ``connect`` (a callable returning a new ``sqlite3`` connection, called in
    the thread)."""

    def __init__(self, connect: Callable[[], Any], *, interval: float | None = None,
                 name: str = "membranelab-checkpoint") -> None:
        self._connect = connect
        self.interval = INTERVAL_S if interval is None else interval
        #: Set by a write on the event loop, cleared by the thread before it checkpoints.
        self.written = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def mark(self) -> None:
        """The database was written: checkpoint soon (next to nothing when marked already)."""
        written = self.written
        if not written.is_set():
            written.set()

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        """Stop the thread and wait for it (a checkpoint under way finishes first)."""
        self._stopping.set()
        self.written.set()  # wakes it
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        """True while the thread runs."""
        return self._thread.is_alive()

    def _run(self) -> None:
        connection = None
        try:
            while True:
                self.written.wait()
                if self._stopping.is_set():
                    return
                self.written.clear()  # a write from now on marks it again
                try:
                    if connection is None:
                        connection = _connected(self._connect)
                    catch_up(connection, self.written)
                except sqlite3.Error:  # the database's (locked, I/O): tried after the next write
                    logger.warning("the class database's checkpoint failed; it is tried again "
                                   "after the next write", exc_info=True)
                    _closed(connection)
                    connection = None
                except Exception:  # a bug: an incident, and the server keeps its checkpoints
                    record_incident(logger, "checkpointing the class database")
                    _closed(connection)
                    connection = None
                if self._stopping.wait(self.interval):
                    return
        finally:
            _closed(connection)


def _closed(connection: Any) -> None:
    """Close ``connection`` (None: nothing); a failure to is logged."""
    if connection is not None:
        try:
            connection.close()
        except sqlite3.Error:
            logger.warning("could not close the checkpoint's connection", exc_info=True)
