"""``grade``: the batch grader's command-line face (summary table, JSON, messages)."""

from __future__ import annotations

import argparse
import json
import os
import signal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from membranelab.app.batch.pipeline import MALFORMED_PROBLEM, BatchReport, grade_file, same_file
from membranelab.errors import CliError
from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.messages.oserror import os_reason
from membranelab.service import Course
from membranelab.service.answers_csv import OUTPUT_COLUMNS, parse_columns
from membranelab.service.problems import open_bank

__all__ = ["run", "run_grade", "summary_table"]


def summary_table(report: BatchReport, lang: str = "en") -> Table:
    """Per-problem rows, correct answers and points, then the totals (headings in ``lang``)."""
    summary = report.summary()
    table = Table(title=gettext("grade.summary_title", lang))
    for name, justify in (("problem", "left"), ("rows", "right"), ("correct", "right"),
                          ("points", "right"), ("mean", "right")):
        table.add_column(gettext(f"grade.col_{name}", lang),
                         justify=justify)  # type: ignore[arg-type]
    for problem, s in sorted(summary["problems"].items()):
        mean = f"{100 * s['score'] / s['points']:.0f}%" if s["points"] else "—"
        shown = gettext("grade.malformed_rows", lang) if problem == MALFORMED_PROBLEM else problem
        table.add_row(escape(shown), str(s["rows"]), str(s["correct"]),
                      f"{points_text(s['score'])} / {points_text(s['points'])}", mean)
    table.add_section()
    mean = f"{100 * summary['score'] / summary['points']:.0f}%" if summary["points"] else "—"
    table.add_row(f"[bold]{escape(gettext('grade.total', lang))}", str(summary["rows"]),
                  str(sum(s["correct"] for s in summary["problems"].values())),
                  f"{points_text(summary['score'])} / {points_text(summary['points'])}", mean)
    return table


def _footer(report: BatchReport, lang: str = "en") -> str:
    s = report.summary()
    rate = gettext("grade.rate", lang, rate=f"{s['rows_per_second']:g}") if s["rows_per_second"] else ""
    parts = [gettext("grade.rows", lang, rows=s["rows"], students=s["students"]),
             gettext("grade.graded_one" if s["jobs"] == 1 else "grade.graded", lang,
                     graded=s["graded"], seconds=f"{s['seconds']:g}", jobs=s["jobs"],
                     rate=rate)]
    if s["resumed"]:
        parts.append(gettext("grade.resumed", lang, n=s["resumed"]))
    if s["malformed"]:
        parts.append(gettext("grade.malformed", lang, n=s["malformed"]))
    if s["ungraded"]:
        parts.append(gettext("grade.ungraded", lang, n=len(s["ungraded"])))
    if s["needs_review"]:
        parts.append(gettext("grade.needs_review", lang, n=len(s["needs_review"])))
    if s["unreadable"]:
        parts.append(gettext("grade.unreadable", lang, n=len(s["unreadable"])))
    if s["superseded"]:
        parts.append(gettext("grade.superseded", lang, n=s["superseded"]))
    if s["output"]:
        parts.append(gettext("grade.wrote", lang, output=s["output"]))
    if report.assignments_source:
        parts.append(gettext("grade.assignments_from", lang, source=report.assignments_source))
    if report.totals is not None:
        parts.append(gettext("grade.totals_in", lang, totals=report.totals))
    return gettext("grade.footer", lang, parts=gettext("grade.separator", lang).join(parts))


def _assignments(args: argparse.Namespace) -> tuple[dict[str, tuple[str, ...]] | None, str]:
    """Assignment id -> problem ids, from --assignments or ./course/assignments.yaml."""
    from membranelab.service.totals import assignment_problems

    path = getattr(args, "assignments", None)
    if path is None:
        default = Path("course") / "assignments.yaml"
        if not default.is_file():
            return None, ""
        path = str(default)
    elif not os.path.isfile(path):
        raise CliError("grade.assignments_missing", path=path)
    bank = open_bank(args.bank)
    try:
        return assignment_problems(path, bank), path
    except ValueError as exc:
        raise CliError("grade.assignments_bad", error=str(exc)) from None


