"""``membranelab course grade``: a graded assignment's grade of record, no student code run.

For every ``submitted/<student>/<assignment>/<notebook>.ipynb`` of the course:

1. grade the typed answers against the student's keyed variant
   (:func:`membranelab.course.submission.grade_submission`), in ``jobs`` worker processes of a
   :class:`membranelab.workers.WorkerPool` (a map: grading is a pure function of the notebook
   and the course), up to :data:`CHUNK` notebooks per request and two requests in flight per
   worker, each request within :data:`NOTEBOOK_SECONDS` (past it, its worker is killed and its
   notebooks are graded again one per request; a notebook that fails alone is listed as failed
   with an incident id, the class goes on);
2. write ``autograded/<student>/<assignment>/``: the notebook as ``nbgrader autograde`` would
   have left it, with the grader's feedback, points and worked solutions as the test cells'
   outputs, and its ``timestamp.txt`` (only these: nothing else of the submission or of the
   course folder reaches the feedback);
3. write the scores into nbgrader's gradebook (:class:`membranelab.course.gradebook.
   GradebookWriter`), so ``nbgrader export``, the formgrader and ``nbgrader generate_feedback``
   work as after autograde.  The unit of a transaction is a batch of :data:`BATCH` whole
   notebooks (the rest at the end): each notebook is all or nothing, as with one transaction
   per notebook, and a batch costs one commit instead of 25.  That is safe because nothing
   depends on a notebook being in the gradebook before the next one is graded: a run that
   stops leaves whole notebooks in, and the next run grades and writes every notebook again;
4. list flags for the teacher (:mod:`membranelab.course.flags`): scores never change by them.

The workers are the teacher's processes (forked from the pool's fork server, which has
imported the grading code and loaded the bank for them: :mod:`membranelab.course.warm`), never
a student's kernel.  The run waits on them inside :func:`membranelab.workers.deferred`: Ctrl-C
or SIGTERM stops it between requests (the notebooks graded so far are written to the gradebook
first, whole; grading again redoes the rest), never inside a lock, so it cannot hang as a fork
pool interrupted at the wrong instant could.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from membranelab.atomic import atomic_write_text
from membranelab.service.assignments import Assignment, load_settings
from membranelab.workers import Status, Task, WorkerGone, WorkerPool, deferred

from .build import PartCells, part_cells
from .flags import Flag, copied_flags
from .gradebook import GradebookError, GradebookWriter, Record, course_config, load_source
from .submission import Graded, grade_submission
from .warm import PRELOAD

__all__ = ["GradeReport", "Prepared", "grade_assignment", "prepare", "submissions"]

TIMESTAMP = "timestamp.txt"
#: Seconds one notebook may take in a worker (grading one takes well under a second; each
#: formula's sympy fallback has its own, shorter bound): past it the worker is killed.
NOTEBOOK_SECONDS = 120.0
#: Most notebooks one request carries (:func:`chunk_size`); a request that fails is retried
#: one notebook per request, so that only the notebook at fault fails.
CHUNK = 8
#: Graded notebooks written to the gradebook in one transaction.
BATCH = 25

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Context:
    """Everything a worker needs, fixed for the run (made by :func:`_init` in each worker)."""

    course_dir: Path
    assignment: Assignment
    bank: Any
    parts: tuple[PartCells, ...]
    source: Any
    secret: bytes
    submitted: Path
    autograded: Path
    service: Any = None


@dataclass
class GradeReport:
    """What a run graded: students, parts, flags, late penalties, failures (incident ids)."""

    students: list[str] = field(default_factory=list)
    parts: int = 0
    flags: list[Flag] = field(default_factory=list)
    penalties: dict[str, float] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    review: list[tuple[str, str]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


def _regular_text(path: Path) -> str | None:
    """A regular file's text (a symlink or anything else is not followed: None)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def submissions(course_dir: Path, assignment: Assignment) -> list[str]:
    """The ids of the students with a submitted notebook of ``assignment``, sorted."""
    folder = course_dir / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if (p / assignment.id / assignment.notebook).is_file())


_CTX: dict[str, _Context] = {}


