"""membranelab.workers: requests with a deadline, the warm spare, failures, safe interruption.

The functions the workers run are defined here at module level: the pool sends them by
reference and a worker (started by the fork server or spawn, never forked from the test
process) imports this module to run them.  Every wait below is a hang detector, not a speed
claim.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque

import pytest

from membranelab.workers import (
    Interrupted,
    Status,
    Task,
    WorkerPool,
    context,
    deferred,
    raise_if_pending,
    stop_signals,
)

pytestmark = pytest.mark.slow

_LOADED: list[str] = []


def _load(name: str) -> None:
    """An initializer: what a worker loads once (the bank, sympy)."""
    _LOADED.append(name)


def _loaded() -> list[str]:
    return list(_LOADED)


def _double(value: int) -> int:
    return 2 * value


def _pid() -> int:
    return os.getpid()


def _stuck(*_: object) -> int:
    return sum(range(10 ** 15))  # a C loop: no signal handler would run before it ends


def _raise() -> None:
    raise ZeroDivisionError("a bug in the request")


def _exit() -> None:
    os._exit(3)


def _fail_to_start() -> None:
    raise OSError("no bank here")


def _note_pid(folder: str, name: str) -> None:
    with open(os.path.join(folder, name), "w") as handle:
        handle.write(str(os.getpid()))


def _signal_parent(pid: int, folder: str) -> None:
    _note_pid(folder, "signaller")
    while not os.path.exists(os.path.join(folder, "stuck")):  # the other worker is at work
        time.sleep(0.01)
    os.kill(pid, signal.SIGINT)
    time.sleep(60)


def _stuck_noted(folder: str) -> int:
    _note_pid(folder, "stuck")
    return _stuck()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:  # a zombie is dead for our purpose
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


class TestContext:
    def test_workers_are_never_forked_from_the_caller(self) -> None:
        """Workers start by forkserver or spawn, never by fork."""
        assert context().get_start_method() in ("forkserver", "spawn")


class TestCall:
    def test_initializer_runs_once_per_worker(self) -> None:
        """The initializer's work is there for every request of the worker."""
        with WorkerPool(1, initializer=_load, initargs=("bank",), spares=0) as pool:
            assert pool.call(_loaded, seconds=60).value == ["bank"]
            assert pool.call(_loaded, seconds=60).value == ["bank"]

    def test_stuck_request_is_stopped_and_the_spare_answers_next(self) -> None:
        """Past its deadline the worker is killed (TIMEOUT); the next request is answered by
        the spare that was started before, and a new spare is started."""
        with WorkerPool(1) as pool:
            pool.start()
            (worker,), (spare,) = pool.pids()
            assert pool.call(_stuck, seconds=0.5).status is Status.TIMEOUT
            assert _gone(worker)
            assert pool.call(_pid, seconds=60).value == spare
            idle, spares = pool.pids()
            assert idle == [spare] and len(spares) == 1 and spares[0] != spare

    def test_raising_request_is_an_error_with_an_incident_and_the_worker_stays(self) -> None:
        """A request that raises gives ERROR, its type and an incident id; the same worker
        answers the next request."""
        with WorkerPool(1, spares=0) as pool:
            first = pool.call(_pid, seconds=60).value
            done = pool.call(_raise, seconds=60)
            assert (done.status, done.detail) == (Status.ERROR, "ZeroDivisionError")
            assert len(done.incident) == 6
            assert pool.call(_pid, seconds=60).value == first

    def test_worker_that_exits_is_gone_and_replaced(self) -> None:
        """A worker ending by itself gives GONE with its exit status; the next request runs."""
        with WorkerPool(1) as pool:
            done = pool.call(_exit, seconds=60)
            assert (done.status, done.detail) == (Status.GONE, "it exited with status 3")
            assert pool.call(_double, 21, seconds=60).value == 42

    def test_initializer_that_fails_makes_the_pool_unavailable(self) -> None:
        """An initializer that raises: UNAVAILABLE, with the incident the worker recorded."""
        with WorkerPool(1, initializer=_fail_to_start, spares=0) as pool:
            done = pool.call(_double, 1, seconds=60)
        assert done.status is Status.UNAVAILABLE and "OSError" in done.detail
        assert len(done.incident) == 6

    def test_closed_pool_leaves_no_process(self) -> None:
        """Closing the pool ends the idle worker and the spare."""
        with WorkerPool(1) as pool:
            pool.start()
            idle, spares = pool.pids()
        assert all(_gone(pid) for pid in idle + spares)


