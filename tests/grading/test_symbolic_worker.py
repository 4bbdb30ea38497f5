"""The sympy fallback's worker process: limits, restarts, lifetime (issue 9)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from membranelab.grading import symbolic_worker
from membranelab.grading.parse import ParseSuccess, parse_expression

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
def test_overrun_kills_and_replaces_the_worker() -> None:
    """Past the limit the worker is killed; the next request is answered by a fresh one."""
    assert symbolic_worker.start()
    before = {w.process.pid for w in symbolic_worker._pool().idle}
    start = time.perf_counter()
    outcome = symbolic_worker.decide(expr(SLOW[0]), expr(SLOW[1]), SIGNS, 0.3)
    assert outcome.status == "timeout"
    assert time.perf_counter() - start < 5.0
    again = symbolic_worker.decide(expr("x*y"), expr("y*x"), SIGNS, 10.0)
    assert (again.status, again.value) == ("done", True)
    after = {w.process.pid for w in symbolic_worker._pool().idle}
    assert len(before - after) == 1 and len(after) == len(before)  # the one that ran: replaced


@pytest.mark.slow
def test_cpu_limit_stops_the_child_by_itself() -> None:
    """The child's own CPU limit (RLIMIT_CPU) ends a runaway computation even when the parent
    waits far longer."""
    worker = symbolic_worker._Worker()
    try:
        worker.wait_ready()
        request = (symbolic_worker.encode(expr(SLOW[0])), symbolic_worker.encode(expr(SLOW[1])),
                   SIGNS, 1.0)
        start = time.perf_counter()
        with pytest.raises(EOFError):
            worker.ask(request, 60.0)
        assert time.perf_counter() - start < 30.0
    finally:
        worker.close(kill=True)


def test_worker_exits_with_its_parent(tmp_path) -> None:  # noqa: ANN001
    """Killing the process that started a worker (SIGKILL: no clean-up) ends the worker."""
    script = textwrap.dedent("""
        import sys, time
        from membranelab.grading import symbolic_worker
        assert symbolic_worker.start()
        print(symbolic_worker._pool().idle[0].process.pid, flush=True)
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert _alive(child)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def test_numeric_path_starts_no_worker() -> None:
    """Answers the numeric test decides never start a worker process (no cost for them)."""
    script = ("from membranelab.grading import check_formula, symbolic_worker\n"
              "assert check_formula('R T/F', 'T*R/F', ['R', 'T', 'F']).correct\n"
              "assert not check_formula('R/F', 'T*R/F', ['R', 'T', 'F']).correct\n"
              "print(symbolic_worker._POOL)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "None"


def test_encode_does_not_evaluate() -> None:
    """The request carries the tree as built: x^2/x stays a power over a power, unevaluated."""
    tree = symbolic_worker.encode(expr("x^2/x"))
    assert tree[0] == "node" and tree[1].__name__ == "Mul"
    assert [arg[1].__name__ for arg in tree[2]] == ["Pow", "Pow"]
