"""The worker processes of a batch: every group of rows under a deadline, none outliving ``grade``.

:func:`run_chunks` grades chunks of groups (student, assignment, problem, rows) in worker
processes (also for ``-j 1``: only a process can be stopped whatever it is stuck in, even a
C loop that never returns to Python) and hands each finished chunk's rows to ``record``.

* Each worker writes into shared memory which group it is grading and since when.  The parent
  polls; a group running longer than ``row_seconds`` per row has its worker killed.  The
  unfinished chunks go to a fresh pool; the stuck group is retried one row at a time, and a
  single row that overruns again is graded ``needs_review`` (score 0, listed for the teacher,
  journaled like any other row) while the batch goes on.
* Workers ask the kernel to kill them when the parent dies (Linux ``PR_SET_PDEATHSIG``), and a
  watchdog thread does the same elsewhere, so a killed ``grade`` leaves no worker behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from membranelab.grading.result import NEEDS_REVIEW

__all__ = ["NEEDS_REVIEW", "NEEDS_REVIEW_FEEDBACK", "ROW_SECONDS", "die_with_parent",
           "run_chunks"]

log = logging.getLogger(__name__)

#: Seconds one row may take before its worker is stopped (grading one answer takes
#: milliseconds, and about a second at most when sympy is asked; this catches anything else).
ROW_SECONDS = 20.0
#: How often the parent checks the workers' clocks.
POLL_SECONDS = 0.2
NEEDS_REVIEW_FEEDBACK = ("Grading this answer took longer than {seconds:g} s and was stopped; "
                         "it scores 0 for now and is listed for your teacher to review.")

Group = tuple[str, str, str, list[tuple[int, str, str]]]
Rows = list[tuple[int, list[str]]]
_PR_SET_PDEATHSIG = 1
_SLOT_FIELDS = 3  # pid, group number, start time (time.monotonic: the same clock in every process)


def die_with_parent() -> None:
    """End this process when its parent process ends (call it in a child)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
        except OSError as error:
            log.warning("cannot load libc for prctl: %s", error)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


# -- worker side -------------------------------------------------------------------------------
_SLOTS: Any = None
_SLOT = 0


def _init(bank_dir: str | None, slots: Any, counter: Any, settings: Any = None) -> None:
    """Pool initializer: die with the parent, leave Ctrl-C to it, take a clock slot, load the
    bank."""
    global _SLOTS, _SLOT
    die_with_parent()
    with counter.get_lock():
        _SLOT = counter.value
        counter.value += 1
    _SLOTS = slots
    from membranelab.app.batch import pipeline

    pipeline._init_worker(bank_dir, True, settings or pipeline.GradeSettings())


def _run(groups: list[tuple[int, Group]]) -> Rows:
    """Worker entry: grade numbered groups, writing which one runs (and since when) to the slot."""
    from membranelab.app.batch import pipeline

    out: Rows = []
    base = _SLOT * _SLOT_FIELDS
    try:
        for number, (student, assignment, problem, rows) in groups:
            _SLOTS[base:base + _SLOT_FIELDS] = [os.getpid(), number, time.monotonic()]
            out.extend(pipeline.grade_worker_group(student, assignment, problem, rows))
    finally:
        _SLOTS[base + 1] = -1
    return out


# -- parent side -------------------------------------------------------------------------------
class _Run:
    """One batch's state across pool restarts."""

    def __init__(self, chunks: list[list[Group]], jobs: int, row_seconds: float) -> None:
        self.groups: list[Group] = []
        self.pending: dict[int, list[int]] = {}  # chunk number -> its group numbers
        for chunk, members in enumerate(chunks):
            for group in members:
                self.pending.setdefault(chunk, []).append(len(self.groups))
                self.groups.append(group)
        self.next_chunk = len(chunks)
        self.jobs = max(1, min(jobs, len(chunks)))
        self.row_seconds = row_seconds

    def over_time(self, slots: Any, now: float) -> tuple[int, int] | None:
        """(pid, group number) of a worker past its group's deadline, if any."""
        for slot in range(self.jobs):
            pid, number, started = slots[slot * _SLOT_FIELDS: (slot + 1) * _SLOT_FIELDS]
            if number < 0 or pid <= 0:
                continue
            rows = len(self.groups[int(number)][3])
            if now - started > self.row_seconds * rows:
                return int(pid), int(number)
        return None


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def run_chunks(chunks: list[list[Group]], *, jobs: int, bank_dir: str | None,
               record: Callable[[Rows], None], review: Callable[[int, float], list[str]],
               row_seconds: float = ROW_SECONDS, level: Any = None) -> int:
    """Grade ``chunks`` on ``jobs`` worker processes, each finished chunk passed to ``record``;
    a row past its deadline gets ``review(index, seconds)``'s fields; ``level``: the
    workers' :class:`~membranelab.app.batch.pipeline.GradeSettings` (course, feedback level and
    language of the rows' messages).  Returns the number of processes used."""
    state = _Run(chunks, jobs, row_seconds)
    while state.pending:
        stuck = _one_pool(state, bank_dir, record, level)
        if stuck is None:
            continue
        _retire(state, stuck, record, review)
    return state.jobs


def _retire(state: _Run, number: int, record: Callable[[Rows], None],
            review: Callable[[int, float], list[str]]) -> None:
    """A group that overran: retry its rows one by one, or, for one row, grade it needs_review."""
    student, assignment, problem, rows = state.groups[number]
    chunk = next(c for c, members in state.pending.items() if number in members)
    state.pending[chunk].remove(number)
    if not state.pending[chunk]:
        del state.pending[chunk]
    if len(rows) == 1:
        index = rows[0][0]
        log.warning("row %d (%s, %s, %s) took more than %g s: needs review", index, student,
                    problem, rows[0][1], state.row_seconds)
        record([(index, review(index, state.row_seconds))])
        return
    for row in rows:  # one chunk per row: the retry finds the row that overruns
        state.pending[state.next_chunk] = [len(state.groups)]
        state.groups.append((student, assignment, problem, [row]))
        state.next_chunk += 1


def _one_pool(state: _Run, bank_dir: str | None, record: Callable[[Rows], None],
              level: Any = None) -> int | None:
    """Run every pending chunk in one pool; the number of a group that overran, else None."""
    context = _context()
    slots = context.Array("d", [0.0, -1.0, 0.0] * state.jobs, lock=False)
    counter = context.Value("i", 0)
    futures: dict[Future, int] = {}
    with ProcessPoolExecutor(max_workers=state.jobs, mp_context=context, initializer=_init,
                             initargs=(bank_dir, slots, counter, level)) as pool:
        for chunk, members in list(state.pending.items()):
            futures[pool.submit(_run, [(n, state.groups[n]) for n in members])] = chunk
        try:
            while futures:
                finished, _ = wait(futures, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    chunk = futures.pop(future)
                    record(future.result())
                    del state.pending[chunk]
                late = state.over_time(slots, time.monotonic())
                if late is not None:
                    pid, number = late
                    _kill(pid)
                    _stop(pool, futures)
                    return number
        except BaseException:
            _stop(pool, futures)
            raise
    return None


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _stop(pool: ProcessPoolExecutor, futures: dict[Future, int]) -> None:
    """Cancel what is queued and end the workers now (they hold no state worth keeping)."""
    for future in futures:
        future.cancel()
    for process in list(getattr(pool, "_processes", {}).values()):
        _kill(process.pid)
    pool.shutdown(wait=True, cancel_futures=True)
