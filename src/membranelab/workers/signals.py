"""Safe interruption: SIGINT (Ctrl-C) and SIGTERM become a request to stop, acted on at safe points.

Python's default turns Ctrl-C into ``KeyboardInterrupt`` raised at whatever bytecode the main
thread is running.  When that is inside library code holding a lock another thread needs
(``concurrent.futures``' ``Future.cancel`` under its condition, rich's refresh lock), the clean-up
that follows waits for that thread forever: the ``grade -j 2`` hang of issue 20.  Code that runs
worker processes or other threads therefore runs inside :func:`deferred`: a signal there only
records itself, the loop that waits on the workers sees it (:func:`raise_if_pending`) and raises
:class:`Interrupted` from a known place, and leaving the block raises it too if no one did.
Outside such a block the signal is raised where it lands, which is safe in single-threaded code.

:func:`stop_signals` makes SIGTERM behave as Ctrl-C for a command's duration (both raise
:class:`Interrupted`, a ``KeyboardInterrupt`` carrying the signal number), so that a ``kill``
saves what is done exactly as Ctrl-C does.  Only the main thread receives signals; in any other
thread these helpers do nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["STOP_SIGNALS", "Interrupted", "deferred", "pending", "raise_if_pending",
           "stop_signals", "work_saved"]

#: The signals that ask a command to stop and save what it has done.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived: ``signum`` is SIGINT or SIGTERM (the exit code is 128 + it)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum


class _State:
    """Process-wide: how deep in :func:`deferred` the main thread is, and what arrived."""

    depth = 0
    pending: int | None = None
    commands = 0          # stop_signals blocks open (a command's run)
    saved = False         # the command's work is whole and saved: a stop signal is moot


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """The handler of both stop signals: dropped once the work is saved, recorded while
    deferred, else raised at once."""
    if _State.saved:
        return
    if _State.depth > 0:
        if _State.pending is None:
            _State.pending = signum
        return
    raise Interrupted(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _install() -> dict[int, Any]:
    """Our handler on both stop signals; the previous handlers, to restore."""
    old: dict[int, Any] = {}
    for signum in STOP_SIGNALS:
        old[signum] = signal.getsignal(signum)
        if old[signum] is not signal.SIG_IGN:  # a signal the parent told us to ignore stays so
            signal.signal(signum, _on_signal)
    return old


def _restore(old: dict[int, Any]) -> None:
    for signum, handler in old.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@contextmanager
def stop_signals(*, then_ignore: bool = False) -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the main thread within this block
    (deferred inside :func:`deferred` blocks); the previous handlers come back after it.

    ``then_ignore``: after the block both signals are ignored instead (in the same call, so no
    instant is left uncovered): for a command's own process, whose work is done or saved when
    the block ends.  A signal landing while the interpreter shuts down (its atexit handlers,
    the multiprocessing finalizers) would otherwise meet Python's default action once the
    interpreter has removed its handlers, and the process would die by the signal, with no
    word said, after it had finished."""
    if not _main_thread():
        yield
        return
    old = _install()
    _State.commands += 1
    try:
        yield
    finally:
        _State.commands -= 1
        if _State.commands == 0:
            _State.saved = False
        if then_ignore:
            _restore({signum: signal.SIG_IGN for signum in old})
        else:
            _restore(old)


def work_saved() -> None:
    """Inside a command's :func:`stop_signals` block: its work is whole and saved (say, the
    grades file written and its journal gone), so a stop signal from now on has nothing left to
    stop and is dropped; the command prints what remains (warnings, its summary) and ends
    normally.  Outside such a block it does nothing."""
    if _main_thread() and _State.commands > 0:
        _State.saved = True
        _State.pending = None


def pending() -> int | None:
    """The stop signal that arrived during the current :func:`deferred` block, if any."""
    return _State.pending


def raise_if_pending() -> None:
    """Raise :class:`Interrupted` now if a stop signal arrived (call it where stopping is safe:
    no lock held, no half-written file)."""
    signum = _State.pending
    if signum is not None and _main_thread() and not _State.saved:
        _State.pending = None
        raise Interrupted(signum)


@contextmanager
def deferred() -> Iterator[None]:
    """Within this block a stop signal is recorded instead of raised (code inside polls
    :func:`raise_if_pending` at safe points); leaving the block raises it if still pending.
    Nestable.  Installs the handler for its duration when :func:`stop_signals` did not."""
    if not _main_thread():
        yield
        return
    old = _install() if _State.depth == 0 else {}
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if _State.depth == 0:
            _restore(old)
            signum, _State.pending = _State.pending, None
            if signum is not None and not _State.saved:
                raise Interrupted(signum)