def _grade_one(student: str) -> tuple[str, Graded | None, str | None, str]:
    """Grade one student's notebook and write its autograded folder (in a worker): (student,
    result or None, timestamp text, incident id when it failed)."""
    ctx = _CTX["ctx"]
    folder = ctx.submitted / student / ctx.assignment.id
    try:
        text = _regular_text(folder / ctx.assignment.notebook) or ""
        try:
            nb = json.loads(text)
        except ValueError:
            nb = {}
        graded = grade_submission(nb if isinstance(nb, dict) else {}, student, ctx)
        stamp = _regular_text(folder / TIMESTAMP)
        out = ctx.autograded / student / ctx.assignment.id
        out.mkdir(parents=True, exist_ok=True)
        if stamp is not None:
            atomic_write_text(out / TIMESTAMP, stamp)
        # compact JSON (json's C encoder; ``indent`` takes its pure-Python one, 10% of a
        # notebook's grading): nbformat and nbgrader read any JSON layout
        atomic_write_text(out / ctx.assignment.notebook,
                          json.dumps(graded.notebook, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")) + "\n")
        return student, _without_notebook(graded), stamp, ""
    except Exception:  # noqa: BLE001 - one notebook's failure must not stop the class
        from membranelab.incident import enable_incident_log, record_incident

        enable_incident_log()
        return student, None, None, record_incident(
            __import__("logging").getLogger(__name__), "grading %s's %s", student,
            ctx.assignment.id)


def _grade_chunk(students: tuple[str, ...]
                 ) -> list[tuple[str, Graded | None, str | None, str]]:
    """:func:`_grade_one` for each of ``students`` (in a worker): one request, several
    notebooks, so that neither side waits for a round trip per notebook."""
    return [_grade_one(student) for student in students]


def _without_notebook(graded: Graded) -> Graded:
    """The result without its notebook (written already; not sent back to the parent)."""
    from dataclasses import replace

    return replace(graded, notebook={})


def _context(course_dir: Path, assignment: Assignment, bank: Any, source: Any,
             secret: bytes) -> _Context:
    from membranelab.service import Course, GradingService

    course = Course(graded=frozenset({assignment.id}), secret=secret, folder=course_dir)
    return _Context(course_dir, assignment, bank, tuple(part_cells(assignment, bank)), source,
                    secret, course_dir / "submitted", course_dir / "autograded",
                    GradingService(bank, course))


def _init(course_dir: str, assignment: Assignment, bank_root: str | None, source: Any,
          secret: bytes) -> None:
    """Worker initializer: the bank (the fork server's, or loaded now) and the run's context."""
    from .warm import bank

    _CTX["ctx"] = _context(Path(course_dir), assignment, bank(bank_root), source, secret)


def _failed(student: str, assignment: Assignment, done: Any) -> str:
    """The incident id of a notebook whose worker timed out or ended (recorded here)."""
    from membranelab.incident import record_incident

    if done.incident:
        return str(done.incident)
    return record_incident(log, "grading %s's %s: %s (%s)", student, assignment.id,
                           done.status.value, done.detail, exc_info=False)


@dataclass(frozen=True)
class Prepared:
    """The course's nbgrader settings and the assignment's cells, read before grading."""

    config: Any
    db_url: str
    course_id: str
    source: Any


def prepare(course_dir: str | Path, assignment: Assignment) -> Prepared:
    """Read the course's nbgrader configuration and the assignment's cells from the gradebook;
    GradebookError when the gradebook or the assignment is not there."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    course_dir = Path(course_dir).resolve()
    config = course_config(course_dir)
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(course_dir)
    url = coursedir.db_url
    notebook = Path(assignment.notebook).stem
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        raise GradebookError("course.grade_no_assignment", assignment=assignment.id,
                             notebook=notebook)
    with Gradebook(url, coursedir.course_id) as gb:
        source = load_source(gb, course_dir, assignment.id, notebook)
    return Prepared(config, url, coursedir.course_id, source)


def chunk_size(students: int, jobs: int) -> int:
    """Notebooks per request: about eight requests per worker, at most :data:`CHUNK`."""
    return max(1, min(CHUNK, students // (8 * jobs)))


def grade_assignment(course_dir: str | Path, assignment: Assignment, bank: Any, secret: bytes,
                     *, jobs: int | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     prepared: Prepared | None = None) -> GradeReport:
    """Grade every submission of ``assignment`` (see the module text); ``progress(done,
    total)`` as notebooks are graded; ``prepared``: :func:`prepare`'s result, if already read.
    A stop signal raises :class:`membranelab.workers.Interrupted` (a ``KeyboardInterrupt``)
    once the notebooks graded so far are in the gradebook."""
    course_dir = Path(course_dir).resolve()
    prepared = prepared or prepare(course_dir, assignment)
    notebook = Path(assignment.notebook).stem
    report = GradeReport()
    students = submissions(course_dir, assignment)
    ctx = _context(course_dir, assignment, bank, prepared.source, secret)
    numbers: dict[str, Any] = {}
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(students) or 1))
    root = getattr(bank, "root", None)
    initargs = (str(course_dir), assignment, None if root is None else str(root),
                prepared.source, secret)
    size = chunk_size(len(students), jobs)
    queue = deque(_task(tuple(students[i:i + size])) for i in range(0, len(students), size))
    with deferred(), \
            WorkerPool(jobs, initializer=_init, initargs=initargs, spares=0, depth=2,
                       preload=PRELOAD) as pool, \
            GradebookWriter(prepared.db_url, prepared.course_id, assignment.id, notebook,
                            prepared.config) as writer:
        batch = _Batch(writer, report, numbers)
        count = 0
        try:
            for done in pool.map(queue):
                chunk: tuple[str, ...] = done.key  # type: ignore[assignment]
                if done.status is not Status.DONE and len(chunk) > 1:
                    queue.extend(_task((student,)) for student in chunk)  # find which one
                    continue
                if done.status is not Status.DONE:
                    report.failed[chunk[0]] = _failed(chunk[0], assignment, done)
                else:
                    for student, graded, stamp, incident in done.value:
                        if graded is None:
                            report.failed[student] = incident
                        else:
                            batch.add(graded, stamp)
                count += len(chunk)
                if progress is not None:
                    progress(count, len(students))
            batch.flush()
        except WorkerGone as gone:  # no worker could start: every notebook not done fails
            from membranelab.incident import record_incident

            batch.flush()
            incident = gone.incident or record_incident(
                log, "grading %s: no worker process (%s)", assignment.id, gone.detail)
            for student in students:
                if student not in report.failed and student not in report.scores:
                    report.failed[student] = incident
        except KeyboardInterrupt:  # a stop signal: what is graded goes in, then stop
            batch.flush()
            raise
    roster = load_settings(course_dir / "assignments.yaml").students()
    report.flags.extend(copied_flags(numbers, roster, ctx.parts, ctx.service, assignment.id))
    report.students.sort()
    return report


def _task(students: tuple[str, ...]) -> Task:
    """One request: ``students``' notebooks, within :data:`NOTEBOOK_SECONDS` in all."""
    return Task(students, _grade_chunk, (students,), NOTEBOOK_SECONDS)


class _Batch:
    """Graded notebooks waiting for the gradebook: written :data:`BATCH` at a time, in one
    transaction (so each notebook all or nothing), then entered in the report."""

    def __init__(self, writer: GradebookWriter, report: GradeReport,
                 numbers: dict[str, Any]) -> None:
        from nbgrader.utils import parse_utc

        self.writer, self.report, self.numbers = writer, report, numbers
        self.parse = parse_utc
        self.pending: list[Graded] = []
        self.records: list[Record] = []

    def add(self, graded: Graded, stamp: str | None) -> None:
        self.pending.append(graded)
        self.records.append(Record(graded.student, _timestamp(stamp, self.parse),
                                   graded.scores, graded.unanswered,
                                   frozenset(graded.computed) | frozenset(graded.review)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        penalties = self.writer.write_many(self.records)
        for graded in self.pending:
            _record(self.report, graded, penalties.get(graded.student), self.numbers)
        self.pending, self.records = [], []


def _record(report: GradeReport, graded: Graded, penalty: float | None,
            numbers: dict[str, Any]) -> None:
    """One graded notebook, in the gradebook now, into the report."""
    if penalty:
        report.penalties[graded.student] = penalty
    report.students.append(graded.student)
    report.parts += len(graded.scores)
    report.flags.extend(graded.flags)
    report.review.extend((graded.student, t) for t in graded.review)
    report.scores[graded.student] = sum(graded.scores.values())
    if graded.numbers:
        numbers[graded.student] = graded.numbers


def _timestamp(text: str | None, parse: Callable[[str], Any]) -> Any:
    """The submission's time from ``timestamp.txt`` (None when absent or unreadable)."""
    if not text or not text.strip():
        return None
    try:
        return parse(text.strip())
    except (ValueError, OverflowError, TypeError):
        return None
