"""``membranelab course grade ASSIGNMENT``: the grade of record of a graded assignment (the
course front end's command, run by :mod:`membranelab.course.command`).

Runs :func:`membranelab.course.grade.grade_assignment` with a progress bar on stderr, then
prints the teacher's flags as a table and writes them as CSV (``--flags``, default
``<course>/<assignment>-flags.csv``), then one summary line.  Exit 0 when every submitted
notebook was graded; 1 when none was found or one failed (named, with its incident id).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from membranelab.atomic import atomic_write_text
from membranelab.errors import CliError
from membranelab.messages import gettext

if TYPE_CHECKING:
    from membranelab.bank import Bank

__all__ = ["run_grade"]

#: The table's column headings (catalog keys), for student, flag, parts and detail.
COLUMN_KEYS = ("course.grade_column_student", "course.grade_column_flag",
               "course.grade_column_parts", "course.grade_column_detail")
#: The flags CSV's columns (identifiers, not sentences).
CSV_COLUMNS = ("student", "flag", "parts", "other_student", "chance", "detail")


def _assignment(course_dir: Path, assignment_id: str, bank: Bank, lang: str) -> Any:
    from membranelab.service.assignments import load_assignments

    by_id = {a.id: a for a in load_assignments(course_dir / "assignments.yaml", bank.problems)}
    if assignment_id not in by_id:
        raise CliError(gettext("course.grade_unknown", lang, assignment=assignment_id,
                               known=", ".join(sorted(by_id))))
    assignment = by_id[assignment_id]
    if not assignment.graded:
        raise CliError(gettext("course.grade_formative", lang, assignment=assignment_id))
    return assignment


def _table(rows: list[dict[str, str]], lang: str) -> Table:
    table = Table(show_lines=False, expand=False)
    for key in COLUMN_KEYS:
        table.add_column(gettext(key, lang), overflow="fold")
    for row in rows:
        table.add_row(row["student"], row["flag"], row["parts"] or "-", row["detail"])
    return table


def _csv_text(rows: list[dict[str, str]]) -> str:
    """The flags CSV; a cell a spreadsheet would run (a student id from nbgrader's folders
    starting ``=``, say) is escaped by OWASP's rule."""
    from membranelab.service.spreadsheet import SafeWriter

    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([row.get(column, "") for column in CSV_COLUMNS] for row in rows)
    return buffer.getvalue()


def _skip_iri_grammar() -> None:
    """Keep ``rfc3987_syntax`` out of this command's process.  jsonschema, which nbgrader
    imports through nbformat, imports it (when installed) only to check the ``iri`` string
    format, and that import compiles a Lark grammar: about 2.7 s of CPU, the largest single
    cost of starting ``course grade``.  Nothing here checks that format (nbformat's schemas use
    no ``format`` at all, and nbformat passes no format checker), so the module is marked
    absent (jsonschema skips those two checkers) before anything imports jsonschema."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def run_grade(args: argparse.Namespace, course_dir: Path, bank: Bank, console: Console) -> int:
    """Grade, print the flags and the summary, write the CSV; the exit code."""
    _skip_iri_grammar()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from membranelab.course.flags import flag_rows
    from membranelab.course.grade import grade_assignment, prepare, submissions
    from membranelab.course.gradebook import GradebookError
    from membranelab.service.secret import SecretError, load_secret

    lang = getattr(args, "lang", "en")
    assignment = _assignment(course_dir, args.assignment, bank, lang)
    try:
        secret = load_secret(course_dir, "course grade")
    except SecretError as exc:
        raise CliError(exc.text(lang)) from None
    if args.jobs is not None and args.jobs < 1:
        raise CliError(gettext("course.grade_jobs", lang, jobs=args.jobs))
    total = len(submissions(course_dir.resolve(), assignment))
    if not total:
        print(f"membranelab: {gettext('course.grade_none', lang, assignment=assignment.id, folder=str(course_dir / 'submitted'))}",
              file=sys.stderr)
        return 1
    start = time.perf_counter()
    try:
        prepared = prepare(course_dir, assignment)
    except GradebookError as exc:
        raise CliError(exc.text(lang)) from None
    stderr = Console(stderr=True)
    bar = Progress("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=stderr, transient=True,
                   disable=not stderr.is_terminal)  # a bar is for a terminal, not a log
    with bar:
        task = bar.add_task(gettext("course.grade_progress", lang, assignment=assignment.id),
                            total=total)
        report = grade_assignment(course_dir, assignment, bank, secret, jobs=args.jobs,
                                  progress=lambda done, _n: bar.update(task, completed=done),
                                  prepared=prepared)
    seconds = time.perf_counter() - start
    rows = flag_rows(report.flags, lang)
    if rows:
        console.print(_table(rows, lang))
    target = Path(args.flags) if args.flags else course_dir / f"{assignment.id}-flags.csv"
    try:
        atomic_write_text(target, _csv_text(rows))
    except OSError as exc:
        raise CliError(gettext("course.grade_csv_unwritable", lang, path=str(target),
                               reason=str(exc))) from None
    for student, test_id in report.review:
        console.print(gettext("course.grade_review", lang, student=student, cell=test_id),
                      highlight=False, markup=False, soft_wrap=True)
    for student, incident in sorted(report.failed.items()):
        console.print(gettext("course.grade_failed", lang, student=student, incident=incident),
                      highlight=False, markup=False, soft_wrap=True)
    for student, penalty in sorted(report.penalties.items()):
        console.print(gettext("course.grade_late", lang, student=student, penalty=f"{penalty:g}"),
                      highlight=False, markup=False, soft_wrap=True)
    console.print(gettext("course.grade_summary", lang, n=len(report.students),
                          assignment=assignment.id, parts=report.parts,
                          seconds=f"{seconds:.1f}", flags=len(rows), csv=str(target)),
                  highlight=False, markup=False, soft_wrap=True)
    return 1 if report.failed else 0
