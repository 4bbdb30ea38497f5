"""SQLite's WAL checkpoints off the event loop: connections checked out inside ``fast_only``
run without the automatic checkpoint while the database's checkpointer runs, and its thread
copies what the loop wrote into the database file.

"Checkpointed" is read from the database file alone: a copy of the file without its ``-wal``
holds only what was checkpointed into it.  No timings: waits are hang detectors."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from membranelab.service import fast_only
from membranelab.web import checkpoint as checkpoint_module
from membranelab.web.answerstore import StudentRows, record_answer
from membranelab.web.db import ClassDB, Submission

from .conftest import BASE, page_answer, signed_in

#: Seconds a test waits for the checkpointer before it fails (a hang detector).
WAIT_S = 30.0
#: SQLite's default ``wal_autocheckpoint`` (https://www.sqlite.org/pragma.html#pragma_wal_autocheckpoint).
SQLITE_DEFAULT_PAGES = 1000
#: Commits on the loop path: each writes a few pages (the row, three indexes), so 600 take the
#: WAL well past SQLite's default automatic checkpoint.
MANY = 600


def _until(condition, what: str) -> None:
    give_up = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < give_up, f"gave up waiting: {what}"
        time.sleep(0.01)


@pytest.fixture
def db(tmp_path):
    """A class database file whose schema is in the file itself (its WAL checkpointed)."""
    opened = ClassDB(f"sqlite:///{tmp_path / 'class.db'}")
    outside = sqlite3.connect(tmp_path / "class.db")
    outside.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    outside.close()
    yield opened
    opened.close()


def _in_file(tmp_path: Path) -> int:
    """Submissions the database file holds by itself (a copy without its WAL read; -1 for a
    copy taken while a checkpoint was writing the file, unreadable)."""
    copy = tmp_path / "copy" / "class.db"
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir()
    shutil.copyfile(tmp_path / "class.db", copy)
    reader = sqlite3.connect(copy)
    try:
        return int(reader.execute("SELECT count(*) FROM submissions").fetchone()[0])
    except sqlite3.DatabaseError:
        return -1
    finally:
        reader.close()


def _record_on_loop(db: ClassDB, n: int, start: int = 0) -> None:
    """Record ``n`` answers one by one as the server does on its event loop."""
    known = StudentRows("alice", "ps1", ())
    for i in range(start, start + n):
        sub = Submission(uid=uuid.uuid4().hex, student="alice", assignment="ps1",
                         problem="nernst-potassium", part=f"part{i}", seq=1, answer="-90.9 mV",
                         score=1.0, weight=1.0, correct=True, note="right", feedback="Correct.",
                         level="named", counted=True, created=time.time())
        with fast_only():
            record_answer(db, sub, known, 3, lambda shown: 1.0)


def _autocheckpoint(db: ClassDB) -> tuple[object, int]:
    """(the driver connection checked out, its ``wal_autocheckpoint``)."""
    pooled = db.engine.raw_connection()
    try:
        driver = pooled.driver_connection
        return driver, int(driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    finally:
        pooled.close()


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("membranelab-checkpoint")]


def _catch_up_with_commits_landing(tmp_path: Path, monkeypatch, landings: int
                                   ) -> tuple[int, int, bool]:
    """:func:`~membranelab.web.checkpoint.catch_up` on a WAL of 200 commits, a commit landing
    during each of its first ``landings`` passive checkpoints (which cannot copy it), then 20
    commits: (commits landed, rows, whether those 20 made the -wal file grow)."""
    path = tmp_path / "w.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("PRAGMA synchronous=NORMAL")
    writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)")
    for _ in range(200):
        writer.execute("INSERT INTO t (x) VALUES (?)", ("x" * 200,))
    reader = sqlite3.connect(path, isolation_level=None)
    written = threading.Event()
    original = checkpoint_module.checkpoint
    landed = []

    def with_a_commit_landing(connection, mode="PASSIVE"):
        if mode != "PASSIVE" or len(landed) == landings:
            return original(connection, mode)
        # the checkpoint's view ends before the commit: a reader on the older snapshot holds
        # it back from the commit's frames, as a checkpoint under way would be
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM t").fetchone()
        writer.execute("INSERT INTO t (x) VALUES (?)", ("landed",))
        try:
            return original(connection, mode)
        finally:
            reader.execute("COMMIT")
            landed.append(1)
            written.set()  # as the loop's connection marks it when returned

    monkeypatch.setattr(checkpoint_module, "checkpoint", with_a_commit_landing)
    checkpointing = sqlite3.connect(path, isolation_level=None)
    checkpointing.execute("PRAGMA busy_timeout=0")
    try:
        checkpoint_module.catch_up(checkpointing, written)
        size = (tmp_path / "w.db-wal").stat().st_size
        for _ in range(20):
            writer.execute("INSERT INTO t (x) VALUES (?)", ("after",))
        grew = (tmp_path / "w.db-wal").stat().st_size > size
        rows = int(writer.execute("SELECT count(*) FROM t").fetchone()[0])
    finally:
        for connection in (checkpointing, reader, writer):
            connection.close()
    return len(landed), rows, grew


class TestAutocheckpoint:
    def test_off_on_the_loop_and_on_elsewhere_on_one_connection(self, db):
        """With the checkpointer running, the same pooled connection has no automatic
        checkpoint inside fast_only and SQLite's default outside, back and forth."""
        assert db.start_checkpointer(interval=0.01)
        seen = []
        for loop in (True, False, True, False):
            if loop:
                with fast_only():
                    seen.append(_autocheckpoint(db))
            else:
                seen.append(_autocheckpoint(db))
        assert [pages for _, pages in seen] == [0, SQLITE_DEFAULT_PAGES, 0, SQLITE_DEFAULT_PAGES]
        assert len({id(driver) for driver, _ in seen}) == 1  # one connection (LIFO pool)

    def test_kept_on_the_loop_while_no_checkpointer_runs(self, db):
        """Without a checkpointer (never started, or stopped), the loop's connections keep
        SQLite's automatic checkpoint: nothing else would copy the WAL."""
        with fast_only():
            assert _autocheckpoint(db)[1] == SQLITE_DEFAULT_PAGES
        assert db.start_checkpointer(interval=0.01)
        with fast_only():
            assert _autocheckpoint(db)[1] == 0
        db.stop_checkpointer()
        with fast_only():
            assert _autocheckpoint(db)[1] == SQLITE_DEFAULT_PAGES

    def test_none_for_an_in_memory_database(self):
        """An in-memory database has no WAL: no checkpointer, the loop's connection as it was."""
        before = set(_checkpoint_threads())
        memory = ClassDB("sqlite://")
        try:
            assert memory.start_checkpointer() is False
            assert set(_checkpoint_threads()) <= before
            with fast_only():
                assert _autocheckpoint(memory)[1] == SQLITE_DEFAULT_PAGES
        finally:
            memory.close()


