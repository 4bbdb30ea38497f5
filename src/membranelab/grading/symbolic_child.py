"""The symbolic worker's side: sympy's equivalence test, in a process that can be stopped.

Run in a worker process of :class:`membranelab.workers.WorkerPool` (see
:mod:`membranelab.grading.symbolic_worker`): :func:`prepare` is the worker's initializer (caps
its address space, imports sympy and warms it up, so none of that is charged to an answer) and
:func:`answer` one request: both trees arrive encoded as nested tuples, so that nothing is
evaluated before the symbols carry the domain's signs.  Before each request the worker raises
its CPU-time soft limit to what it has used plus the request's seconds (the kernel stops it with
SIGXCPU past that), so a computation that runs away ends the process, not the machine.  An
exception sympy raises is recorded as an incident by the worker loop and reported as an error.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_ADDRESS_SPACE_BYTES", "answer", "domain_symbol", "prepare", "symbolic_equal"]

#: Cap on the worker's address space (the worker needs about 200 MB; a runaway exact number more).
MAX_ADDRESS_SPACE_BYTES = 1 << 30
_KINDS = {"positive": {"positive": True}, "negative": {"negative": True}, "real": {"real": True}}


def domain_symbol(name: str, kind: str) -> Any:
    """The sympy Symbol with the sign assumptions the sampling interval guarantees."""
    import sympy

    return sympy.Symbol(name, **_KINDS[kind])


def symbolic_equal(student: Any, reference: Any) -> bool | None:
    """sympy's verdict: True, False or None when it cannot decide."""
    import sympy

    if sympy.simplify(student - reference) == 0:
        return True
    verdict: bool | None = student.equals(reference)
    return verdict


def _rebuild(tree: Any, table: dict[str, Any]) -> Any:
    """A tree encoded by ``symbolic_worker.encode`` -> sympy, with the domain's symbols at the
    leaves (sympy evaluates each node as it is built: here, under the time limit)."""
    if isinstance(tree, tuple):
        if tree[0] == "symbol":
            return table[tree[1]]
        func, args = tree[1], tree[2]
        return func(*(_rebuild(arg, table) for arg in args))
    return tree


def _decide(student: Any, reference: Any, signs: tuple[tuple[str, str], ...]) -> bool | None:
    """Rebuild both trees under the domain's sign assumptions, then decide."""
    table = {name: domain_symbol(name, kind) for name, kind in signs}
    return symbolic_equal(_rebuild(student, table), _rebuild(reference, table))


def _limit_cpu(resource: Any, seconds: float) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    soft = int(spent + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def prepare() -> None:
    """Worker initializer: cap the address space, import sympy, warm up its lazy imports."""
    import resource

    import sympy

    try:
        resource.setrlimit(resource.RLIMIT_AS, (MAX_ADDRESS_SPACE_BYTES, MAX_ADDRESS_SPACE_BYTES))
    except (ValueError, OSError):
        pass  # a lower hard limit is already in place
    # sympy's lazy imports take seconds on a cold start: not charged to a student's answer
    a, b = sympy.symbols("a b", positive=True)
    symbolic_equal(sympy.log(a / b) + sympy.exp(a) ** 2, sympy.log(a) - sympy.log(b)
                   + sympy.exp(2 * a))


def answer(student: Any, reference: Any, signs: tuple[tuple[str, str], ...],
           cpu_seconds: float) -> bool | None:
    """One request: sympy's verdict on the two encoded trees, within ``cpu_seconds`` of CPU."""
    import resource

    _limit_cpu(resource, cpu_seconds)
    return _decide(student, reference, signs)
