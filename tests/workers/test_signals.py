"""``membranelab.workers.signals``: stop signals inside and after a command's block."""

from __future__ import annotations

import os
import signal

import pytest

from membranelab.workers import Interrupted, deferred, stop_signals


@pytest.fixture
def handlers():
    """A command's usual start: SIGINT raising KeyboardInterrupt and SIGTERM by default,
    whatever the test process inherited (run in the background by a shell without job control,
    it starts with SIGINT ignored, which stop_signals rightly leaves ignored); the test
    process' own handlers put back after the test."""
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    yield {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    for signum, handler in old.items():
        signal.signal(signum, handler)


def test_restored_after_the_block(handlers):
    with stop_signals():
        assert signal.getsignal(signal.SIGTERM) is not handlers[signal.SIGTERM]
    assert signal.getsignal(signal.SIGINT) is handlers[signal.SIGINT]
    assert signal.getsignal(signal.SIGTERM) is handlers[signal.SIGTERM]


def test_sigterm_inside_the_block_is_interrupted(handlers):
    with pytest.raises(Interrupted) as stopped, stop_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10_000):  # the handler runs between bytecodes of the main thread
            pass
    assert stopped.value.signum == signal.SIGTERM


def test_deferred_signal_is_raised_when_the_block_ends(handlers):
    reached = []
    with pytest.raises(Interrupted), stop_signals(), deferred():
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10_000):
            pass
        reached.append("after the signal")  # recorded, not raised, inside deferred()
    assert reached == ["after the signal"]


@pytest.mark.parametrize("ended", ["returned", "interrupted"])
def test_then_ignore_leaves_both_signals_ignored(handlers, ended):
    """A command's own process: once its block ends (done, or interrupted and saved), a late
    signal cannot kill it during the interpreter's shutdown (the -2 exit CI saw)."""
    try:
        with stop_signals(then_ignore=True):
            if ended == "interrupted":
                raise Interrupted(signal.SIGINT)
    except Interrupted:
        pass
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    os.kill(os.getpid(), signal.SIGTERM)  # ignored: the test process lives on
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(10_000):
        pass


def test_once_the_work_is_saved_a_signal_stops_nothing(handlers):
    """After ``work_saved`` a stop signal is dropped (the command prints its summary and ends
    normally); the next command starts unsaved again."""
    from membranelab.workers import work_saved

    with stop_signals():
        with deferred():
            work_saved()
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(10_000):
                pass
        os.kill(os.getpid(), signal.SIGINT)  # outside deferred too
        for _ in range(10_000):
            pass
    with pytest.raises(Interrupted), stop_signals():  # a new command: signals stop it again
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10_000):
            pass


def test_work_saved_outside_a_command_changes_nothing(handlers):
    from membranelab.workers import work_saved

    work_saved()
    with pytest.raises(Interrupted), deferred():
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10_000):
            pass


def test_a_signal_ignored_at_start_stays_ignored(handlers):
    """A command started with SIGINT ignored (by a shell, in the background) keeps it ignored
    inside the block, as nohup-style starts expect; SIGTERM is still caught."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with stop_signals():
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
