"""Batch grading of an answers CSV on every core, resumable after an interruption.

The pipeline: read rows -> drop those already in the journal -> group by (student, assignment,
problem) -> a pool of worker processes (:mod:`membranelab.workers`: the bank loaded once per
worker, variants cached, a deadline per group) -> each finished group appended to the journal
and fsynced -> the grades file written atomically in input order -> journal removed.  A
malformed row is graded zero and reported, never fatal.
An answer that could not be read (``PartResult.readable`` False: a parse error, an unknown
unit...) scores 0 and is listed with its reason on stderr and in the summary, for the teacher
to review: never a silent 0.

:func:`grade_group` is a pure function of (bank, student, assignment, problem, rows): past one
machine, map it over an existing engine (Dask, Spark) instead of this process pool.

Ctrl-C or SIGTERM at any moment: the grading runs inside :func:`membranelab.workers.deferred`,
so the signal stops the pool from its own loop; what is finished is appended to the journal
(never half a line twice) and :class:`membranelab.workers.Interrupted` reaches the command.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from membranelab.app.batch.journal import Journal, journal_path
from membranelab.app.batch.pool import NEEDS_REVIEW, ROW_SECONDS, WorkerDied, run_groups, warm_up
from membranelab.app.batch.resubmissions import hold_unordered, outside, superseded
from membranelab.app.batch.unreadable import (
    list_unreadable,
    reason_text,
    split_reason,
    unreadable_reason,
)
from membranelab.atomic import atomic_write_text
from membranelab.bank import BankError
from membranelab.errors import CliError
from membranelab.grading.numformat import csv_number
from membranelab.incident import internal_error, record_incident
from membranelab.messages import gettext
from membranelab.service import (
    NO_COURSE,
    Course,
    GradeRequest,
    GradingService,
    ServiceError,
)
from membranelab.service.answers_csv import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    AnswerRow,
    grades_csv_text,
    read_answers,
)
from membranelab.service.problems import open_bank
from membranelab.workers import deferred, work_saved

if TYPE_CHECKING:
    from membranelab.bank import Bank

__all__ = ["BatchReport", "grade_file", "grade_group", "same_file"]

#: Longest time finished rows wait before being appended (and fsynced) to the journal.
JOURNAL_SECONDS = 0.2
#: The summary's name for the rows with no problem id (malformed rows).
MALFORMED_PROBLEM = "(malformed)"
#: The note of a row not graded (its timestamp unreadable or ambiguous): no score, not a 0.
UNGRADED = "row.ungraded"
#: Malformed rows reported one by one on stderr before the rest are only counted.
MAX_REPORTED = 20


_log = logging.getLogger(__name__)

@dataclass(frozen=True)
class GradeSettings:
    """What every worker needs besides the bank: the course (whose numbers: graded assignments
    and their secret), the feedback column's level and language."""

    level: str = "named"
    lang: str = "en"
    course: Course = NO_COURSE


# -- worker side ---------------------------------------------------------------------------------
_SERVICE: GradingService | None = None
_SETTINGS = GradeSettings()


def _init_worker(bank_dir: str | None, settings: GradeSettings | None = None) -> None:
    """Worker initializer: load the bank once per process; ``settings``: course, level and
    language (None: the defaults)."""
    global _SERVICE, _SETTINGS
    _SETTINGS = settings or GradeSettings()
    _SERVICE = GradingService(open_bank(bank_dir), _SETTINGS.course)


def grade_worker_group(student: str, assignment: str, problem_id: str,
                       rows: Sequence[tuple[int, str, str]]) -> list[tuple[int, list[str]]]:
    """:func:`grade_group` in a worker, with the service and settings its initializer made."""
    assert _SERVICE is not None, "worker not initialised"
    return grade_group(_SERVICE, student, assignment, problem_id, rows, _SETTINGS.level,
                       _SETTINGS.lang)


