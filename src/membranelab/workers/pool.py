"""A pool of worker processes in which every request has a deadline, with a warm spare.

Two ways to use it, over the same processes:

* :meth:`WorkerPool.call` -- one request, from any thread (at most ``size`` at once; more wait
  for a free worker): the sympy fallback of a web server's threads, the audit's notebooks.
* :meth:`WorkerPool.map` -- a queue of :class:`Task` from one thread, up to ``depth`` requests
  in flight per worker (so a worker never idles for a round trip), results as they finish; the
  caller may add tasks while it reads results: a batch of groups of rows.

A request past its deadline has its worker killed (SIGKILL: whatever it is stuck in, even a C
loop) and answered :attr:`Status.TIMEOUT`; the other requests sent to that worker go back to the
queue.  The pool keeps ``spares`` processes started and initialised beyond the ``size`` at work,
so a killed worker's place is taken at once by a warm one instead of one that is still loading
the bank or importing sympy; a new spare starts in the background.  A worker that dies by
itself is :attr:`Status.GONE` (for ``map``: the caller decides whether to go on).

``map`` waits in slices of :data:`.process.POLL_SECONDS` and checks for a stop signal between
them (:mod:`.signals`): run inside :func:`.signals.deferred`, Ctrl-C or SIGTERM stops it from a
known place, kills the workers and raises :class:`.signals.Interrupted` within a fraction of a
second; the parent holds no lock another thread needs, so nothing can hang.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.connection import wait
from typing import Any

from . import signals
from .process import POLL_SECONDS, WorkerGone, WorkerProcess

__all__ = ["START_SECONDS", "Done", "Status", "Task", "WorkerPool"]

log = logging.getLogger(__name__)

#: Seconds a new worker may take to start and run its initializer (not charged to a request).
START_SECONDS = 60.0


class Status(Enum):
    """How a request ended."""

    DONE = "done"        #: the function returned ``value``
    TIMEOUT = "timeout"  #: past its deadline: the worker was killed
    ERROR = "error"      #: the function raised (``detail``: the type; ``incident`` recorded)
    GONE = "gone"        #: the worker ended during the request (``detail``: how)
    UNAVAILABLE = "unavailable"  #: no worker could be started (``detail``: why)


@dataclass(frozen=True)
class Done:
    """The outcome of one request."""

    key: Hashable
    status: Status
    value: Any = None
    detail: str = ""
    incident: str = ""


@dataclass(frozen=True)
class Task:
    """One request for :meth:`WorkerPool.map`: ``function(*args)`` within ``seconds`` of starting
    (``function`` is sent by reference: a module-level function)."""

    key: Hashable
    function: Callable[..., Any]
    args: tuple[Any, ...]
    seconds: float


def _reply(key: Hashable, message: tuple[Any, ...]) -> Done:
    if message[0] == "ok":
        return Done(key, Status.DONE, message[1])
    return Done(key, Status.ERROR, detail=message[1], incident=message[2])


@dataclass
class _Slot:
    """A worker at work in :meth:`WorkerPool.map`: what it was sent, and since when the first
    of those has been running."""

    worker: WorkerProcess
    tasks: deque[Task] = field(default_factory=deque)
    since: float = 0.0


class WorkerPool:
    """``size`` worker processes (started as needed) plus ``spares`` warm ones; each runs
    ``initializer(*initargs)`` once (both sent by reference).  ``preload``: modules the workers
    need, imported once by the fork server if this pool is the first to start it.  Use as a
    context manager, or call :meth:`close`."""

    def __init__(self, size: int = 1, *, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = (), spares: int = 1, depth: int = 1,
                 start_seconds: float = START_SECONDS, preload: tuple[str, ...] = ()) -> None:
        if size < 1 or spares < 0 or depth < 1:
            raise ValueError(f"size {size}, spares {spares}, depth {depth}: need 1, 0 and 1 or more")
        self.size, self.spares, self.depth = size, spares, depth
        self.start_seconds = start_seconds
        self._initializer, self._initargs, self._preload = initializer, initargs, preload
        self._cond = threading.Condition()
        self._idle: list[WorkerProcess] = []
        self._warm: list[WorkerProcess] = []
        self._count = 0  # workers handed out or idle, spares not included
        self._closed = False

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- processes ---------------------------------------------------------------------------
    def _start(self) -> WorkerProcess:
        try:
            return WorkerProcess(self._initializer, self._initargs, self._preload)
        except OSError as error:
            raise WorkerGone(f"it could not be started ({error})") from None

    def _top_up(self) -> None:
        """Start spares until there are ``spares`` of them (they initialise in the background)."""
        while True:
            with self._cond:
                if self._closed or len(self._warm) >= self.spares:
                    return
            try:
                worker = self._start()
            except WorkerGone as gone:
                log.warning("cannot start a spare worker process: %s", gone.detail)
                return
            with self._cond:
                if self._closed:
                    worker.kill()
                    return
                self._warm.append(worker)

    def _fresh(self, *, top_up: bool = True) -> WorkerProcess:
        """A spare if there is one (warm), else a new process; then the spares are topped up
        (unless ``top_up`` is false: a pool starting does not start its spare at the same time
        as the workers it is waiting for)."""
        with self._cond:
            worker = self._warm.pop(0) if self._warm else None
        if worker is None:
            worker = self._start()
        if top_up:
            self._top_up()
        return worker

    def _make_ready(self, worker: WorkerProcess, *, poll: bool = False) -> None:
        """Wait for ``worker``'s ready message (up to ``start_seconds`` from its start)."""
        while not worker.ready:
            left = worker.started + self.start_seconds - time.monotonic()
            if left <= 0:
                raise WorkerGone(f"it did not start within {self.start_seconds:g} s")
            if worker.readable(min(left, POLL_SECONDS) if poll else left):
                worker.take_ready()
            elif poll:
                signals.raise_if_pending()

    def close(self) -> None:
        """Stop every idle and spare worker (a busy one is stopped when its request ends)."""
        with self._cond:
            self._closed = True
            workers, self._idle, self._warm = self._idle + self._warm, [], []
            self._cond.notify_all()
        for worker in workers:
            worker.kill()

    def pids(self) -> tuple[list[int], list[int]]:
        """(idle workers, spares): their process ids, for tests and diagnostics."""
        with self._cond:
            return ([w.pid for w in self._idle if w.pid], [w.pid for w in self._warm if w.pid])

    # -- one request from any thread -----------------------------------------------------------
    def _acquire(self) -> WorkerProcess:
        with self._cond:
            while True:
                if self._closed:
                    raise WorkerGone("the pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.size:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            return self._fresh()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _release(self, worker: WorkerProcess, healthy: bool) -> None:
        with self._cond:
            if healthy and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
        worker.kill()
        with self._cond:
            self._count -= 1
            self._cond.notify()
        self._top_up()

    def start(self) -> None:
        """Start one worker and the spares now and wait until the worker is ready (so that
        the first request does not wait); :class:`.process.WorkerGone` if it cannot start."""
        worker = self._acquire()
        healthy = False
        try:
            self._make_ready(worker)
            healthy = True
        finally:
            self._release(worker, healthy)

    def call(self, function: Callable[..., Any], *args: Any, seconds: float,
             key: Hashable = None) -> Done:
        """``function(*args)`` in a worker, within ``seconds`` of wall-clock time from when the
        worker received it (waiting for a free or starting worker is not counted)."""
        try:
            worker = self._acquire()
        except WorkerGone as gone:
            return Done(key, Status.UNAVAILABLE, detail=gone.detail)
        healthy = False
        try:
            try:
                self._make_ready(worker)
            except WorkerGone as gone:
                return Done(key, Status.UNAVAILABLE, detail=gone.detail, incident=gone.incident)
            worker.send(function, args)
            if not worker.readable(seconds):
                return Done(key, Status.TIMEOUT, detail=f"no answer within {seconds:g} s")
            done = _reply(key, worker.receive())
            healthy = True
            return done
        except WorkerGone as gone:
            return Done(key, Status.GONE, detail=gone.detail, incident=gone.incident)
        finally:
            self._release(worker, healthy)

    # -- a queue of requests from one thread ---------------------------------------------------
    def map(self, queue: deque[Task]) -> Iterator[Done]:
        """Run the tasks of ``queue`` (taken from its left; the caller may append while reading
        results) and yield each one's :class:`Done` as it finishes, until the queue is empty
        and nothing is running.  A worker that cannot start raises
        :class:`.process.WorkerGone`; a stop signal inside :func:`.signals.deferred` raises
        :class:`.signals.Interrupted`.  Every worker it started is gone when it returns."""
        slots: list[_Slot] = []
        spares_started = False
        try:
            while queue or any(slot.tasks for slot in slots):
                signals.raise_if_pending()
                while len(slots) < self.size and len(slots) < len(queue) + sum(
                        len(slot.tasks) for slot in slots):
                    slots.append(_Slot(self._fresh(top_up=False)))
                if not spares_started and all(slot.worker.ready for slot in slots):
                    self._top_up()  # once the workers are at work, not competing with them
                    spares_started = True
                self._dispatch(slots, queue)
                yield from self._collect(slots, queue)
                yield from self._expire(slots, queue)
        finally:
            for slot in slots:
                slot.worker.kill()

    def _dispatch(self, slots: list[_Slot], queue: deque[Task]) -> None:
        for slot in slots:
            while slot.worker.ready and queue and len(slot.tasks) < self.depth:
                task = queue.popleft()
                if not slot.tasks:
                    slot.since = time.monotonic()
                slot.tasks.append(task)
                slot.worker.send(task.function, task.args)

    def _wait_seconds(self, slots: list[_Slot]) -> float:
        now, soonest = time.monotonic(), POLL_SECONDS
        for slot in slots:
            if slot.tasks:
                soonest = min(soonest, slot.since + slot.tasks[0].seconds - now)
        return max(0.0, soonest)

    def _collect(self, slots: list[_Slot], queue: deque[Task]) -> Iterator[Done]:
        by_conn = {id(slot.worker.conn): slot for slot in slots}
        for conn in wait([slot.worker.conn for slot in slots], self._wait_seconds(slots)):
            slot = by_conn[id(conn)]
            if not slot.worker.ready:
                slot.worker.take_ready()  # WorkerGone: the initializer failed; nothing to do
                continue
            try:
                message = slot.worker.receive()
            except WorkerGone as gone:
                task = self._replace(slot, queue)
                yield Done(task.key, Status.GONE, detail=gone.detail)
                continue
            task = slot.tasks.popleft()
            slot.since = time.monotonic()
            yield _reply(task.key, message)

    def _expire(self, slots: list[_Slot], queue: deque[Task]) -> Iterator[Done]:
        now = time.monotonic()
        for slot in slots:
            if not slot.worker.ready and now - slot.worker.started > self.start_seconds:
                raise WorkerGone(f"it did not start within {self.start_seconds:g} s")
            if slot.tasks and now - slot.since > slot.tasks[0].seconds:
                seconds = slot.tasks[0].seconds
                task = self._replace(slot, queue)
                yield Done(task.key, Status.TIMEOUT, detail=f"no answer within {seconds:g} s")

    def _replace(self, slot: _Slot, queue: deque[Task]) -> Task:
        """Kill ``slot``'s worker, put a warm one in its place, give back the tasks sent after
        the first (which is returned)."""
        slot.worker.kill()
        first = slot.tasks.popleft()
        queue.extendleft(reversed(slot.tasks))
        slot.tasks.clear()
        slot.worker = self._fresh()
        return first
