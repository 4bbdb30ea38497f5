"""The report's figures drawn in a worker process while the parent does the rest.

Where the time of ``membranelab report`` goes (a 300-student, 20-part grades file; ``bench/
report.py``): opening the bank to read the choice parts' answers (importing it, with sympy and
pint, then loading the problems) is about half of the command's CPU time; importing matplotlib
and drawing the three figures is most of the other half.  The figures need none of the bank:
a histogram of totals, facility against discrimination, the named mistakes (notes of the first
tries).  So :class:`Drawing` sends the assignments, analysed without choices, to one worker
process of :class:`membranelab.workers.WorkerPool` (which imports matplotlib itself) and the
parent opens the bank meanwhile: on two free cores the command takes about as long as the longer
of the two.

The worker has a generous deadline (a hang detector, not a speed limit).  A worker that cannot
start, dies, or passes its deadline costs nothing but time: the figures are then drawn in the
parent (the same function), so the report is the same either way.
"""

from __future__ import annotations

import logging
import threading

from membranelab.workers import Status, WorkerPool

from .analysis import AssignmentReport
from .figures import Drawn, draw_all

__all__ = ["DEADLINE_SECONDS", "Drawing"]

#: Wall-clock seconds the worker may take for one report's figures (a hang detector).
DEADLINE_SECONDS = 300.0
#: What the worker imports once, before it is asked anything.
_PRELOAD = ("matplotlib.figure", "matplotlib.backends.backend_agg", "membranelab.report.figures")

log = logging.getLogger(__name__)


class Drawing:
    """The figures of ``assignments`` in ``lang``, drawn in a worker from :meth:`start` on;
    :meth:`result` waits for them (or draws them here when the worker could not)."""

    def __init__(self, assignments: tuple[AssignmentReport, ...], lang: str) -> None:
        self.assignments = assignments
        self.lang = lang
        self._figures: dict[str, list[Drawn]] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Drawing:
        """Send the figures to a worker (a thread waits for its answer; the pool's
        :meth:`~membranelab.workers.WorkerPool.call` is made for that)."""
        self._thread = threading.Thread(target=self._draw_in_worker, name="report-figures",
                                        daemon=True)
        self._thread.start()
        return self

    def _draw_in_worker(self) -> None:
        with WorkerPool(1, spares=0, preload=_PRELOAD) as pool:
            done = pool.call(draw_all, self.assignments, self.lang, seconds=DEADLINE_SECONDS)
        if done.status is Status.DONE:
            self._figures = done.value
        else:
            log.warning("figures drawn in the report's own process: the worker %s (%s)",
                        done.status.value, done.detail)

    def result(self) -> dict[str, list[Drawn]]:
        """{assignment: its figures}."""
        if self._thread is not None:
            self._thread.join()
        if self._figures is None:
            self._figures = draw_all(self.assignments, self.lang)
        return self._figures
