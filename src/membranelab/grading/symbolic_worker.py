"""sympy's equivalence test in a worker process with a time and CPU limit, from any thread.

The numeric test of :mod:`.equivalence` decides almost every answer in microseconds.  What it
leaves undecided goes to sympy, whose simplification has no bound of its own; it runs in a
worker process (:mod:`.symbolic_child`) of a :class:`membranelab.workers.WorkerPool`, so it can be
stopped however it was called: from the main thread, a ``ThreadPoolExecutor`` worker, a
notebook kernel or a web server.

* At most :data:`MAX_WORKERS` processes at work plus :data:`SPARES` warm spare, started on the
  first undecided answer and reused (a request costs a pipe round trip, about a millisecond);
  the fast numeric path never starts one.
* Each request has a wall-clock limit measured here and a CPU-time limit set in the worker
  (``RLIMIT_CPU``); past the wall-clock limit the worker is killed and the spare, already
  started with sympy imported, answers the next request.  Its address space is capped too.
* Workers are started by forkserver (else spawn), never forked from this process; they exit
  when this process is gone, and at exit it closes them.  After ``fork`` the child process
  starts a pool of its own.
* The start-up of a worker (importing sympy) has its own limit, :data:`STARTUP_SECONDS`, and is
  not charged to an answer's budget.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import sys
import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any

from membranelab.workers import Status, WorkerGone, WorkerPool

from . import symbolic_child
from .fastonly import slow_path

__all__ = ["MAX_WORKERS", "SPARES", "STARTUP_SECONDS", "Decision", "Outcome", "decide", "encode",
           "shutdown", "start"]

#: Most worker processes at work at once (more concurrent requests wait for a free one).
MAX_WORKERS = 2
#: Workers kept started and warm beyond those at work, to replace a killed one at once.
SPARES = 1
#: Seconds a new worker may take to import sympy and warm up.
STARTUP_SECONDS = 60.0


class Decision(str, Enum):
    """How a request ended (a ``str``: it compares equal to its value)."""

    DONE = "done"                #: ``value`` is sympy's True/False/None
    TIMEOUT = "timeout"          #: the limit was reached; the worker was replaced
    ERROR = "error"              #: sympy raised (an incident is recorded)
    UNAVAILABLE = "unavailable"  #: no worker process could be started here


@dataclass(frozen=True)
class Outcome:
    """What a request gave: a :class:`Decision`, sympy's ``value`` when done, a ``detail``."""

    status: Decision
    value: bool | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Decision(self.status))  # given as its value too


def encode(expr: Any) -> Any:
    """A sympy tree as nested tuples ``("node", func, args)`` / ``("symbol", name)`` with the
    numbers and constants as they are: pickled as such, nothing is evaluated on the way (sympy
    unpickles a node by building, and so evaluating, it: ``1.0000001**10**9`` exactly)."""
    if expr.is_Symbol:
        return ("symbol", expr.name)
    if not expr.args:
        return expr
    return ("node", expr.func, tuple(encode(arg) for arg in expr.args))


log = logging.getLogger(__name__)
_POOL: WorkerPool | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> WorkerPool:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = WorkerPool(MAX_WORKERS, initializer=symbolic_child.prepare, spares=SPARES,
                               start_seconds=STARTUP_SECONDS)
        return _POOL


def _forget_after_fork() -> None:
    """In a forked child the parent's workers are not ours: start a pool of its own."""
    global _POOL, _POOL_LOCK
    _POOL, _POOL_LOCK = None, threading.Lock()


def shutdown() -> None:
    """Stop the idle and spare workers; used at exit (a later request starts new ones)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(shutdown)


def _supported() -> bool:
    return os.name == "posix" and bool(sys.executable)


def start() -> bool:
    """Start a worker (and the spare) now and wait until the worker is ready, so the first
    undecided answer does not wait for it; True when one is ready."""
    if not _supported():
        return False
    try:
        _pool().start()
    except WorkerGone:
        return False
    return True


def decide(student: Any, reference: Any, signs: tuple[tuple[str, str], ...],
           seconds: float) -> Outcome:
    """sympy's verdict on ``student == reference`` (each symbol named in ``signs`` rebuilt as
    ``positive``, ``negative`` or ``real``; the trees must use no other symbol), within
    ``seconds`` of wall-clock time."""
    slow_path("symbolic worker")
    if seconds <= 0:
        return Outcome(Decision.TIMEOUT, detail="no time given")
    if not _supported():
        return Outcome(Decision.UNAVAILABLE, detail="no worker processes on this platform")
    try:
        request = (encode(student), encode(reference), signs, seconds)
        done = _pool().call(symbolic_child.answer, *request, seconds=seconds)
    except (pickle.PicklingError, RecursionError) as error:  # a tree too deep to send
        log.warning("symbolic worker request failed: %r", error)
        return Outcome(Decision.ERROR, detail=type(error).__name__)
    if done.status is Status.DONE:
        return Outcome(Decision.DONE, done.value)
    if done.status is Status.TIMEOUT:
        return Outcome(Decision.TIMEOUT, detail=done.detail)
    if done.status is Status.ERROR:
        return Outcome(Decision.ERROR, detail=f"{done.detail} (incident {done.incident})")
    if done.status is Status.UNAVAILABLE:
        log.error("the symbolic worker process did not start: %s", done.detail)
        return Outcome(Decision.UNAVAILABLE, detail=f"the worker process: {done.detail}")
    return Outcome(Decision.TIMEOUT, detail="the worker reached its CPU or memory limit")
