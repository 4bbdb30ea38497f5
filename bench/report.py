"""Benchmark: the class report of a 300-student, 20-part class.

    .venv/bin/python bench/report.py [--students 300] [--parts 20] [--lang en|zh]

Writes a grades CSV shaped like ``membranelab grade``'s (20 parts of real bank problems, choice
parts answered with their choices' text or letters, named mistakes, unreadable answers, blanks
and resubmissions), then times, in the same run:

* the baseline: reading the CSV alone (``read_grades_csv`` without the bank);
* the report: ``run_report`` end to end, as ``membranelab report`` runs it (open the bank, read
  with choices resolved, analyse, import matplotlib and draw the three figures, write HTML, JSON
  and CSV).  The CSV is made in a child process, so the timed process loads the bank and
  matplotlib itself, as the command does (only the interpreter's start is not counted).

Prints wall-clock and CPU seconds (``time.process_time``: less sensitive to other processes on
a shared machine) for each, and their ratio.  Target: the report in under 5 s of wall-clock time
(exit 1 otherwise; on a loaded machine compare the CPU time and the ratio).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from membranelab.app.commands.report import run_report
from membranelab.report.read_csv import read_grades_csv
from membranelab.service.problems import open_bank

TARGET_SECONDS = 5.0
HEADER = ["student", "assignment", "problem", "part", "answer", "score", "points", "correct",
          "note", "feedback", "expected"]
MISTAKES = ("mistake.log10", "mistake.swapped_in_out", "mistake.celsius_as_kelvin",
            "mistake.valence_sign")


def _parts(bank, count: int) -> list[tuple[str, object]]:
    parts = [(p.id, part) for p in bank.problems.values() for part in p.parts]
    choices = [x for x in parts if x[1].kind == "choice"][: count // 4]
    others = [x for x in parts if x[1].kind != "choice"][: count - len(choices)]
    return others + choices


def make_grades(path: Path, students: int, parts: int, seed: int = 1) -> int:
    """Write a grades CSV; returns its number of rows."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--parts", type=int, default=20)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--make", metavar="CSV", help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.make:
        print(make_grades(Path(args.make), args.students, args.parts))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        grades = Path(tmp) / "grades.csv"
        child = subprocess.run([sys.executable, __file__, "--make", str(grades), "--students",
                                str(args.students), "--parts", str(args.parts)],
                               capture_output=True, text=True, check=True)
        rows = int(child.stdout.split()[-1])
        wall, cpu = time.perf_counter(), time.process_time()
        records = read_grades_csv(grades)
        base_wall, base_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        run_report(str(grades), Path(tmp) / "report", lang=args.lang)
        seconds, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = (Path(tmp) / "report" / "report.html").stat().st_size
    print(f"{args.students} students x {args.parts} parts ({rows} rows, {len(records)} records), "
          f"lang {args.lang}")
    print(f"baseline (read the CSV alone): {base_wall:.3f} s wall, {base_cpu:.3f} s CPU")
    print(f"report (bank, read, analyse, 3 figures, HTML {size / 1e6:.2f} MB, JSON, CSV): "
          f"{seconds:.3f} s wall = {seconds / base_wall:.1f} x baseline; {cpu:.3f} s CPU = "
          f"{cpu / base_cpu:.1f} x baseline")
    ok = seconds < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:g} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
