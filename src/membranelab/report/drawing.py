"""The report's figures drawn in a worker process while the parent does the rest.

Where the time of ``membranelab report`` goes (a 300-student, 20-part grades file; ``bench/
report.py``): opening the bank to read the choice parts' answers (importing it, with sympy and
pint, then loading the problems) is about half of the command's CPU time; importing matplotlib
and drawing the three figures is most of the other half.  The figures need none of the bank:
a histogram of totals, facility against discrimination, the named mistakes (notes of the first
tries).  So :class:`Drawing` starts one worker process of :class:`membranelab.workers.WorkerPool`
first thing (it imports matplotlib while the parent reads the source, which imports the grading
service and with it the bank), sends it the assignments analysed without choices, and the parent
loads the bank and reads the choices meanwhile: on two free cores the command takes about as
long as the longer of the two.

A worker costs CPU time of its own (an interpreter, its imports: about 0.9 s more in all,
measured with ``bench/report.py``), so it pays only when a core is free: on a machine whose load
average already fills its cores the figures are drawn in the command's process, which was then
faster (13-15 s against 16-18 s at a load of 11 on two cores).  :func:`spare_core` decides.

The worker has a generous deadline (a hang detector, not a speed limit).  A worker that cannot
start, dies, or passes its deadline costs nothing but time: the figures are then drawn in the
parent (the same function), so the report is the same either way.
"""

from __future__ import annotations

import logging
import os
import threading

from membranelab.workers import Status, WorkerGone, WorkerPool

from .analysis import AssignmentReport
from .figures import Drawn, draw_all

__all__ = ["DEADLINE_SECONDS", "Drawing", "spare_core"]

#: Wall-clock seconds the worker may take for one report's figures (a hang detector).
DEADLINE_SECONDS = 300.0
#: Seconds leaving on an error waits for the worker's thread.
_LEAVE_SECONDS = 5.0
#: What the worker imports once, before it is asked anything.
_PRELOAD = ("matplotlib.figure", "matplotlib.backends.backend_agg", "membranelab.report.figures")

log = logging.getLogger(__name__)


def spare_core() -> bool:
    """True when a core is free: the load average of the last minute is at most the number of
    cores minus one (True where the load cannot be read)."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return True
    return load <= (os.cpu_count() or 1) - 1


class Drawing:
    """The figures of a report in ``lang``, drawn in a worker.  Use as a context manager: the
    worker starts (and imports matplotlib) on entry, while the caller reads its source;
    :meth:`draw` hands it the analysed assignments; :meth:`result` waits for the figures (or
    draws them here when the worker could not, or when ``worker`` is False); leaving the block
    ends the worker."""

    def __init__(self, lang: str, *, worker: bool = True) -> None:
        self.lang = lang
        self.worker = worker
        self._assignments: tuple[AssignmentReport, ...] | None = None
        self._given = threading.Event()
        self._figures: dict[str, list[Drawn]] | None = None
        self._thread = threading.Thread(target=self._work, name="report-figures", daemon=True)

    def __enter__(self) -> Drawing:
        if self.worker:
            self._thread.start()
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self._given.set()  # no assignments given: the worker is told nothing and ends
        if not self._thread.is_alive():
            return
        # leaving on an error (Ctrl-C included) waits a little only: the thread is a daemon,
        # and a worker dies with its parent (membranelab.workers.die_with_parent)
        self._thread.join(timeout=None if kind is None else _LEAVE_SECONDS)

    def _work(self) -> None:
        """In a thread: start the worker, wait for the assignments, wait for the figures (the
        pool is made for being called from any thread)."""
        with WorkerPool(1, spares=0, preload=_PRELOAD) as pool:
            try:
                pool.start()
            except WorkerGone as gone:
                log.warning("figures drawn in the report's own process: no worker (%s)",
                            gone.detail)
                return
            self._given.wait()
            if self._assignments is None:
                return
            done = pool.call(draw_all, self._assignments, self.lang, seconds=DEADLINE_SECONDS)
        if done.status is Status.DONE:
            self._figures = done.value
        else:
            log.warning("figures drawn in the report's own process: the worker %s (%s)",
                        done.status.value, done.detail)

    def draw(self, assignments: tuple[AssignmentReport, ...]) -> None:
        """Hand the worker the assignments to draw."""
        self._assignments = assignments
        self._given.set()

    def result(self) -> dict[str, list[Drawn]]:
        """{assignment: its figures} of the assignments given to :meth:`draw`."""
        if self._assignments is None:
            raise RuntimeError("Drawing.result before Drawing.draw")
        if self._thread.is_alive():
            self._thread.join()
        if self._figures is None:
            self._figures = draw_all(self._assignments, self.lang)
        return self._figures
