"""sympy's equivalence test in a worker process with a time and CPU limit, from any thread.

The numeric test of :mod:`.equivalence` decides almost every answer in microseconds.  What it
leaves undecided goes to sympy, whose simplification has no bound of its own; it runs here, in
a separate process (:mod:`.symbolic_child`), so it can be stopped however it was called: from
the main thread, a ``ThreadPoolExecutor`` worker, a notebook kernel or a web server.

* At most :data:`MAX_WORKERS` processes, started lazily on the first undecided answer and reused
  (a request costs a pipe round trip, about a millisecond); the fast numeric path never starts one.
* Each request has a wall-clock limit measured here and a CPU-time limit set in the child
  (``RLIMIT_CPU``); past the wall-clock limit the child is killed (SIGKILL) and a fresh one is
  started at once so the next answer finds it ready.  Its address space is capped too.
* A worker exits when its parent process is gone (a watchdog thread in the child), and this
  process closes its workers at exit.  After ``fork`` the child process starts its own pool.
* The start-up of a worker (importing sympy, about 0.3 s) has its own limit,
  :data:`STARTUP_SECONDS`, and is not charged to an answer's budget.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from membranelab.incident import record_incident

__all__ = ["MAX_WORKERS", "STARTUP_SECONDS", "Outcome", "decide", "encode", "shutdown", "start"]

log = logging.getLogger(__name__)

#: Most worker processes alive at once (more concurrent requests wait for a free one).
MAX_WORKERS = 2
#: Seconds a new worker may take to import sympy and warm up.
STARTUP_SECONDS = 60.0
#: The child program, run by path so that it imports only sympy.
CHILD_PATH = Path(__file__).with_name("symbolic_child.py")
# ``python -c BOOT CHILD``: drop the current directory from sys.path, then run the child.
BOOT = "import runpy, sys; del sys.path[0]; runpy.run_path(sys.argv[1], run_name='__main__')"
_HEADER = struct.Struct(">I")


@dataclass(frozen=True)
class Outcome:
    """What a request gave: ``status`` is ``done`` (``value`` is sympy's True/False/None),
    ``timeout`` (the limit was reached; the worker was replaced), ``error`` (sympy raised) or
    ``unavailable`` (no worker process could be started here)."""

    status: str
    value: bool | None = None
    detail: str = ""


def encode(expr: Any) -> Any:
    """A sympy tree as nested tuples ``("node", func, args)`` / ``("symbol", name)`` with the
    numbers and constants as they are: pickled as such, nothing is evaluated on the way (sympy
    unpickles a node by building, and so evaluating, it: ``1.0000001**10**9`` exactly)."""
    if expr.is_Symbol:
        return ("symbol", expr.name)
    if not expr.args:
        return expr
    return ("node", expr.func, tuple(encode(arg) for arg in expr.args))


def _environment() -> dict[str, str]:
    """The child's environment: this one, with sympy's location on PYTHONPATH."""
    import sympy

    env = dict(os.environ)
    where = str(Path(sympy.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (where, env.get("PYTHONPATH", "")) if p)
    return env


class _Worker:
    """One child process and its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOOT, str(CHILD_PATH)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment(),
            close_fds=True)
        self.ready = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def _read(self, deadline: float) -> Any:
        """One message, or raise TimeoutError at the deadline / EOFError if the child ended."""
        fd = self.process.stdout.fileno()  # type: ignore[union-attr]
        header = self._read_bytes(fd, _HEADER.size, deadline)
        return pickle.loads(self._read_bytes(fd, _HEADER.unpack(header)[0], deadline))

    @staticmethod
    def _read_bytes(fd: int, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, size)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def wait_ready(self) -> None:
        if not self.ready:
            if self._read(time.monotonic() + STARTUP_SECONDS) != "ready":
                raise EOFError
            self.ready = True

    def ask(self, request: tuple[Any, ...], seconds: float) -> Any:
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(_HEADER.pack(len(data)) + data)
        stdin.flush()
        return self._read(time.monotonic() + seconds)

    def close(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=2.0)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class _Pool:
    """Up to ``size`` workers shared by every thread of this process."""

    def __init__(self, size: int = MAX_WORKERS) -> None:
        self.size = size
        self.cond = threading.Condition()
        self.idle: list[_Worker] = []
        self.count = 0

    def acquire(self) -> _Worker | None:
        with self.cond:
            while True:
                while self.idle:
                    worker = self.idle.pop()
                    if worker.alive():
                        return worker
                    self.count -= 1
                    worker.close()
                if self.count < self.size:
                    self.count += 1
                    break
                self.cond.wait()
        return self._new()

    def _new(self) -> _Worker | None:
        try:
            return _Worker()
        except OSError as error:
            log.error("cannot start the symbolic worker process: %s", error)
            with self.cond:
                self.count -= 1
                self.cond.notify()
            return None

    def release(self, worker: _Worker, healthy: bool) -> None:
        if not healthy:
            worker.close(kill=True)
            replacement = self._new_uncounted()
            if replacement is None:
                with self.cond:
                    self.count -= 1
                    self.cond.notify()
                return
            worker = replacement
        with self.cond:
            self.idle.append(worker)
            self.cond.notify()

    @staticmethod
    def _new_uncounted() -> _Worker | None:
        try:
            return _Worker()
        except OSError as error:
            log.error("cannot restart the symbolic worker process: %s", error)
            return None

    def close(self) -> None:
        with self.cond:
            workers, self.idle = self.idle, []
            self.count -= len(workers)
        for worker in workers:
            worker.close()


