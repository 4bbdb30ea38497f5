"""The sympy fallback's worker processes: limits, the warm spare, lifetime (issues 9, 20)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from membranelab.grading import symbolic_child, symbolic_worker
from membranelab.grading.parse import ParseSuccess, parse_expression
from membranelab.workers import Status, WorkerPool

#: Equivalent, but sympy needs more than 20 s for it (see test_equivalence).
SLOW = ("ln(x-10)*(x+y)^999*(x-y)^999", "ln(x-10)*(x^2-y^2)^999")
SIGNS = (("x", "positive"), ("y", "positive"))


def expr(text: str) -> object:
    parsed = parse_expression(text, ["x", "y"])
    assert isinstance(parsed, ParseSuccess)
    return parsed.expr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as handle:  # a zombie is dead for our purpose
        return handle.read().split(") ")[1][0] != "Z"


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_symbolic_pool")
def test_overrun_kills_the_worker_and_the_warm_spare_answers_next() -> None:
    """Past the limit the worker is killed; the next request is answered by the spare that was
    started before the overrun (no request waits for a process to start)."""
    assert symbolic_worker.start()
    (worker,), (spare,) = symbolic_worker._pool().pids()
    outcome = symbolic_worker.decide(expr(SLOW[0]), expr(SLOW[1]), SIGNS, 0.3)
    assert outcome.status is symbolic_worker.Decision.TIMEOUT
    assert not _alive(worker)
    again = symbolic_worker.decide(expr("x*y"), expr("y*x"), SIGNS, 10.0)
    assert (again.status, again.value) == ("done", True)
    idle, spares = symbolic_worker._pool().pids()
    assert idle == [spare]  # the answer came from the spare
    assert len(spares) == 1 and spares[0] not in (worker, spare)  # and a new spare is warming


@pytest.mark.slow
def test_cpu_limit_stops_the_child_by_itself() -> None:
    """The worker's own CPU limit (RLIMIT_CPU) ends a runaway computation even when the parent
    waits far longer."""
    request = (symbolic_worker.encode(expr(SLOW[0])), symbolic_worker.encode(expr(SLOW[1])),
               SIGNS, 1.0)
    with WorkerPool(1, initializer=symbolic_child.prepare, spares=0) as pool:
        done = pool.call(symbolic_child.answer, *request, seconds=120.0)
    assert done.status is Status.GONE and "SIGXCPU" in done.detail, done


def test_worker_exits_with_its_parent(tmp_path) -> None:  # noqa: ANN001
    """Killing the process that started the workers (SIGKILL: no clean-up) ends them, the one
    at work and the spare."""
    script = textwrap.dedent("""
        import sys, time
        from membranelab.grading import symbolic_child, symbolic_worker
        assert symbolic_worker.start()
        idle, spares = symbolic_worker._pool().pids()
        print(*idle, *spares, flush=True)
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        children = [int(pid) for pid in parent.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(children) == 2 and all(_alive(child) for child in children)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 30  # a hang detector, not a speed claim
    while any(_alive(child) for child in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(child) for child in children)


def test_numeric_path_starts_no_worker() -> None:
    """Answers the numeric test decides never start a worker process (no cost for them)."""
    script = ("from membranelab.grading import check_formula, symbolic_worker\n"
              "assert check_formula('R T/F', 'T*R/F', ['R', 'T', 'F']).correct\n"
              "assert not check_formula('R/F', 'T*R/F', ['R', 'T', 'F']).correct\n"
              "print(symbolic_worker._POOL)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=600, check=True)
    assert result.stdout.strip() == "None"


def test_encode_does_not_evaluate() -> None:
    """The request carries the tree as built: x^2/x stays a power over a power, unevaluated."""
    tree = symbolic_worker.encode(expr("x^2/x"))
    assert tree[0] == "node" and tree[1].__name__ == "Mul"
    assert [arg[1].__name__ for arg in tree[2]] == ["Pow", "Pow"]
