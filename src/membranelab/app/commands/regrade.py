"""``regrade``: grade stored answers again with the current bank, and say whose score changed.

After a problem is fixed (a tolerance, a mistake, an erratum), ``membranelab regrade
ANSWERS.csv --grades GRADES.csv`` grades the same answers again, through the same service as
``grade`` (keyed where ``--course-dir`` marks the assignment graded), compares each row with the
earlier grades file, prints every row whose score changed (student, assignment, problem, part,
old -> new points) and how many did not, and writes the new grades atomically (``-o``; default:
the earlier grades file, replaced only once every row is graded).
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
from pathlib import Path

from rich.console import Console

from membranelab.app.batch.pipeline import BatchReport, grade_file, same_file
from membranelab.atomic import atomic_write_text
from membranelab.errors import CliError
from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.messages.oserror import os_reason
from membranelab.service import Course
from membranelab.service.answers_csv import OUTPUT_COLUMNS, grades_csv_text, parse_columns
from membranelab.service.problems import open_bank
from membranelab.service.spreadsheet import unescape_cell

__all__ = ["compare", "read_grades", "run", "run_regrade"]

_KEY = ("student", "assignment", "problem", "part", "answer")


def read_grades(path: str | os.PathLike[str], lang: str = "en") -> list[dict[str, str]]:
    """The rows of an earlier grades file (written by ``grade``); CliError when it is not one."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            # grade writes every cell spreadsheet-safe (service/spreadsheet): read them as written
            rows = [{k: unescape_cell(v) if isinstance(v, str) else v for k, v in row.items()}
                    for row in reader]
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CliError(gettext("regrade.unreadable", lang, path=str(path),
                               reason=os_reason(exc))) from None
    missing = [c for c in OUTPUT_COLUMNS if c not in header]
    if missing:
        raise CliError(gettext("regrade.not_grades", lang, path=str(path),
                               columns=", ".join(missing)))
    return rows


def compare(old: list[dict[str, str]], report: BatchReport, lang: str = "en"
            ) -> tuple[list[tuple[int, list[str], float, float]], int]:
    """(rows whose points changed, with old and new points; how many did not); CliError when
    the earlier grades are not of these answers (another file, other rows)."""
    new = report.output_rows()
    if len(new) != len(old):
        raise CliError(gettext("regrade.mismatch_count", lang, old=len(old), new=len(new)))
    changed: list[tuple[int, list[str], float, float]] = []
    same = 0
    for number, (before, after) in enumerate(zip(old, new, strict=True), start=1):
        mine = dict(zip(OUTPUT_COLUMNS, after, strict=True))
        if any(before[k] != mine[k] for k in _KEY):
            raise CliError(gettext("regrade.mismatch_row", lang, row=number))
        try:
            was = float(before["score"] or 0)
        except ValueError:
            raise CliError(gettext("regrade.mismatch_row", lang, row=number)) from None
        now = float(mine["score"])
        if abs(was - now) > 1e-9:
            changed.append((number, after, was, now))
        else:
            same += 1
    return changed, same


def run_regrade(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Regrade ``args.answers`` against ``args.grades``; print the changes; write the grades."""
    lang = getattr(args, "lang", None) or "en"
    if not args.answers or not args.grades:
        raise CliError("regrade.needs_source")
    output = args.output or args.grades
    if os.path.isdir(output):
        raise CliError(gettext("regrade.output_is_dir", lang, path=output))
    if same_file(output, args.answers):
        raise CliError(gettext("regrade.output_is_answers", lang))
    old = read_grades(args.grades, lang)
    bank = open_bank(args.bank)
    course = Course.find(args.course_dir, bank.problems)
    try:
        report = grade_file(args.answers, None, jobs=args.jobs, bank_dir=args.bank,
                            progress=False if args.no_progress else None,
                            warn=lambda line: err.print(line, highlight=False, markup=False,
                                                        soft_wrap=True),
                            columns=parse_columns(args.columns), feedback=args.feedback,
                            lang=lang, course=course)
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM (membranelab.workers.Interrupted)
        err.print(gettext("regrade.interrupted", lang, path=output), markup=False,
                  highlight=False, soft_wrap=True)
        return 128 + getattr(stop, "signum", signal.SIGINT)
    changed, same = compare(old, report, lang)
    for number, row, was, now in changed:
        fields = dict(zip(OUTPUT_COLUMNS, row, strict=True))
        points = float(fields["points"])
        out.print(gettext("regrade.changed", lang, row=number, student=fields["student"],
                          assignment=fields["assignment"], problem=fields["problem"],
                          part=fields["part"], old=points_text(was), new=points_text(now),
                          points=points_text(points), note=fields["note"]),
                  markup=False, highlight=False, soft_wrap=True)
    try:
        atomic_write_text(output, grades_csv_text(report.output_rows()))
    except OSError as exc:
        raise CliError(gettext("regrade.cannot_write", lang, path=output,
                               reason=os_reason(exc))) from None
    students = len({dict(zip(OUTPUT_COLUMNS, r, strict=True))["student"] for _, r, _, _ in changed})
    key = "regrade.summary" if changed else "regrade.nothing_changed"
    out.print(gettext(key, lang, changed=len(changed), students=students, same=same,
                      path=str(Path(output))), markup=False, highlight=False, soft_wrap=True)
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab regrade ANSWERS.csv --grades GRADES.csv [-o NEW.csv] [...]``."""
    return run_regrade(args, out, err)
