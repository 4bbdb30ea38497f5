"""Worker processes with a deadline, and safe interruption: one utility for every such use.

Used by the batch grader (``membranelab grade``: groups of rows, a deadline per group), the
sympy fallback of the grader (one undecidable formula, a CPU and wall-clock limit, from any
thread of a web server), the course audit (one notebook at a time) and ``membranelab check``
(one problem per worker).  Only a process can be stopped whatever it is stuck in (a C loop
never returns to Python for a signal handler to run), so each of them runs its work in one.

``pool``     :class:`WorkerPool`: ``size`` workers plus a warm spare; :meth:`~WorkerPool.call`
             (one request, any thread) and :meth:`~WorkerPool.map` (a queue, results as they
             finish); past its deadline a worker is killed and the spare takes its place
``process``  one worker seen from the parent; started by forkserver (else spawn), never fork
``child``    the loop a worker runs; it dies with its parent (``PR_SET_PDEATHSIG``, a watchdog)
``signals``  Ctrl-C and SIGTERM as a request to stop, acted on at safe points

Why not pebble or loky (both considered): loky reuses a ``concurrent.futures`` executor, which
has no per-task deadline and is the code whose ``Future.cancel`` lock a Ctrl-C left held (the
``grade -j 2`` hang of issue 20); pebble has per-task timeouts but replaces a killed worker
only after the timeout (the next task waits for a process to start and load the bank: no warm
spare), runs three threads in the parent that share locks with the caller, and has no way to
give back the other tasks already sent to a killed worker.  What is needed here is small (a
pipe per process, ``multiprocessing.connection.wait``, no thread in the parent), so it is
written here, in a leaf that imports nothing of membranelab but the incident log.
"""

from __future__ import annotations

from .child import die_with_parent
from .pool import START_SECONDS, Done, Status, Task, WorkerPool
from .process import WorkerGone, context
from .signals import Interrupted, deferred, raise_if_pending, stop_signals, work_saved

__all__ = ["START_SECONDS", "Done", "Interrupted", "Status", "Task", "WorkerGone", "WorkerPool",
           "context", "deferred", "die_with_parent", "raise_if_pending", "stop_signals", "work_saved"]
