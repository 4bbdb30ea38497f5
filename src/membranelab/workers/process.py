"""One worker process seen from its parent: start, ready handshake, request, reply, kill.

Started with ``forkserver`` where the platform has it (a fork of a small single-threaded server
process: fast, and never a fork of a threaded parent such as a web server), else ``spawn``.
A process started here (a worker, the fork server and its resource tracker) ignores SIGINT from
its first instruction, so a Ctrl-C to the process group cannot print a traceback from a
half-started child, nor stop the fork server while it imports (see :func:`_sigint_blocked`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import Any

from . import child

__all__ = ["POLL_SECONDS", "WorkerGone", "WorkerProcess", "context"]

#: Longest uninterrupted wait: how often a waiting parent looks at the clock and at signals.
POLL_SECONDS = 0.1
_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


class WorkerGone(Exception):
    """The worker process ended (killed, crashed, out of memory or CPU time) or failed to start:
    ``detail`` says which; ``incident`` names the incident its initializer recorded, if any."""

    def __init__(self, detail: str, incident: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.incident = incident


def _after_fork_in_child() -> None:
    """A forked process cannot use its parent's fork server (it is not the server's client):
    from here on it spawns its workers."""
    global _CONTEXT, _CONTEXT_LOCK
    _CONTEXT, _CONTEXT_LOCK = multiprocessing.get_context("spawn"), threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


#: The fork server's environment: numerical libraries single-threaded (the workers are the
#: parallelism, and the server must be a single-threaded process to fork from).
SERVER_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                      "MKL_NUM_THREADS": "1"}


def _start_server(preload: list[str]) -> None:
    """Start the fork server now, importing ``preload`` once for every worker it will fork."""
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload(preload)
    added = [name for name in SERVER_ENVIRONMENT if name not in os.environ]
    os.environ.update({name: SERVER_ENVIRONMENT[name] for name in added})
    try:
        with _sigint_blocked():  # a Ctrl-C while the server imports must not print a traceback
            forkserver.ensure_running()
    finally:
        for name in added:
            os.environ.pop(name, None)


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """A process started within this block ignores SIGINT from its first instruction: SIGINT's
    disposition is SIG_IGN meanwhile (an ignored disposition survives fork and exec, a blocked
    mask does not survive ``spawn``), and the signal is blocked, so a Ctrl-C arriving now stays
    pending (Linux never discards a blocked signal) and reaches the restored handler after."""
    main = threading.current_thread() is threading.main_thread()
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    old_handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        yield
    finally:
        if main:
            signal.signal(signal.SIGINT, old_handler if old_handler is not None
                          else signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


def context(preload: tuple[str, ...] = ()) -> Any:
    """The multiprocessing context workers start in: forkserver where available, else spawn;
    never fork.  The first call starts the fork server, which imports ``preload`` (modules
    every worker needs: imported once, not once per worker).  In a forked process (a worker
    started by the fork server, a ``multiprocessing`` fork pool's worker): spawn."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                _CONTEXT = multiprocessing.get_context("forkserver")
                _start_server([child.__name__, *preload])
            else:
                _CONTEXT = multiprocessing.get_context("spawn")
        return _CONTEXT


@contextmanager
def _may_have_children() -> Iterator[None]:
    """Let a daemonic process (a ``multiprocessing.Pool`` worker grading a formula) start a
    worker: multiprocessing forbids it because a daemon's children would be orphaned when it is
    terminated, but ours end with their parent (:func:`.child.die_with_parent`)."""
    me = multiprocessing.current_process()
    daemonic = me.daemon
    if daemonic:
        me.daemon = False
    try:
        yield
    finally:
        if daemonic:
            me.daemon = True


class WorkerProcess:
    """A started worker process and the parent's end of its pipe."""

    def __init__(self, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = (), preload: tuple[str, ...] = ()) -> None:
        ctx = context(preload)
        self.conn, theirs = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=child.serve, args=(theirs, initializer, initargs),
                                   name="membranelab-worker")  # may start workers of its own
        try:
            with _sigint_blocked(), _may_have_children():
                self.process.start()
        finally:
            theirs.close()
        self.started = time.monotonic()
        self.ready = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def readable(self, timeout: float) -> bool:
        """True when a message (or the end of the pipe) is waiting, within ``timeout`` s."""
        return bool(wait([self.conn], max(0.0, timeout)))

    def receive(self) -> tuple[Any, ...]:
        """The next message; :class:`WorkerGone` if the process ended instead."""
        try:
            message = self.conn.recv()
        except (EOFError, OSError) as error:
            raise WorkerGone(self._ending(error)) from None
        if message[0] == "init-error":
            raise WorkerGone(f"its initializer raised {message[1]}", message[2])
        return message

    def _ending(self, error: BaseException) -> str:
        self.process.join(timeout=1.0)
        code = self.process.exitcode
        if code is None:
            return f"its pipe failed ({type(error).__name__})"
        if code < 0:
            return f"it was ended by {signal.Signals(-code).name}"
        return f"it exited with status {code}"

    def take_ready(self) -> None:
        """Read the ready message, which must be waiting (see :meth:`readable`)."""
        if self.receive() != ("ready",):
            raise WorkerGone("it did not start properly")
        self.ready = True

    def send(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        """Send one request (pickling errors reach the caller: they are the caller's bug)."""
        try:
            self.conn.send((function, args))
        except (BrokenPipeError, ConnectionResetError, EOFError) as error:
            raise WorkerGone(self._ending(error)) from None

    def kill(self) -> None:
        """End the process now (SIGKILL), reap it and close the pipe; idempotent."""
        try:
            if self.process.pid is not None and self.process.exitcode is None:
                self.process.kill()
            self.process.join(timeout=5.0)
        except (OSError, ValueError, AssertionError):
            pass  # already reaped or closed
        self.conn.close()

    def close(self) -> None:
        """Close the pipe (the worker exits at end of input), then make sure it is gone."""
        self.conn.close()
        self.process.join(timeout=1.0)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join(timeout=5.0)
