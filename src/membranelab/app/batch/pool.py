"""The worker processes of a batch: every group of rows under a deadline, none outliving ``grade``.

:func:`run_groups` grades groups (student, assignment, problem, rows) in worker processes of a
:class:`membranelab.workers.WorkerPool` (also for ``-j 1``: only a process can be stopped
whatever it is stuck in) and hands each finished group's rows to ``record``.

* One request per group, two in flight per worker; a group running longer than ``row_seconds``
  per row has its worker killed (a warm spare takes its place).  The stuck group is retried one
  row at a time, and a single row that overruns again is graded ``needs_review`` (score 0,
  listed for the teacher, journaled like any other row) while the batch goes on.
* Run inside :func:`membranelab.workers.deferred`: Ctrl-C or SIGTERM stops the pool from its own
  loop (never inside a lock), so the caller saves the journal and exits within a second.
* Workers die with ``grade`` (the kernel's parent-death signal and a watchdog), even on SIGKILL.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from membranelab.grading.result import NEEDS_REVIEW
from membranelab.workers import Status, Task, WorkerGone, WorkerPool, context

__all__ = ["NEEDS_REVIEW", "ROW_SECONDS", "WorkerDied", "run_groups",
           "warm_up"]

log = logging.getLogger(__name__)

#: Seconds one row may take before its worker is stopped (grading one answer takes
#: milliseconds, and about a second at most when sympy is asked; this catches anything else).
ROW_SECONDS = 20.0
#: Requests in flight per worker (the next group is waiting when one finishes).
DEPTH = 2
#: What every worker imports: once, in the fork server, instead of once per worker.
PRELOAD = ("membranelab.app.batch.pipeline", "membranelab.bank", "membranelab.grading")

Group = tuple[str, str, str, list[tuple[int, str, str]]]
Rows = list[tuple[int, list[str]]]


class WorkerDied(Exception):
    """A worker process ended by itself (out of memory, a crash): ``detail`` says how."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def warm_up() -> None:
    """Start the fork server now, so that it imports what the workers need (:data:`PRELOAD`)
    while this process reads the answers and loads its own bank."""
    context(PRELOAD)


# -- worker side -------------------------------------------------------------------------------
def _init(bank_dir: str | None, settings: Any) -> None:
    """Worker initializer: load the bank once per process (``settings``: the pipeline's
    ``GradeSettings``: course, feedback level, language)."""
    from membranelab.app.batch import pipeline

    pipeline._init_worker(bank_dir, settings)


def _grade(group: Group) -> Rows:
    """Worker request: grade one group."""
    from membranelab.app.batch import pipeline

    return pipeline.grade_worker_group(*group)


# -- parent side -------------------------------------------------------------------------------
def run_groups(groups: list[Group], *, jobs: int, bank_dir: str | None,
               record: Callable[[Rows], None], review: Callable[[int, float], list[str]],
               row_seconds: float = ROW_SECONDS, settings: Any = None) -> int:
    """Grade ``groups`` on ``jobs`` worker processes, each finished group passed to ``record``;
    a row past its deadline gets ``review(index, seconds)``'s fields; ``settings``: the
    workers' :class:`~membranelab.app.batch.pipeline.GradeSettings` (course, feedback level and
    language of the rows' messages; None: the defaults).  Returns the number of processes used.  Raises
    :class:`WorkerDied` when a worker ends by itself (what is recorded stays recorded)."""
    jobs = max(1, min(jobs, len(groups)))
    known = list(groups)
    queue = deque(Task(n, _grade, (g,), row_seconds * len(g[3])) for n, g in enumerate(known))
    with WorkerPool(jobs, initializer=_init, initargs=(bank_dir, settings), depth=DEPTH,
                    preload=PRELOAD) as pool:
        try:
            for done in pool.map(queue):
                if done.status is Status.DONE:
                    record(done.value)
                elif done.status is Status.TIMEOUT:
                    assert isinstance(done.key, int)  # the tasks are numbered (Task(n, ...))
                    _retire(known, done.key, queue, record, review, row_seconds)
                else:  # an error escaping grade_group, or a dead worker: stop, keep what is saved
                    raise WorkerDied(done.detail or done.status.value)
        except WorkerGone as gone:  # a worker could not start (its initializer failed)
            raise WorkerDied(f"{gone.detail} {gone.incident}".strip()) from None
    return jobs


def _retire(known: list[Group], number: int, queue: deque[Task], record: Callable[[Rows], None],
            review: Callable[[int, float], list[str]], row_seconds: float) -> None:
    """A group that overran: retry its rows one by one, or, for one row, grade it needs_review."""
    student, assignment, problem, rows = known[number]
    if len(rows) == 1:
        index = rows[0][0]
        log.warning("row %d (%s, %s, %s) took more than %g s: needs review", index, student,
                    problem, rows[0][1], row_seconds)
        record([(index, review(index, row_seconds))])
        return
    for row in rows:  # one request per row: the retry finds the row that overruns
        known.append((student, assignment, problem, [row]))
        queue.append(Task(len(known) - 1, _grade, (known[-1],), row_seconds))
