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

from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.service.problems import open_bank, select_problems

if TYPE_CHECKING:
    from membranelab.bank import Bank
    from membranelab.bank.check import Finding

__all__ = ["EXIT_FAILED", "run", "run_check"]

#: Exit code when the bank fails a check.
EXIT_FAILED = 1

def _where(f: Finding, lang: str) -> str:
    return gettext("check.where_part", lang, problem=f.problem, part=f.part) if f.part \
        else f.problem


def run_check(bank: Bank, out: Console, *, ids: list[str] | None, variants: int, jobs: int | None,
              course_dir: str | None, as_json: bool = False, fingerprints: bool = False,
              lang: str = "en", boundary: int | None = None) -> int:
    """Check the bank (or ``ids``); print the report; return the exit code."""
    from membranelab.bank.check import check_bank
    from membranelab.bank.drift import fingerprint, released_drift

    problems = select_problems(bank, None, ids)
    if fingerprints:
        out.print(gettext("check.released", lang), highlight=False)
        for p in problems:
            out.print(f"  {p.id}: {fingerprint(p)}", highlight=False)
        return 0
    if variants < 1:
        raise CliError("check.variants_at_least_one", variants=variants)
    jobs = jobs or min(len(problems), os.cpu_count() or 1)
    start = time.perf_counter()
    from membranelab.bank.boundary import MAX_BOUNDARY

    if boundary is not None and boundary < 0:
        raise CliError("check.boundary_at_least_zero", boundary=boundary)
    reports = check_bank(bank, variants, jobs=jobs, ids=[p.id for p in problems],
                         boundary=MAX_BOUNDARY if boundary is None else boundary)
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
                          "boundary": r.boundary.__dict__ if r.boundary else None,
                          "findings": [f.__dict__ for f in r.findings]} for r in reports],
            "drift": [d.__dict__ for d in drift]}))
        return EXIT_FAILED if errors else 0
    for r in reports:
        mark = "[red]✗[/]" if r.errors else ("[yellow]![/]" if r.warnings else "[green]✓[/]")
        out.print(f"{mark} " + escape(gettext(
            "check.problem_line", lang, problem=f"{r.problem:<24}",
            acceptance=f"{r.acceptance:6.1%}", distinct=f"{r.distinct:,}",
            seconds=f"{r.seconds:.1f}")), highlight=False)
        if r.boundary is not None:
            b = r.boundary
            how = gettext("check.boundary_all" if b.complete else "check.boundary_some", lang)
            out.print(escape(gettext(
                "check.boundary", lang, corners=f"{b.corners:,}",
                corners_total=f"{b.corners_total:,}", edges=f"{b.edges:,}",
                edges_total=f"{b.edges_total:,}", how=how, outside=f"{b.outside:,}")),
                highlight=False)
        for f in r.findings:
            level = ("[red]" + escape(gettext("check.error", lang)) + "[/]" if f.level == "error"
                     else "[yellow]" + escape(gettext("check.warning", lang)) + "[/]")
            out.print(f"  {level} " + escape(gettext("check.finding", lang, where=_where(f, lang),
                                                      check=f.check, message=f.message)),
                      highlight=False)
            if f.student and f.student != "canonical":
                out.print(escape(gettext("check.reproduce", lang, problem=f.problem,
                                         student=f.student)), highlight=False)
    for d in drift:
        out.print(escape(gettext("check.drift", lang, problem=d.problem, assignment=d.assignment,
                                 recorded=d.recorded, current=d.current or "-")),
                  highlight=False)
    out.print(escape(gettext("check.summary", lang, problems=len(reports),
                             variants=f"{variants:,}", errors=errors, warnings=warnings,
                             seconds=f"{seconds:.1f}")), highlight=False)
    return EXIT_FAILED if errors else 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab check [ID ...] [--variants N] [-j J] [--json] [--fingerprints]``."""
    return run_check(open_bank(args.bank), out, ids=args.ids or None, variants=args.variants,
                     jobs=args.jobs, course_dir=args.course_dir, as_json=args.json,
                     fingerprints=args.fingerprints, lang=args.lang,
                     boundary=args.boundary)