class TestCheckpointer:
    def test_the_loop_path_does_not_checkpoint_by_itself(self, db, tmp_path, monkeypatch):
        """Were the checkpointer's thread to do nothing, the loop's commits would stay in the
        WAL: none is copied into the database file (today's automatic checkpoint would copy
        them within a few hundred commits)."""
        monkeypatch.setattr(checkpoint_module, "catch_up", lambda connection, written: 0)
        assert db.start_checkpointer(interval=0.01)
        _record_on_loop(db, MANY)
        assert db.count() == MANY
        assert _in_file(tmp_path) == 0

    def test_what_the_loop_wrote_reaches_the_database_file(self, db, tmp_path):
        assert db.start_checkpointer(interval=0.01)
        _record_on_loop(db, MANY)
        _until(lambda: _in_file(tmp_path) == MANY, "every answer in the database file")

    def test_the_wal_starts_over_though_commits_land_during_checkpoints(self, tmp_path,
                                                                      monkeypatch):
        """A commit lands during each of the first two passive checkpoints, which cannot copy
        it (as answers do under load): the WAL is still started over, so the next commits are
        written from its beginning and the -wal file does not grow.  (After one passive
        checkpoint alone, such a commit is still in the WAL, and every later commit goes after
        it.)"""
        landed, rows, grew = _catch_up_with_commits_landing(tmp_path, monkeypatch, 2)
        assert landed == 2
        assert rows == 200 + landed + 20
        assert not grew

    def test_the_wal_starts_over_though_every_pass_is_raced(self, tmp_path, monkeypatch):
        """A commit lands during every passive checkpoint (answers back to back) and the WAL
        is past its limit: a restart checkpoint starts it over."""
        monkeypatch.setattr(checkpoint_module, "WAL_LIMIT_FRAMES", 10)
        landed, rows, grew = _catch_up_with_commits_landing(tmp_path, monkeypatch, 10_000)
        assert landed == checkpoint_module.MAX_PASSES
        assert rows == 200 + landed + 20
        assert not grew

    def test_gone_after_close(self, tmp_path):
        before = set(_checkpoint_threads())
        db = ClassDB(f"sqlite:///{tmp_path / 'class.db'}")
        assert db.start_checkpointer(interval=0.01)
        started = [t for t in _checkpoint_threads() if t not in before]
        assert len(started) == 1
        db.close()
        _until(lambda: not started[0].is_alive(), "the thread to end")
        assert started[0] not in threading.enumerate()

    @pytest.mark.parametrize(("error", "level"), [
        (sqlite3.OperationalError("disk I/O error"), logging.WARNING),
        (RuntimeError("a bug"), logging.ERROR),  # an incident
    ], ids=["database-error", "bug"])
    def test_a_failed_checkpoint_is_logged_and_tried_again(self, db, tmp_path, monkeypatch,
                                                           caplog, error, level):
        caplog.set_level(logging.WARNING, logger="membranelab.web.checkpoint")
        original = checkpoint_module.checkpoint
        failed = []

        def once(connection, mode="PASSIVE"):
            if not failed:
                failed.append(mode)
                raise error
            return original(connection, mode)

        monkeypatch.setattr(checkpoint_module, "checkpoint", once)
        assert db.start_checkpointer(interval=0.01)
        _record_on_loop(db, 1)
        _until(lambda: any(r.levelno == level and r.exc_info for r in caplog.records),
               "the failure logged")
        assert _in_file(tmp_path) == 0  # the failed one copied nothing
        _record_on_loop(db, 1, start=1)  # the next write: tried again
        _until(lambda: _in_file(tmp_path) == 2, "both answers in the database file")
        assert db._checkpointer is not None and db._checkpointer.alive