_POOL: _Pool | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> _Pool:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = _Pool()
        return _POOL


def _forget_after_fork() -> None:
    """In a forked child the parent's workers are not ours: start a pool of its own."""
    global _POOL, _POOL_LOCK
    _POOL, _POOL_LOCK = None, threading.Lock()


def shutdown() -> None:
    """Close the idle workers (they exit when their input closes); used at exit."""
    if _POOL is not None:
        _POOL.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(shutdown)


def _supported() -> bool:
    return os.name == "posix" and bool(sys.executable)


def start() -> bool:
    """Start a worker now and wait until it is ready (so the first undecided answer does not
    wait for it); True when one is ready."""
    if not _supported():
        return False
    pool = _pool()
    worker = pool.acquire()
    if worker is None:
        return False
    try:
        worker.wait_ready()
    except (TimeoutError, EOFError, OSError, pickle.UnpicklingError) as error:
        log.error("the symbolic worker process did not start: %r", error)
        pool.release(worker, healthy=False)
        return False
    pool.release(worker, healthy=True)
    return True


def decide(student: Any, reference: Any, signs: tuple[tuple[str, str], ...],
           seconds: float) -> Outcome:
    """sympy's verdict on ``student == reference`` (each symbol named in ``signs`` rebuilt as
    ``positive``, ``negative`` or ``real``; the trees must use no other symbol), within
    ``seconds`` of wall-clock time."""
    if seconds <= 0:
        return Outcome("timeout", detail="no time given")
    if not _supported():
        return Outcome("unavailable", detail="no worker processes on this platform")
    pool = _pool()
    worker = pool.acquire()
    if worker is None:
        return Outcome("unavailable", detail="the worker process could not be started")
    healthy = False
    try:
        try:
            worker.wait_ready()
        except (TimeoutError, EOFError, OSError, pickle.UnpicklingError) as error:
            log.error("the symbolic worker process did not start: %r", error)
            return Outcome("unavailable", detail="the worker process did not start")
        try:
            request = (encode(student), encode(reference), signs, seconds)
            status, value = worker.ask(request, seconds)
        except TimeoutError:
            return Outcome("timeout", detail=f"no verdict within {seconds:g} s")
        except EOFError:
            return Outcome("timeout", detail="the worker reached its CPU or memory limit")
        except (OSError, pickle.PicklingError, RecursionError) as error:
            log.warning("symbolic worker request failed: %r", error)
            return Outcome("error", detail=type(error).__name__)
        healthy = True
        if status == "ok":
            return Outcome("done", value)
        name, trace = value  # the child's exception: its name and traceback
        record_incident(log, "sympy failed in the worker process:\n%s", trace, exc_info=False)
        return Outcome("error", detail=name)
    finally:
        pool.release(worker, healthy)
