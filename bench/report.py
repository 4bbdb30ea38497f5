"""Benchmark: the class report of a 300-student, 20-part class, as a user runs it.

    .venv/bin/python bench/report.py [--students 300] [--parts 20] [--lang en|zh] [--repeat 3]
    .venv/bin/python bench/report.py --phases        # where the time goes, step by step

Writes a grades CSV shaped like ``membranelab grade``'s (20 parts of real bank problems, choice
parts answered with their choices' text or letters, named mistakes, unreadable answers, blanks
and resubmissions), then runs, ``--repeat`` times each and alternating, in fresh processes:

* the baseline: an interpreter that imports numpy and reads the CSV with the csv module (the
  least any report of this file does);
* the report: ``python -m membranelab report grades.csv -o DIR`` (interpreter start, imports,
  the bank opened for the choice parts, read, analyse, the figures drawn (in a worker process
  when a core is free: ``membranelab.report.drawing.spare_core``), HTML, JSON and CSV written).

For each it prints the median wall-clock and CPU seconds (CPU of the process and of every
process it started, the figure worker included: this process is their subreaper) and the
ratios report / baseline, with the load average before and after: on a shared machine wall
time is CPU time times how many processes share a core, so compare the CPU time and the ratio
when the load is high.  Target: the report in under 5 s of wall-clock time (exit 1 otherwise).

``--phases`` runs the report's steps one after another in one fresh process and prints the CPU
and wall seconds of each (imports, bank, read, analyse, matplotlib, figures, page).
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0
HEADER = ["student", "assignment", "problem", "part", "answer", "score", "points", "correct",
          "note", "feedback", "expected"]
MISTAKES = ("mistake.log10", "mistake.swapped_in_out", "mistake.celsius_as_kelvin",
            "mistake.valence_sign")
#: Seconds any one run may take before the bench gives up (a hang detector).
RUN_TIMEOUT = 600
_PR_SET_CHILD_SUBREAPER = 36

BASELINE = "import csv, sys, numpy\nwith open(sys.argv[1], newline='') as f: list(csv.reader(f))"


def _parts(bank, count: int) -> list[tuple[str, object]]:
    parts = [(p.id, part) for p in bank.problems.values() for part in p.parts]
    choices = [x for x in parts if x[1].kind == "choice"][: count // 4]
    others = [x for x in parts if x[1].kind != "choice"][: count - len(choices)]
    return others + choices


def make_grades(path: Path, students: int, parts: int, seed: int = 1) -> int:
    """Write a grades CSV; returns its number of rows."""
    from membranelab.service.problems import open_bank

    rng = random.Random(seed)
    chosen = _parts(open_bank(), parts)
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for s in range(students):
            ability = rng.gauss(0, 1)
            for problem, part in chosen:
                difficulty = rng.gauss(0, 1)
                right = rng.random() < 1 / (1 + 2.718 ** (difficulty - ability))
                points = part.points
                if part.kind == "choice":
                    options = part.answer_kind.options
                    answer = options[0] if right else rng.choice(options[1:] + ("zzz",))
                    if rng.random() < 0.2:
                        answer = "abc"[options.index(answer)] if answer in options else answer
                    note = "correct" if right else ("choice.invalid" if answer == "zzz"
                                                    else "choice.wrong")
                else:
                    answer = "1.0" if right else rng.choice(("2.0", "banana", "", "3.0"))
                    note = ("correct" if right else "parse.error" if answer == "banana"
                            else "missing" if not answer else rng.choice(MISTAKES))
                if not right and rng.random() < 0.1:  # a resubmission that supersedes it
                    out.writerow([f"s{s:04d}", "hw1", problem, part.id, answer, "0", "0",
                                  "false", "row.superseded", "", ""])
                    rows += 1
                out.writerow([f"s{s:04d}", "hw1", problem, part.id, answer,
                              f"{points if right else 0:g}", f"{points:g}",
                              "true" if right else "false", note, "", ""])
                rows += 1
    return rows


def _become_subreaper() -> None:
    """Orphans of the runs (the fork server of the figure worker) become this process's
    children, so their CPU time is counted when they are reaped."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("note: not a subreaper; the figure worker's CPU time is not counted")


