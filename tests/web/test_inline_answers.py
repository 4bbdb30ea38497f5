"""Where a class's answer is graded: on the event loop when it needs no slow step (no thread
hop), in the thread pool when it does (sympy) or is long, and the same verdict either way."""

from __future__ import annotations

import math

import pytest

from membranelab.web import answering

from .conftest import page_answer, signed_in

# alice's variant (test_classmode): K_out 4.5 mM, K_in 135 mM, 37 C
ALICE_E_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4.5 / 135) * 1000  # -90.90 mV


@pytest.fixture
def hops(monkeypatch):
    """The answers that went to the thread pool (their text)."""
    sent: list[str] = []
    original = answering.run_in_threadpool

    async def counted(func, *args, **kwargs):
        sent.append(args[2].get("answer", ""))  # _serve(state, request, fields, token)
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(answering, "run_in_threadpool", counted)
    return sent


def test_short_answers_are_graded_on_the_event_loop(klass, hops):
    app, tokens, _ = klass
    alice = signed_in(app, tokens["alice"])
    assert page_answer(alice, "formula", "R*T/F*ln(c_out/c_in)")["correct"] is False
    assert page_answer(alice, "formula", "RT/(zF) ln(c_out/c_in)")["correct"] is True
    assert page_answer(alice, "E_K", "-50 mV")["correct"] is False
    assert page_answer(alice, "E_K", f"{ALICE_E_K:.2f} mV".replace(".", ","))["correct"] is True
    assert hops == []
    assert len(app.state.web.db.list_submissions()) == 4


def test_an_answer_that_needs_sympy_is_graded_in_a_thread(klass, hops):
    """10^-3 is a constant power (the sympy parser's): refused on the loop, graded right in a
    thread, recorded once."""
    app, tokens, _ = klass
    alice = signed_in(app, tokens["alice"])
    answer = "10^-3*R*T/(z*F)*ln(c_out/c_in)*1000"
    verdict = page_answer(alice, "formula", answer)
    assert verdict["correct"] is True and verdict["tries"] == 1
    assert hops == [answer]
    assert [s.answer for s in app.state.web.db.list_submissions()] == [answer]


def test_a_long_answer_is_graded_in_a_thread(klass, hops):
    app, tokens, _ = klass
    alice = signed_in(app, tokens["alice"])
    answer = "R*T/(z*F)*ln(c_out/c_in)" + " " * answering.INLINE_MAX
    assert page_answer(alice, "formula", answer)["correct"] is True
    assert hops == [answer]


def test_a_slow_step_after_recording_records_nothing_twice(klass, hops, monkeypatch):
    """Were a slow step taken after the answer was recorded (none is today), the thread's
    second trip finds the submission by its id, even one the page did not send, and records
    nothing more."""
    from membranelab.service import SlowPath

    app, tokens, _ = klass
    alice = signed_in(app, tokens["alice"])
    original = answering._standing
    calls = []

    def standing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise SlowPath("a test's slow step")
        return original(*args, **kwargs)

    monkeypatch.setattr(answering, "_standing", standing)
    verdict = page_answer(alice, "E_K", "-50 mV")  # the page's form sends no id here
    assert verdict["correct"] is False and verdict["tries"] == 1
    assert hops == ["-50 mV"]
    assert [s.answer for s in app.state.web.db.list_submissions()] == ["-50 mV"]


def test_a_busy_database_sends_the_answer_to_a_thread(tmp_path, hops, monkeypatch):
    """Another connection holds SQLite's write lock (another worker, a regrade): the answer on
    the event loop waits only LOOP_BUSY_MS, then goes to a thread, which waits for the lock
    and records it once; meanwhile other students' pages are served."""
    import sqlite3
    import threading
    import time

    from membranelab.web import db as db_module

    from .conftest import make_class

    # the thread waits for the lock as long as the test may take (a hang detector, not a
    # timing: the lock is released as soon as the answer has reached the thread)
    monkeypatch.setattr(db_module, "BUSY_MS", 120_000)
    app, tokens, _ = make_class(tmp_path, tries=3)
    alice = signed_in(app, tokens["alice"])
    bob = signed_in(app, tokens["bob"])
    alice.get("/p/nernst-potassium")  # the page read before the lock is taken
    holder = sqlite3.connect(tmp_path / "class.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, held until COMMIT
    replies: list = []
    sender = threading.Thread(target=lambda: replies.append(page_answer(alice, "E_K", "-50 mV")))
    try:
        sender.start()
        give_up = time.monotonic() + 120  # a hang detector, never reached when it works
        while not hops and sender.is_alive() and time.monotonic() < give_up:
            time.sleep(0.01)
        assert hops == ["-50 mV"], "the answer did not go to a thread"
        # meanwhile another student's page is served (reading needs no lock in WAL mode)
        assert bob.get("/p/nernst-potassium").status_code == 200
    finally:
        holder.execute("COMMIT")
        holder.close()
        sender.join(120)
    assert replies and replies[0]["correct"] is False and replies[0]["tries"] == 1
    assert [s.answer for s in app.state.web.db.list_submissions()] == ["-50 mV"]
    app.state.web.db.close()
