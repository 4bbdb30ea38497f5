"""CPU seconds of a process tree, read from Linux ``/proc`` (for the server benchmarks).

A process's CPU is its ``utime + stime``; when a child ends and its parent reaps it, the child's
CPU (and that of its own reaped children) moves into the parent's ``cutime + cstime``.  So the
CPU a tree has used is the sum, over the processes alive now, of all four fields: a uvicorn
worker killed and reaped by its supervisor, or a PostgreSQL backend whose connection closed, is
still counted.  Measured twice, the difference is what the tree used in between.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["children", "connections", "tree_cpu_seconds"]


def _stats() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, utime + stime + cutime + cstime in seconds) of every process."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / tick)
    return out


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    return [p for p, (parent, _) in _stats().items() if parent == pid]


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and every process under it (NaN when it is gone)."""
    stats = _stats()
    if pid not in stats:
        return float("nan")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats[current][1]
        todo.extend(p for p, (parent, _) in stats.items() if parent == current)
    return total


def connections(pid: int, port: int) -> int:
    """How many established TCP connections to local ``port`` process ``pid`` holds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    held = 0
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                held += os.readlink(fd) in inodes
            except OSError:
                continue
    except OSError:
        return 0
    return held