def _write_totals(args: argparse.Namespace, report: BatchReport,
                  assignments: dict[str, tuple[str, ...]] | None, err: Console) -> None:
    from membranelab.atomic import atomic_write_text
    from membranelab.service.totals import compute_totals, totals_csv_text

    totals, warnings = compute_totals(report.rows, report.results, open_bank(args.bank),
                                      assignments)
    for warning in warnings:
        err.print(gettext("grade.totals_warning", getattr(args, "lang", None) or "en",
                          warning=warning),
                  highlight=False, markup=False, soft_wrap=True)
    try:
        atomic_write_text(args.totals, totals_csv_text(totals, args.totals_layout))
    except OSError as exc:
        raise CliError("grade.cannot_write_totals", path=args.totals, reason=os_reason(exc)) from None
    report.totals = Path(args.totals)


def _date_format(args: argparse.Namespace) -> str | None:
    """``--date-format``: dmy, mdy, ymd or a strptime pattern (a CliError else)."""
    from membranelab.service.timestamps import parse_date_format

    value = getattr(args, "date_format", None)
    try:
        return parse_date_format(value)
    except ValueError:
        raise CliError("grade.bad_date_format", value=repr(value)) from None


def run_grade(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Grade ``args.answers`` into ``args.output``; print the summary (table or JSON)."""
    if args.output is None and not args.json:
        raise CliError("grade.needs_output")
    if args.jobs is not None and args.jobs < 1:
        raise CliError("cli.jobs_at_least_one", jobs=args.jobs)
    if args.output is not None and os.path.isdir(args.output):
        raise CliError("grade.output_is_dir", path=args.output)
    if args.output is not None and same_file(args.output, args.answers):
        raise CliError("grade.output_is_answers")
    if getattr(args, "totals", None) and same_file(args.totals, args.answers):
        raise CliError("grade.output_is_answers")
    columns = parse_columns(getattr(args, "columns", None))
    assignments, source = _assignments(args)
    lang = getattr(args, "lang", None) or "en"
    course = Course.find(getattr(args, "course_dir", None), open_bank(args.bank).problems)
    try:
        report = grade_file(args.answers, args.output, jobs=args.jobs, bank_dir=args.bank,
                            progress=False if args.no_progress else None,
                            warn=lambda line: err.print(line, highlight=False, markup=False,
                                                        soft_wrap=True),
                            columns=columns, assignments=assignments,
                            feedback=getattr(args, "feedback", "named"), lang=lang,
                            course=course, date_format=_date_format(args))
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: the journal holds what is done
        line = (gettext("grade.interrupted", lang, prog="membranelab",
                        journal=f"{args.output}.partial") if args.output
                else gettext("grade.interrupted_unsaved", lang, prog="membranelab"))
        err.print(line, markup=False, highlight=False, soft_wrap=True)
        return 128 + getattr(stop, "signum", signal.SIGINT)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise CliError("grade.cannot_write", where=where, reason=os_reason(exc)) from None
    report.assignments_source = source
    if getattr(args, "totals", None):
        _write_totals(args, report, assignments, err)
    if args.json:
        rows: list[dict[str, Any]] = []
        for fields in report.output_rows():
            row: dict[str, Any] = dict(zip(OUTPUT_COLUMNS, fields, strict=True))
            row["score"] = float(row["score"]) if row["score"] else None  # None: not graded
            row["points"] = float(row["points"]) if row["points"] else None
            row["correct"] = row["correct"] == "true"
            rows.append(row)
        print(json.dumps({"summary": report.summary(), "rows": rows}, ensure_ascii=False))
        return 0
    out.print(summary_table(report, lang))
    out.print(_footer(report, lang), highlight=False, soft_wrap=True, markup=False)
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab grade ANSWERS.csv -o GRADES.csv [...]``."""
    return run_grade(args, out, err)