def _reap_orphans(seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def _run(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``command`` and of every process it started."""
    before = os.times()
    wall = time.perf_counter()
    subprocess.run(command, check=True, timeout=RUN_TIMEOUT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - wall
    _reap_orphans()
    after = os.times()
    return seconds, (after.children_user - before.children_user
                     + after.children_system - before.children_system)


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


PHASES = '''
import sys, time
t, c = time.perf_counter(), time.process_time()
def lap(name):
    global t, c
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"  {name:44s} {c2 - c:6.3f} s CPU {t2 - t:6.3f} s wall"); t, c = t2, c2
from membranelab.report import analyse, read_source
from membranelab.report.from_service import with_choices
lap("import membranelab.report (numpy)")
import membranelab.service.stored; lap("import the grading service (pint; sympy only on need)")
records = read_source(sys.argv[1]); lap("read the CSV into verdicts and records")
report = analyse(records); lap("analyse")
from membranelab.service.problems import open_bank
bank = open_bank(); lap("load the bank")
from membranelab.report.choices import bank_choice_of
report = analyse(with_choices(records, bank_choice_of(bank, sys.argv[2]))); lap("choices, analyse again")
import matplotlib.figure, matplotlib.backends.backend_agg; lap("import matplotlib")
from membranelab.report.figures import draw_all
figures = draw_all(report.assignments, sys.argv[2]); lap("draw the figures (first time: fonts)")
from membranelab.report.render import html_page
html_page(report, figures, source="x", lang=sys.argv[2]); lap("HTML page")
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--parts", type=int, default=20)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="time each step in one process")
    parser.add_argument("--make", metavar="CSV", help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.make:
        print(make_grades(Path(args.make), args.students, args.parts))
        return 0
    _become_subreaper()
    with tempfile.TemporaryDirectory() as tmp:
        grades = Path(tmp) / "grades.csv"
        child = subprocess.run([sys.executable, __file__, "--make", str(grades), "--students",
                                str(args.students), "--parts", str(args.parts)],
                               capture_output=True, text=True, check=True, timeout=RUN_TIMEOUT)
        rows = int(child.stdout.split()[-1])
        print(f"{args.students} students x {args.parts} parts ({rows} rows), lang {args.lang}")
        if args.phases:
            print(_load())
            subprocess.run([sys.executable, "-c", PHASES, str(grades), args.lang], check=True,
                           timeout=RUN_TIMEOUT)
            print(_load())
            return 0
        print(f"before: {_load()}")
        base, report = [], []
        for i in range(args.repeat):
            base.append(_run([sys.executable, "-c", BASELINE, str(grades)]))
            report.append(_run([sys.executable, "-m", "membranelab", "report", str(grades),
                                "-o", str(Path(tmp) / f"report{i}"), "--lang", args.lang]))
        size = (Path(tmp) / "report0" / "report.html").stat().st_size
    print(f"after:  {_load()}")
    b_wall, b_cpu = (statistics.median(x) for x in zip(*base, strict=True))
    wall, cpu = (statistics.median(x) for x in zip(*report, strict=True))
    print(f"baseline (fresh python, numpy, csv.reader), median of {args.repeat}: "
          f"{b_wall:.3f} s wall, {b_cpu:.3f} s CPU")
    print(f"membranelab report (HTML {size / 1e6:.2f} MB, JSON, CSV), median of {args.repeat}: "
          f"{wall:.3f} s wall = {wall / b_wall:.1f} x baseline; {cpu:.3f} s CPU = "
          f"{cpu / b_cpu:.1f} x baseline")
    print("runs (wall, CPU): " + "; ".join(f"{w:.2f}, {c:.2f}" for w, c in report))
    ok = wall < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:g} s wall: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
