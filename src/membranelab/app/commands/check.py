"""``membranelab check``: run :mod:`membranelab.bank.check` over the bank and report.

One line per problem (variants, acceptance rate, distinct variants, time), then each finding with
the command that reproduces it; released assignments whose variants drifted are warnings.
Exit code 0 when there is no error (warnings allowed), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from membranelab.app.errors import CliError
from membranelab.app.problems import open_bank, select_problems

if TYPE_CHECKING:
    from membranelab.bank import Bank
    from membranelab.bank.check import Finding

__all__ = ["EXIT_FAILED", "TEMPLATES", "run", "run_check"]

#: Exit code when the bank fails a check.
EXIT_FAILED = 1

#: The sentences this command prints (named parameters; one place, for the message catalog).
TEMPLATES = {
    "problem": "{mark} {problem:<24} {acceptance:6.1%} of draws accepted, ~{distinct:,} "
               "distinct variants, {seconds:.1f} s",
    "finding": "  {level} {where} ({check}): {message}",
    "reproduce": "      reproduce: membranelab show {problem} --student {student} --assignment check",
    "drift": "  warning {problem} (released in {assignment}): its variants changed since release "
             "(fingerprint {recorded} -> {current}); students would get new numbers",
    "summary": "{problems} problems, {variants:,} variants each: {errors} error(s), "
               "{warnings} warning(s) in {seconds:.1f} s",
}


def _where(f: Finding) -> str:
    return f"{f.problem}" + (f" part {f.part}" if f.part else "")


def run_check(bank: Bank, out: Console, *, ids: list[str] | None, variants: int, jobs: int | None,
              course_dir: str | None, as_json: bool = False, fingerprints: bool = False) -> int:
    """Check the bank (or ``ids``); print the report; return the exit code."""
    from membranelab.bank.check import check_bank
    from membranelab.bank.drift import fingerprint, released_drift

    problems = select_problems(bank, None, ids)
    if fingerprints:
        out.print("released:", highlight=False)
        for p in problems:
            out.print(f"  {p.id}: {fingerprint(p)}", highlight=False)
        return 0
    if variants < 1:
        raise CliError("check.variants_at_least_one", variants=variants)
    jobs = jobs or min(len(problems), os.cpu_count() or 1)
    start = time.perf_counter()
    reports = check_bank(bank, variants, jobs=jobs, ids=[p.id for p in problems])
    seconds = time.perf_counter() - start
    assignments = Path(course_dir or "course") / "assignments.yaml"
    drift = released_drift(assignments, bank.problems) if assignments.is_file() else []
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports) + len(drift)
    if as_json:
        out.print_json(json.dumps({
            "variants": variants, "seconds": round(seconds, 2), "errors": errors,
            "warnings": warnings,
            "problems": [{"problem": r.problem, "acceptance": r.acceptance,
                          "distinct": r.distinct, "seconds": round(r.seconds, 2),
                          "findings": [f.__dict__ for f in r.findings]} for r in reports],
            "drift": [d.__dict__ for d in drift]}))
        return EXIT_FAILED if errors else 0
    for r in reports:
        mark = "[red]✗[/]" if r.errors else ("[yellow]![/]" if r.warnings else "[green]✓[/]")
        out.print(TEMPLATES["problem"].format(mark=mark, problem=r.problem,
                                              acceptance=r.acceptance, distinct=r.distinct,
                                              seconds=r.seconds), highlight=False)
        for f in r.findings:
            level = "[red]error[/]" if f.level == "error" else "[yellow]warning[/]"
            out.print(TEMPLATES["finding"].format(level=level, where=escape(_where(f)),
                                                  check=f.check, message=escape(f.message)),
                      highlight=False)
            if f.student and f.student != "canonical":
                out.print(TEMPLATES["reproduce"].format(problem=f.problem, student=f.student),
                          highlight=False)
    for d in drift:
        out.print(TEMPLATES["drift"].format(problem=d.problem, assignment=d.assignment,
                                            recorded=d.recorded, current=d.current or "gone"),
                  highlight=False)
    out.print(TEMPLATES["summary"].format(problems=len(reports), variants=variants,
                                          errors=errors, warnings=warnings, seconds=seconds),
              highlight=False)
    return EXIT_FAILED if errors else 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab check [ID ...] [--variants N] [-j J] [--json] [--fingerprints]``."""
    return run_check(open_bank(args.bank), out, ids=args.ids or None, variants=args.variants,
                     jobs=args.jobs, course_dir=args.course_dir, as_json=args.json,
                     fingerprints=args.fingerprints)
