"""``course build`` / ``course check``: the nbgrader course, via :mod:`membranelab.course`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from membranelab.app import bankapi
from membranelab.app.errors import CliError

__all__ = ["run_course"]


def run_course(args: argparse.Namespace, console: Console) -> int:
    """Build the course notebooks, or report drift (exit 1 when the course is out of date)."""
    try:
        from membranelab.course import build_course, check_course_drift
    except ImportError as exc:
        raise CliError(f"course building is not available in this installation: {exc}") from None
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
        drift = check_course_drift(course_dir, bank)
    except errors as exc:
        raise CliError(f"course {args.course_command}: {exc}") from None
    for message in drift:
        console.print(f"  {message}", highlight=False, markup=False)
    console.print("course is in sync with the bank" if not drift
                  else f"{len(drift)} notebook(s) out of date", highlight=False)
    return 0 if not drift else 1
