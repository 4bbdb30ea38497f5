"""The answer path's database work on one connection (web/answerstore.py): the reading and the
recording share a checkout, the recording is committed at once, and a collision leaves no lock
behind for the transaction that records the answer instead."""

from __future__ import annotations

import time

import pytest

from membranelab.web import db as dbmod
from membranelab.web.answerstore import raw_statements, read_answering, record_answer
from membranelab.web.db import ClassDB, Submission, TryLimitReached
from membranelab.web.roster import TEACHER_HASH_KEY
from membranelab.web.security import hash_token

ASSIGNMENT = "a1"


def _sub(uid: str, *, counted: bool = True) -> Submission:
    return Submission(uid=uid, student="alice", assignment=ASSIGNMENT, problem="p", part="E",
                      seq=0, answer="-90 mV", score=0.0, weight=2.0, correct=False,
                      note="value", feedback="Not yet.", level="named", counted=counted,
                      created=time.time())


@pytest.fixture
def classdb(class_db_url, monkeypatch):
    # a lock left held shows as a failure within a second, not after the usual 10 s wait
    monkeypatch.setattr(dbmod, "BUSY_MS", 500)
    db = ClassDB(class_db_url)
    db.set_student("alice", "Alice", hash_token("tok-alice"))
    yield db
    db.close()


def _read(conn):
    teacher, found, known = read_answering(conn, hash_token("tok-alice"), TEACHER_HASH_KEY,
                                           ASSIGNMENT)
    assert found is not None and found[0] == "alice"
    return known


def _uids(db: ClassDB) -> list[str]:
    return sorted(s.uid for s in db.list_submissions())


def test_reading_and_recording_share_one_checkout(classdb):
    checkouts = []
    from sqlalchemy import event

    def count(*_args):
        checkouts.append(1)

    event.listen(classdb.engine, "checkout", count)
    try:
        with raw_statements(classdb) as conn:
            known = _read(conn)
            stored, totals = record_answer(classdb, _sub("u1"), known, 3, lambda n: 1.0,
                                           conn=conn)
    finally:
        event.remove(classdb.engine, "checkout", count)
    assert len(checkouts) == 1
    assert stored.seq == 1 and totals[("p", "E")] == (1, 0.0, False)
    assert _uids(classdb) == ["u1"]


def test_the_recording_is_committed_before_the_block_ends(classdb):
    """What follows the recording (the standing, the response) cannot undo it."""
    with pytest.raises(RuntimeError), raw_statements(classdb) as conn:
        record_answer(classdb, _sub("u1"), _read(conn), 3, lambda n: 1.0, conn=conn)
        raise RuntimeError("the page failed after recording")
    assert _uids(classdb) == ["u1"]


def test_a_collision_leaves_no_write_lock_for_the_recording_instead(classdb):
    """Another request recorded a submission of the part after this one read: the INSERT
    collides on the seq, and ClassDB.record (its own connection, one transaction) records the
    answer instead; the failed INSERT's transaction must not hold SQLite's write lock."""
    with raw_statements(classdb) as conn:
        known = _read(conn)  # nothing recorded yet
        classdb.record(_sub("other", counted=False), 3)  # meanwhile: seq 1, costs no try
        stored, totals = record_answer(classdb, _sub("mine"), known, 3, lambda n: 1.0,
                                       conn=conn)
        assert stored.uid == "mine" and stored.seq == 2
        assert totals[("p", "E")][0] == 1
        # the connection is still usable after the collision
        assert [r.uid for r in _read(conn).rows] == ["other", "mine"]
    assert _uids(classdb) == ["mine", "other"]


def test_the_try_limit_is_read_from_the_shared_reading(classdb):
    classdb.record(_sub("u1"), 1)
    with raw_statements(classdb) as conn, pytest.raises(TryLimitReached):
        record_answer(classdb, _sub("u2"), _read(conn), 1, lambda n: 1.0, conn=conn)
    assert _uids(classdb) == ["u1"]
