"""``course build`` / ``check`` / ``audit``: the nbgrader course, via :mod:`membranelab.course`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from membranelab.app import bankapi
from membranelab.app.errors import CliError

__all__ = ["run_course"]


def run_course(args: argparse.Namespace, console: Console) -> int:
    """Build the course notebooks, or report drift (exit 1 when the course is out of date)."""
    from membranelab.course import build_course, check_course_drift

    course_dir = Path(args.course_dir)
    if not course_dir.is_dir():
        raise CliError(f"course directory {course_dir} does not exist (use --course-dir)")
    bank = bankapi.load(args.bank)
    errors: tuple[type[BaseException], ...] = (ValueError, OSError)
    try:
        if args.course_command == "build":
            written = build_course(course_dir, bank)
            for path in written:
                console.print(f"  {path}", highlight=False, markup=False)
            console.print(f"built {len(written)} notebook(s) under {course_dir}", highlight=False,
                          markup=False)
            return 0
        if args.course_command == "audit":
            return _audit(course_dir, args.assignment, bank, console)
        drift = check_course_drift(course_dir, bank)
    except errors as exc:
        raise CliError(f"course {args.course_command}: {exc}") from None
    for message in drift:
        console.print(f"  {message}", highlight=False, markup=False)
    console.print("course is in sync with the bank" if not drift
                  else f"{len(drift)} notebook(s) out of date", highlight=False)
    return 0 if not drift else 1


def _audit(course_dir: Path, assignment_id: str, bank, console: Console) -> int:
    """Print each test cell whose gradebook score differs from direct grading; 1 if any."""
    from membranelab.course.answers import audit_assignment
    from membranelab.course.assignments import load_assignments

    by_id = {a.id: a for a in load_assignments(course_dir / "assignments.yaml", bank.problems)}
    if assignment_id not in by_id:
        raise CliError(f"no assignment {assignment_id!r} in {course_dir / 'assignments.yaml'}; "
                       f"known: {', '.join(sorted(by_id))}")
    found = audit_assignment(course_dir, by_id[assignment_id], bank)
    for d in found:
        console.print(f"  {d.student}  {d.test_id}  nbgrader={d.nbgrader}  direct={d.direct:g}",
                      highlight=False, markup=False)
    console.print(f"{len(found)} disagreement(s) between the gradebook and direct grading",
                  highlight=False, markup=False)
    return 1 if found else 0