def _zero(points: float, note: str, feedback: str) -> list[str]:
    """Result fields of a row graded zero for a reason outside the student's answer."""
    return ["0", csv_number(points), "false", note, feedback, ""]


def _rounds(rows: Sequence[tuple[int, str, str]]) -> Iterator[list[tuple[int, str, str]]]:
    """Split a group's rows so that each part appears once per grading call (resubmissions)."""
    pending = list(rows)
    while pending:
        seen: set[str] = set()
        this: list[tuple[int, str, str]] = []
        rest: list[tuple[int, str, str]] = []
        for row in pending:
            (rest if row[1] in seen else this).append(row)
            seen.add(row[1])
        yield this
        pending = rest


def grade_group(service: GradingService | Bank, student: str, assignment: str, problem_id: str,
                rows: Sequence[tuple[int, str, str]],
                level: str = "named", lang: str = "en") -> list[tuple[int, list[str]]]:
    """Grade one (student, assignment, problem) group: rows of (index, part, answer), against
    the numbers the grading service gives this student in this assignment (keyed where the
    course grades it).

    Returns (index, [score, points, correct, note, feedback, expected]) per row; an unknown
    problem or part, a refused id, or an internal grader error gives zero with a note saying so.
    An answer that could not be read has a seventh field: why (see :func:`split_reason`).
    """
    if not isinstance(service, GradingService):
        service = GradingService(service)
    bank = service.bank
    problem = bank.problems.get(problem_id)
    if problem is None:
        return [(i, _zero(0, "problem.unknown", gettext("grade.row_unknown_problem", lang,
                                                        problem=repr(problem_id))))
                for i, _, _ in rows]
    parts = {part.id: part for part in problem.parts}
    folded = {part_id.casefold(): part_id for part_id in parts}
    rows = [(i, folded.get(part.strip().casefold(), part), answer) for i, part, answer in rows]
    out: list[tuple[int, list[str]]] = []
    known = []
    for row in rows:
        if row[1] in parts:
            known.append(row)
        else:
            out.append((row[0], _zero(0, "part.unknown",
                                      gettext("grade.row_unknown_part", lang,
                                              problem=problem_id, part=repr(row[1]),
                                              parts=", ".join(parts)))))
    if not known:
        return out
    try:
        variant = service.numbers(problem, student, assignment, lang=lang)  # cached
    except ServiceError as exc:  # a reserved id, or a graded assignment without its secret
        return out + [(i, _zero(parts[p].points, "row.refused", exc.text(lang)))
                      for i, p, _ in known]
    except BankError as exc:  # the bank cannot build this variant: say why
        return out + [(i, _zero(parts[p].points, "grader.error", gettext(
            "grade.row_variant_error", lang, problem=problem_id,
            error=" ".join(str(exc).split())))) for i, p, _ in known]
    except Exception:  # noqa: BLE001 - one bad group must not abort a batch
        incident = record_incident(_log, "building the variant of %s for %r (%s)", problem_id,
                                   student, assignment)
        return out + [(i, _zero(parts[p].points, "grader.error", internal_error(incident, lang)))
                      for i, p, _ in known]
    for batch in _rounds(known):
        error = gettext("grade.row_no_result", lang)
        try:
            result = service.grade_problem(problem, student, assignment,
                                           {p: a for _, p, a in batch}, variant=variant)
            by_part = {r.part_id: r for r in result.parts}
        except Exception:  # noqa: BLE001 - the grader should never raise; be safe anyway
            incident = record_incident(_log, "grading %s for %r (%s), parts %s", problem_id,
                                       student, assignment, [p for _, p, _ in batch])
            by_part, error = {}, internal_error(incident, lang)
        for index, part_id, _ in batch:
            points = float(getattr(parts[part_id], "points", 1) or 0)
            res = by_part.get(part_id)
            if res is None:
                out.append((index, _zero(points, "grader.error", error)))
                continue
            request = GradeRequest(problem_id, part_id, None, student, assignment, lang, level)
            fields = service.verdict(request, res, problem).csv_fields()  # first try
            if not res.readable and res.note not in ("missing", NEEDS_REVIEW):
                fields.append(unreadable_reason(res))
            out.append((index, fields))
    return out


