"""``course build`` / ``check`` / ``audit`` / ``secret`` / ``grade``: the nbgrader course, via
:mod:`membranelab.course`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.messages.oserror import os_reason
from membranelab.service.problems import open_bank

if TYPE_CHECKING:
    from membranelab.bank import Bank

__all__ = ["run", "run_course"]


def run_course(args: argparse.Namespace, console: Console) -> int:
    """Build the course notebooks, or report drift (exit 1 when the course is out of date)."""
    if args.course_command != "secret":  # the secret needs no Jupyter; the rest need [course]
        from membranelab.course.extras import require_course

        require_course(getattr(args, "lang", None) or "en")
    from membranelab.course import build_course, check_course_drift

    course_dir = Path(args.course_dir)
    lang = getattr(args, "lang", "en")
    if not course_dir.is_dir():
        raise CliError("course.no_dir", path=str(course_dir))
    if args.course_command == "secret":
        return _secret_command(course_dir, bool(getattr(args, "move", False)), console, lang)
    _refuse_stray(course_dir, args.course_command, lang)
    if args.course_command == "grade" and (course_dir / "submitted").is_dir():
        from .warm import start  # the workers' imports and bank load while we load ours

        start(args.bank)
    bank = open_bank(args.bank)
    errors: tuple[type[BaseException], ...] = (ValueError, OSError)
    try:
        if args.course_command == "build":
            written = build_course(course_dir, bank)
            for path in written:
                console.print(f"  {path}", highlight=False, markup=False)
            console.print(gettext("course.built", lang, n=len(written), path=str(course_dir)),
                          highlight=False, markup=False)
            return 0
        if args.course_command == "audit":
            return _audit(course_dir, args.assignment, bank, console, lang)
        if args.course_command == "grade":
            from .grade_command import run_grade

            return run_grade(args, course_dir, bank, console)
        drift = check_course_drift(course_dir, bank)
    except errors as exc:
        from membranelab.messages import os_reason

        raise CliError("course.failed", command=args.course_command,
                       error=os_reason(exc) if isinstance(exc, OSError) else str(exc)) from None
    for message in drift:
        console.print(f"  {message}", highlight=False, markup=False)
    console.print(gettext("course.in_sync", lang) if not drift
                  else gettext("course.out_of_date", lang, n=len(drift)), highlight=False)
    return 0 if not drift else 1


def _audit(course_dir: Path, assignment_id: str, bank: Bank, console: Console,
           lang: str = "en") -> int:
    """Classify each test cell where the gradebook and direct grading differ; 1 only when one is
    tampered.  How many submissions and parts were audited is always printed; none found is a
    warning on stderr."""
    import sys

    from membranelab.course.answers import NO_SUBMISSIONS, audit_assignment, report_lines
    from membranelab.service.assignments import load_assignments

    by_id = {a.id: a for a in load_assignments(course_dir / "assignments.yaml", bank.problems)}
    if assignment_id not in by_id:
        raise CliError("course.unknown_assignment", assignment=repr(assignment_id),
                       path=str(course_dir / "assignments.yaml"), known=", ".join(sorted(by_id)))
    assignment = by_id[assignment_id]
    secret = _secret(course_dir, "audit") if assignment.graded else None
    report = audit_assignment(course_dir, assignment, bank, secret=secret)
    *details, summary = report_lines(report, lang)
    for line in details:
        console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
    console.print(summary, highlight=False, markup=False, soft_wrap=True)
    if not report.submissions:
        folder = course_dir / "autograded" / "*" / assignment_id
        print(f"membranelab: {gettext(NO_SUBMISSIONS, lang, folder=str(folder))}",
              file=sys.stderr)
    return 1 if report.tampered else 0


def _refuse_stray(course_dir: Path, command: str, lang: str) -> None:
    """A one-line error while a secret file sits anywhere under the course folder."""
    from membranelab.service.secret import SecretError, refuse_stray

    try:
        refuse_stray(course_dir, f"course {command}")
    except SecretError as exc:
        raise CliError(exc.text(lang)) from None


def _secret(course_dir: Path, command: str, lang: str = "en") -> bytes:
    """The course secret, or a one-line error saying where it was looked for."""
    from membranelab.service.secret import SecretError, load_secret

    try:
        return load_secret(course_dir, f"course {command}")
    except SecretError as exc:
        raise CliError(exc.text(lang)) from None


def _secret_command(course_dir: Path, move: bool, console: Console, lang: str) -> int:
    """``course secret``: make the secret outside the course folder, or (``--move``) move one a
    course made before keeps inside it; say where, and how to keep it."""
    from membranelab.service.secret import (
        SECRET_VAR,
        SecretError,
        course_id,
        make_secret,
        move_secret,
    )

    try:
        if move:
            old, path = move_secret(course_dir)
            line = gettext("secret.moved", lang, course=course_id(course_dir), path=str(path),
                           old=", ".join(str(p) for p in old))
        else:
            path = make_secret(course_dir)
            line = gettext("secret.made", lang, course=course_id(course_dir), path=str(path))
    except SecretError as exc:
        raise CliError(exc.text(lang)) from None
    except OSError as exc:
        raise CliError(gettext("secret.unwritable", lang, reason=os_reason(exc))) from None
    for text in (line, gettext("secret.keep", lang, path=str(path), var=SECRET_VAR)):
        console.print(text, highlight=False, markup=False, soft_wrap=True)
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab course build|check|audit|secret|grade [--course-dir DIR]``."""
    return run_course(args, out)
