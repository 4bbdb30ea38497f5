"""Benchmark: grade 10,000 answers from a CSV with 1 core and with every core.

    .venv/bin/python bench/batch.py [--rows 10000] [--jobs N]

The answers are mixed like a real class export: right and wrong numbers (with the typical
mistakes of each part), formulas right and wrong, choices, and hostile inputs.  Prints answers
per second for each run and checks that both runs wrote the same grades file.
Target: 10,000 answers in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from membranelab.app.batch.pipeline import grade_file
from membranelab.service.problems import open_bank, variant_for

HOSTILE = (
    "__import__('os').system('rm -rf /')",
    "9**9**9**9",
    "lambda: 0",
    "x" * 5000,
    "exp(exp(exp(exp(1000))))",
    "'; DROP TABLE grades; --",
    "open('/etc/passwd').read()",
    "1e999999 mV",
)
WRONG_FORMULAS = ("R*T/F*log(c_out/c_in)", "R*T/(z*F)*ln(c_in/c_out)", "R*T*ln(c_out/c_in)",
                  "z*F/(R*T)")


def make_answers(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` answers (student, assignment, problem, part, answer) to ``path``."""
    rng = random.Random(seed)
    bank = open_bank()
    problems = list(bank.problems.values())
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["student", "assignment", "problem", "part", "answer"])
        student = 0
        while written < rows:
            name, assignment = f"s{student:05d}", rng.choice(("hw1", "hw2"))
            student += 1
            for problem in problems:
                variant = variant_for(problem, name, assignment)
                answers = variant.answers()
                for part in problem.parts:
                    if written >= rows:
                        break
                    right = answers[part.id].text
                    unit = part.answer_kind.unit or ""
                    roll = rng.random()
                    if roll < 0.08:
                        text = rng.choice(HOSTILE)
                    elif part.kind == "numeric":
                        mistakes = variant.mistake_values(part.id)
                        if roll < 0.55:
                            text = f"{right} {unit}".strip()
                        elif roll < 0.75 and mistakes:
                            text = f"{rng.choice(list(mistakes.values())):.4g} {unit}"
                        elif roll < 0.85:
                            text = right  # unit missing
                        else:
                            text = f"{rng.uniform(-120, 60):.3g} {unit}"
                    elif part.kind == "symbolic":
                        text = right if roll < 0.6 else rng.choice(WRONG_FORMULAS)
                    else:
                        choices = list(part.answer_kind.options) or [right]
                        text = right if roll < 0.6 else rng.choice(choices)
                    out.writerow([name, assignment, problem.id, part.id, text])
                    written += 1


def run(answers: Path, output: Path, jobs: int) -> tuple[float, int]:
    """Grade once from scratch; (seconds, rows graded)."""
    for stale in (output, output.with_name(output.name + ".partial")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    report = grade_file(answers, output, jobs=jobs, progress=False, warn=lambda _line: None)
    return time.perf_counter() - started, report.graded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="answers to grade")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cores for run 2")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers.csv"
        make_answers(answers, args.rows)
        print(f"{args.rows} answers, {len(open_bank().problems)} problems, "
              f"{os.cpu_count()} cores on this machine, Python {sys.version.split()[0]}")
        outputs, rates = {}, {}
        for jobs in dict.fromkeys((1, args.jobs)):
            output = Path(tmp) / f"grades-{jobs}.csv"
            seconds, graded = run(answers, output, jobs)
            outputs[jobs], rates[jobs] = output.read_bytes(), graded / seconds
            ratio = f"  ({rates[jobs] / rates[1]:.2f}x the 1-core baseline)" if jobs > 1 else ""
            print(f"  -j {jobs}: {graded} answers in {seconds:6.2f} s = "
                  f"{rates[jobs]:8.1f} answers/s{ratio}")
        best = args.rows / max(rates.values())
        print(f"  target 10,000 answers in < 60 s on 2 cores: "
              f"{'met' if best * 10_000 / args.rows < 60 else 'NOT met'} "
              f"({best:.1f} s for {args.rows})")
        same = len(set(outputs.values())) == 1
        print(f"  outputs identical across runs: {same}")
        if not same:
            first, *others = (o.decode().splitlines() for o in outputs.values())
            for other in others:
                for line, (a, b) in enumerate(zip(first, other, strict=True), start=1):
                    if a != b:
                        print(f"  line {line} differs:\n    {a}\n    {b}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
