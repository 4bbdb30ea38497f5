"""Benchmark of ``membranelab check`` (run on demand, not in pytest).

    .venv/bin/python bench/check.py [--variants N] [--jobs J]

Times the whole bank's check at N variants per problem (default 2,000) in J worker processes
(default 2), both wall and CPU time (this process and its workers), and, as a baseline measured
in the same run, the time to build the same variants alone (parameters drawn, every value
computed; no invariants, mistakes or acceptance draws): the ratio is what the checks cost on top
of sampling. Wall time depends on what else the machine runs; CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import time

from membranelab.bank import load_bank
from membranelab.bank.check import ASSIGNMENT, check_bank, student_id
from membranelab.bank.model import make_variant


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    bank = load_bank()
    n = args.variants

    wall, cpu = time.perf_counter(), _cpu()
    for problem in bank:
        for i in range(n):
            make_variant(problem, student_id(i), ASSIGNMENT)
    base_wall, base_cpu = time.perf_counter() - wall, _cpu() - cpu

    wall, cpu = time.perf_counter(), _cpu()
    reports = check_bank(bank, n, jobs=args.jobs)
    check_wall, check_cpu = time.perf_counter() - wall, _cpu() - cpu
    errors = sum(len(r.errors) for r in reports)

    print(f"{len(bank)} problems x {n} variants, {args.jobs} jobs, {os.cpu_count()} CPUs")
    print(f"  variants only (baseline, 1 process): wall {base_wall:6.1f} s   CPU {base_cpu:6.1f} s")
    print(f"  membranelab check:                    wall {check_wall:6.1f} s   CPU {check_cpu:6.1f} s"
          f"   ({errors} errors)")
    print(f"  ratio check / baseline CPU: {check_cpu / base_cpu:.2f}; CPU per core: "
          f"{check_cpu / args.jobs:.1f} s (the wall time on {args.jobs} idle cores)")
    slowest = sorted(reports, key=lambda r: -r.seconds)[:3]
    print("  slowest: " + ", ".join(f"{r.problem} {r.seconds:.1f} s" for r in slowest))


if __name__ == "__main__":
    main()