# -- parent side ---------------------------------------------------------------------------------
@dataclass
class BatchReport:
    """What a batch did: counts, timings, and the graded rows in input order."""

    rows: list[AnswerRow]
    results: dict[int, list[str]]
    resumed: int = 0
    graded: int = 0
    malformed: list[AnswerRow] = field(default_factory=list)
    ungraded: list[AnswerRow] = field(default_factory=list)
    superseded: int = 0
    totals: Path | None = None
    assignments_source: str = ""
    seconds: float = 0.0
    jobs: int = 1
    output: Path | None = None
    lang: str = "en"
    #: row index -> why its answer could not be read (graded 0, listed for review)
    unreadable: dict[int, str] = field(default_factory=dict)

    def output_rows(self) -> list[list[str]]:
        """Input fields then result fields, in input order."""
        return [[r.student, r.assignment, r.problem, r.part, r.answer] + self.results[r.index]
                for r in self.rows]

    def needs_review(self) -> list[AnswerRow]:
        """The rows graded ``needs_review`` (undecided in the time allowed), in input order."""
        column = OUTPUT_COLUMNS.index("note") - len(INPUT_COLUMNS)
        return [r for r in self.rows if self.results[r.index][column] == NEEDS_REVIEW]

    def unreadable_rows(self) -> list[tuple[AnswerRow, str]]:
        """The rows whose answer could not be read, with the reason, in input order."""
        return [(r, self.unreadable[r.index]) for r in self.rows if r.index in self.unreadable]

    def summary(self) -> dict[str, Any]:
        """JSON-ready counts and per-problem statistics."""
        per: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        total_score = total_points = 0.0
        for row in self.rows:
            score, points, correct = self.results[row.index][:3]
            if row.ungraded is not None and row.error is None:
                continue  # not graded: no score, not a 0
            stats = per[row.problem or MALFORMED_PROBLEM]
            stats["rows"] += 1
            stats["correct"] += correct == "true"
            stats["score"] += float(score)
            stats["points"] += float(points)
            total_score += float(score)
            total_points += float(points)
        return {
            "rows": len(self.rows),
            "graded": self.graded,
            "resumed": self.resumed,
            "malformed": len(self.malformed),
            "ungraded": [{"line": r.line, "student": r.student, "problem": r.problem,
                          "part": r.part, "reason": gettext(
                              r.ungraded["msg"], self.lang,
                              **{k: v for k, v in r.ungraded.items() if k != "msg"})}
                         for r in self.ungraded if r.ungraded is not None],
            "superseded": self.superseded,
            "students": len({r.student for r in self.rows if r.student}),
            "score": round(total_score, 4),
            "points": round(total_points, 4),
            "seconds": round(self.seconds, 3),
            "jobs": self.jobs,
            "rows_per_second": round(self.graded / self.seconds, 1) if self.seconds else None,
            "output": str(self.output) if self.output else None,
            "needs_review": [{"line": r.line, "student": r.student, "problem": r.problem,
                              "part": r.part} for r in self.needs_review()],
            "unreadable": [{"line": r.line, "student": r.student, "problem": r.problem,
                            "part": r.part, "answer": r.answer,
                            "reason": reason_text(reason, "en")}
                           for r, reason in self.unreadable_rows()],
            "problems": {p: {"rows": int(s["rows"]), "correct": int(s["correct"]),
                             "score": round(s["score"], 4), "points": round(s["points"], 4)}
                         for p, s in per.items()},
        }