def test_a_class_servers_lifespan_runs_it(tmp_path, monkeypatch):
    """A class app's lifespan starts its database's checkpointer and stops it at the end; the
    answers recorded on the event loop meanwhile reach the database file."""
    from .conftest import make_class

    monkeypatch.setattr(checkpoint_module, "INTERVAL_S", 0.01)
    app, tokens, _ = make_class(tmp_path)
    before = set(_checkpoint_threads())
    try:
        with TestClient(app, base_url=BASE):
            started = [t for t in _checkpoint_threads() if t not in before]
            assert len(started) == 1
            alice = signed_in(app, tokens["alice"])
            assert page_answer(alice, "E_K", "-50 mV")["correct"] is False
            assert page_answer(alice, "formula", "RT/(zF) ln(c_out/c_in)")["correct"] is True
            _until(lambda: _in_file(tmp_path) == 2, "both answers in the database file")
        _until(lambda: not started[0].is_alive(), "the thread to end with the lifespan")
    finally:
        app.state.web.db.close()


def test_a_bursts_wal_is_cut_back_when_it_starts_over(tmp_path, monkeypatch):
    """After a burst the -wal file is cut back to the size limit as SQLite starts it over (it
    kept a burst's size on disk before)."""
    limit = 64 * 1024
    monkeypatch.setattr(checkpoint_module, "WAL_SIZE_LIMIT", limit)
    db = ClassDB(f"sqlite:///{tmp_path / 'class.db'}")
    wal = tmp_path / "class.db-wal"
    outside = sqlite3.connect(tmp_path / "class.db", isolation_level=None)
    try:
        outside.execute("BEGIN")  # a reader on the snapshot before the burst: the WAL
        outside.execute("SELECT count(*) FROM submissions").fetchone()  # cannot start over
        _record_on_loop(db, MANY)
        assert wal.stat().st_size > 4 * limit  # the burst took the WAL well past the limit
        outside.execute("COMMIT")
        busy, frames, done = outside.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, done) == (0, frames)  # every frame in the database file
        _record_on_loop(db, 1, start=MANY)  # a commit after a full checkpoint starts it over
        assert wal.stat().st_size <= limit
    finally:
        outside.close()
        db.close()
