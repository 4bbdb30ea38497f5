"""The symbolic worker's program: sympy's equivalence test, in a process that can be stopped.

Started by :mod:`membranelab.grading.symbolic_worker` as ``python -c BOOT THIS_FILE``; it imports
only the standard library and sympy (never the package, so it starts in a fraction of a second).

Protocol on its standard input and output (the original fd 1; ``print`` goes to stderr): every
message is a 4-byte big-endian length then a pickle.  The worker first writes ``"ready"``; then
for each request ``(student, reference, signs, cpu_seconds)`` (both trees encoded as nested
tuples, so that nothing is evaluated before the symbols carry the domain's signs) it writes ``("ok", True | False |
None)`` or ``("error", exception type name)``.  Before each request it raises its CPU-time soft
limit to what it has used plus ``cpu_seconds`` (the kernel stops it with SIGXCPU past that), and
its address space is capped, so a computation that runs away ends the process, not the machine.
It exits when its input closes or its parent process is gone.
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
import time
import traceback
from typing import Any

__all__ = ["MAX_ADDRESS_SPACE_BYTES", "domain_symbol", "serve", "symbolic_equal"]

#: Cap on the worker's address space (sympy needs about 60 MB; a runaway exact number more).
MAX_ADDRESS_SPACE_BYTES = 1 << 30
_HEADER = struct.Struct(">I")
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
    return student.equals(reference)


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


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _send(fd: int, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    os.write(fd, _HEADER.pack(len(data)) + data)


def _watch_parent(parent: int) -> None:
    """Exit as soon as the process that started this one is gone (even mid-computation)."""
    while True:
        time.sleep(0.25)
        if os.getppid() != parent:
            os._exit(0)


def _limit_cpu(resource: Any, seconds: float) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    soft = int(spent + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def serve() -> None:
    """Answer requests until the input closes or the parent process is gone."""
    import resource

    parent = os.getppid()
    out = os.dup(1)
    os.dup2(2, 1)  # a stray print must not corrupt the protocol
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MAX_ADDRESS_SPACE_BYTES, MAX_ADDRESS_SPACE_BYTES))
    except (ValueError, OSError):
        pass  # a lower hard limit is already in place
    import sympy

    # sympy's lazy imports take seconds on a cold start: not charged to a student's answer
    a, b = sympy.symbols("a b", positive=True)
    symbolic_equal(sympy.log(a / b) + sympy.exp(a) ** 2, sympy.log(a) - sympy.log(b)
                   + sympy.exp(2 * a))
    _send(out, "ready")
    while True:
        header = _read_exact(0, _HEADER.size)
        if header is None:
            return
        payload = _read_exact(0, _HEADER.unpack(header)[0])
        if payload is None:
            return
        try:
            student, reference, signs, cpu_seconds = pickle.loads(payload)
            _limit_cpu(resource, cpu_seconds)
            reply: tuple[str, Any] = ("ok", _decide(student, reference, signs))
        except Exception as error:  # noqa: BLE001 - sympy raises many kinds: report, go on
            reply = ("error", (type(error).__name__, traceback.format_exc()))
        _send(out, reply)


if __name__ == "__main__":
    serve()
