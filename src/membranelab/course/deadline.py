"""A call with a deadline, in a worker process that is replaced when it overruns.

``course audit`` grades one notebook per call; grading is bounded (see ``membranelab.grading``),
and this is the net under it: whatever a notebook's answers do, the audit moves on after
:data:`NOTEBOOK_SECONDS` and reports that notebook as skipped.  Only a process can be stopped
whatever it is stuck in (a C loop never returns to Python for a signal handler to run).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

__all__ = ["NOTEBOOK_SECONDS", "DeadlineRunner"]

log = logging.getLogger(__name__)

#: Seconds the audit spends on one notebook at most.
NOTEBOOK_SECONDS = 60.0


def _orphan_guard() -> None:
    """Worker initializer: exit when the parent does (Linux: the kernel's parent-death signal)."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        log.info("no parent-death signal on this platform")


class DeadlineRunner:
    """Runs calls one at a time in one worker process; a call past its deadline has its worker
    killed (a fresh one starts for the next call).  Use as a context manager."""

    def __init__(self, seconds: float = NOTEBOOK_SECONDS) -> None:
        self.seconds = seconds
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> DeadlineRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close(kill=False)

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1,
                                             mp_context=multiprocessing.get_context("fork"),
                                             initializer=_orphan_guard)
        return self._pool

    def _close(self, *, kill: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:
            for process in list(getattr(pool, "_processes", {}).values()):
                try:
                    os.kill(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        pool.shutdown(wait=True, cancel_futures=True)

    def call(self, func: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
        """(True, func(*args)) when it returns in time, (False, None) when it does not (or its
        worker died); an exception raised by ``func`` is raised here.  The worker is forked, so
        ``func`` sees this process's state (the loaded bank); where fork is not available the
        call runs here, without a deadline."""
        if "fork" not in multiprocessing.get_all_start_methods():
            return True, func(*args)
        future = self._start().submit(func, *args)
        try:
            return True, future.result(timeout=self.seconds)
        except FutureTimeout:
            log.warning("%s took more than %g s: stopped", getattr(func, "__name__", func),
                        self.seconds)
            self._close(kill=True)
            return False, None
        except BrokenProcessPool:
            log.warning("the worker of %s died", getattr(func, "__name__", func))
            self._close(kill=True)
            return False, None