def _groups(rows: list[AnswerRow]) -> list[tuple[str, str, str, list[tuple[int, str, str]]]]:
    """The rows by (student, assignment, problem), in order of first appearance."""
    groups: dict[tuple[str, str, str], list[tuple[int, str, str]]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append((row.index, row.part, row.answer))
    return [(student, assignment, problem, members)
            for (student, assignment, problem), members in groups.items()]


def _progress(total: int, enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=False)


def same_file(output: str | os.PathLike[str], source: str | os.PathLike[str]) -> bool:
    """True when writing ``output`` would replace ``source``: the same path, a symlink (chain)
    to it, or a hard link of it."""
    if os.path.realpath(output) == os.path.realpath(source):
        return True
    try:
        return os.path.samefile(output, source)
    except OSError:  # one of them does not exist (yet)
        return False


def grade_file(answers: str | os.PathLike[str], output: str | os.PathLike[str] | None, *,
               jobs: int | None = None, bank_dir: str | None = None, progress: bool | None = None,
               row_seconds: float = ROW_SECONDS,
               warn: Callable[[str], None] | None = None,
               columns: dict[str, str] | None = None,
               assignments: Mapping[str, tuple[str, ...]] | None = None,
               feedback: str = "named", lang: str = "en", date_format: str | None = None,
               course: Course = NO_COURSE) -> BatchReport:
    """Grade an answers CSV into ``output`` (atomic, input order), resuming from its journal.

    ``jobs``: worker processes (None: every core).  ``progress``: show a bar on stderr (None:
    only when stderr is a terminal).  ``warn`` receives one line per malformed row.  A row still
    grading after ``row_seconds`` is stopped and graded ``needs_review`` (see
    :mod:`membranelab.app.batch.pool`).
    ``columns`` maps our column names onto the file's; ``assignments`` (assignment id -> problem
    ids) makes a problem outside its assignment a row error; ``feedback`` is the level of the
    feedback column, ``lang`` its language; ``course`` decides whose numbers (a graded
    assignment's rows are graded against each student's keyed numbers, and refused as a whole
    when the course secret is not here).  Of several rows answering the same part, the last (or latest
    ``timestamp``) is graded and the others are marked superseded.  A row whose timestamp
    cannot be read, or only by guessing the day/month order (``date_format`` settles it), is
    not graded (nor the other answers to its part): listed by ``warn`` with its line, its score
    left empty, never a 0.  Each answer that
    could not be read is listed on ``warn`` with its reason (in ``lang``) and in the summary.
    """
    started = time.perf_counter()
    if output is not None and (same_file(output, answers)
                               or same_file(journal_path(output), answers)):
        raise CliError("grade.output_is_answers")
    warm_up()  # the workers' fork server imports the grader while this process loads
    rows = read_answers(answers, columns, date_format)
    bank = open_bank(bank_dir)  # fail early, with one message, if the bank cannot be loaded
    jobs = max(1, jobs or os.cpu_count() or 1)
    if output is not None:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
    journal = Journal(journal_path(output)) if output is not None else None
    done = journal.load() if journal is not None else {}
    results: dict[int, list[str]] = {}
    report = BatchReport(rows, results, jobs=jobs, output=Path(output) if output else None)
    warn = warn or (lambda line: print(line, file=sys.stderr))
    todo: list[AnswerRow] = []
    if any(course.is_graded(row.assignment) for row in rows if row.error is None):
        course.require_secret()  # never grade a graded assignment against public numbers
    rows = hold_unordered([outside(row, assignments) for row in rows])
    report.rows, report.lang = rows, lang
    replaced = superseded([row for row in rows if row.error is None and row.ungraded is None])
    report.superseded = len(replaced)
    for row in rows:
        if row.index in replaced:
            winner = replaced[row.index]
            results[row.index] = _zero(0, "row.superseded",
                                       gettext("grade.row_superseded", lang, line=winner.line))
        elif row.error is not None:
            results[row.index] = _zero(0, "row.malformed",
                                       gettext("grade.row_malformed", lang, line=row.line,
                                               error=row.error))
            report.malformed.append(row)
        elif row.ungraded is not None:
            results[row.index] = ["", "", "false", UNGRADED, gettext(
                "batch.not_graded", lang, line=row.line, reason=row.ungraded), ""]
            report.ungraded.append(row)
        elif row.key in done:
            results[row.index], reason = split_reason(done[row.key])
            if reason:
                report.unreadable[row.index] = reason
            report.resumed += 1
        else:
            todo.append(row)
    for row in report.malformed[:MAX_REPORTED]:
        warn(gettext("grade.warn_malformed", lang, path=answers, line=row.line,
                     error=row.error))
    if len(report.malformed) > MAX_REPORTED:
        warn(gettext("grade.warn_more_malformed", lang, path=answers,
                     n=len(report.malformed) - MAX_REPORTED))
    for row in report.ungraded:  # every one: each needs the teacher's decision
        warn(gettext("batch.not_graded_line", lang, path=answers, line=row.line,
                     student=row.student, part=row.part, reason=row.ungraded))

    by_index = {row.index: row for row in todo}
    groups = _groups(todo)
    show = sys.stderr.isatty() if progress is None else progress

    unsaved: list[tuple[str, list[str]]] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        entries = list(unsaved)
        unsaved.clear()  # before writing: an interrupt mid-append must not write them twice
        last_flush = time.monotonic()
        if journal is not None and entries:
            journal.append(entries)

    def record(got: list[tuple[int, list[str]]]) -> None:
        for index, fields in got:
            results[index], reason = split_reason(fields)
            if reason:
                report.unreadable[index] = reason
            unsaved.append((by_index[index].key, fields))
        report.graded += len(got)
        if time.monotonic() - last_flush >= JOURNAL_SECONDS:
            flush()

    def review(index: int, seconds: float) -> list[str]:
        row = by_index[index]
        problem = bank.problems.get(row.problem)
        part = next((p for p in getattr(problem, "parts", ()) if p.id == row.part), None)
        return _zero(float(getattr(part, "points", 0) or 0), NEEDS_REVIEW,
                     gettext("grade.row_needs_review", lang, seconds=f"{seconds:g}"))

    if groups:
        try:
            with deferred(), _progress(len(todo), show) as bar:
                task = bar.add_task("grading", total=len(todo))

                def record_shown(got: list[tuple[int, list[str]]]) -> None:
                    record(got)
                    bar.advance(task, len(got))

                report.jobs = run_groups(groups, jobs=jobs, bank_dir=bank_dir,
                                         record=record_shown, review=review,
                                         row_seconds=row_seconds,
                                         settings=GradeSettings(feedback, lang, course))
        except WorkerDied as exc:
            with deferred():
                flush()
            raise CliError("grade.worker_died", error=exc.detail, rows=report.graded) from None
        except BaseException:
            with deferred():
                flush()  # keep what is done (Ctrl-C, SIGTERM): the next run resumes from it
            raise
    with deferred():  # a signal now waits until the grades file is whole and the journal gone
        flush()
        if output is not None:
            atomic_write_text(output, grades_csv_text(report.output_rows()))
            if journal is not None:
                journal.remove()
            work_saved()  # the grades file is whole: a signal from now on stops nothing
    undecided = report.needs_review()
    for row in undecided[:MAX_REPORTED]:
        warn(gettext("grade.warn_needs_review", lang, path=answers, line=row.line,
                     student=row.student, problem=row.problem, part=row.part))
    if len(undecided) > MAX_REPORTED:
        warn(gettext("grade.warn_more_review", lang, path=answers,
                     n=len(undecided) - MAX_REPORTED))
    list_unreadable(report.unreadable_rows(), answers, warn, lang, MAX_REPORTED)
    report.seconds = time.perf_counter() - started
    return report