class TestMap:
    def test_every_task_once_and_a_stuck_one_timed_out(self) -> None:
        """200 quick tasks and a stuck one on two workers, two in flight each: the stuck one
        is TIMEOUT, every other is DONE exactly once with its value (those sent to the killed
        worker after it were given back and run elsewhere)."""
        queue = deque(Task(n, _double, (n,), 60.0) for n in range(100))
        queue.append(Task("stuck", _stuck, (), 1.0))
        queue.extend(Task(n, _double, (n,), 60.0) for n in range(100, 200))
        with WorkerPool(2, depth=2) as pool:
            results = list(pool.map(queue))
        assert sorted(str(d.key) for d in results) == sorted([str(n) for n in range(200)]
                                                             + ["stuck"])
        by_key = {d.key: d for d in results}
        assert by_key.pop("stuck").status is Status.TIMEOUT
        assert all(d.status is Status.DONE and d.value == 2 * n for n, d in by_key.items())

    def test_tasks_added_while_reading_are_run(self) -> None:
        """The caller may append to the queue between results (a retry, say)."""
        queue = deque([Task(0, _double, (0,), 60.0)])
        seen = []
        with WorkerPool(1, spares=0) as pool:
            for done in pool.map(queue):
                seen.append(done.value)
                if done.key < 3:
                    queue.append(Task(done.key + 1, _double, (done.key + 1,), 60.0))
        assert seen == [0, 2, 4, 6]

    def test_stop_signal_inside_deferred_stops_the_pool(self, tmp_path) -> None:  # noqa: ANN001
        """SIGINT arriving while ``map`` waits (inside ``deferred``) raises Interrupted from
        the pool's loop, and both workers (one sleeping, one in a C loop) are gone after it."""
        queue = deque([Task("signal", _signal_parent, (os.getpid(), str(tmp_path)), 120.0),
                       Task("stuck", _stuck_noted, (str(tmp_path),), 120.0)])
        with pytest.raises(Interrupted) as stopped, WorkerPool(2, spares=0) as pool:
            with deferred():
                for _ in pool.map(queue):
                    pass
        assert stopped.value.signum == signal.SIGINT
        pids = [int((tmp_path / name).read_text()) for name in ("signaller", "stuck")]
        assert all(_gone(pid) for pid in pids)


class TestSignals:
    def test_deferred_records_and_raises_at_the_end(self) -> None:
        """Inside ``deferred`` a SIGINT does not interrupt the block; it is raised after it."""
        finished = False
        with pytest.raises(Interrupted):
            with deferred():
                signal.raise_signal(signal.SIGINT)
                finished = True
        assert finished

    def test_raise_if_pending_raises_where_it_is_called(self) -> None:
        """The code inside ``deferred`` chooses where a pending signal stops it."""
        steps = []
        with pytest.raises(Interrupted):
            with deferred():
                signal.raise_signal(signal.SIGTERM)
                steps.append("after the signal")
                raise_if_pending()
                steps.append("never")
        assert steps == ["after the signal"]

    def test_sigterm_is_an_interrupt_under_stop_signals(self) -> None:
        """Under ``stop_signals`` SIGTERM raises Interrupted carrying SIGTERM (exit 143)."""
        before = signal.getsignal(signal.SIGTERM)
        with pytest.raises(Interrupted) as stopped:
            with stop_signals():
                signal.raise_signal(signal.SIGTERM)
        assert stopped.value.signum == signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is before  # restored
