"""``membranelab course grade``: a graded assignment's grade of record, no student code run.

For every ``submitted/<student>/<assignment>/<notebook>.ipynb`` of the course:

1. grade the typed answers against the student's keyed variant
   (:func:`membranelab.course.submission.grade_submission`), in ``jobs`` worker processes of a
   :class:`membranelab.workers.WorkerPool` (a map: grading is a pure function of the notebook
   and the course), each notebook within :data:`NOTEBOOK_SECONDS` (past it, its worker is
   killed and the notebook is listed as failed with an incident id, the class goes on);
2. write ``autograded/<student>/<assignment>/``: the notebook as ``nbgrader autograde`` would
   have left it, with the grader's feedback, points and worked solutions as the test cells'
   outputs, and its ``timestamp.txt`` (only these: nothing else of the submission or of the
   course folder reaches the feedback);
3. write the scores into nbgrader's gradebook, one transaction per notebook
   (:class:`membranelab.course.gradebook.GradebookWriter`), so ``nbgrader export``, the
   formgrader and ``nbgrader generate_feedback`` work as after autograde;
4. list flags for the teacher (:mod:`membranelab.course.flags`): scores never change by them.

The workers are the teacher's processes (started by the pool's fork server and loading the
bank themselves), never a student's kernel.  The run waits on them inside
:func:`membranelab.workers.deferred`: Ctrl-C or SIGTERM stops it between notebooks (what is in
the gradebook stays, one whole notebook per transaction; grading again redoes the rest), never
inside a lock, so it cannot hang as a fork pool interrupted at the wrong instant could.
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
from .gradebook import GradebookError, GradebookWriter, course_config, load_source
from .submission import Graded, grade_submission

__all__ = ["GradeReport", "Prepared", "grade_assignment", "prepare", "submissions"]

TIMESTAMP = "timestamp.txt"
#: Seconds one notebook may take in a worker (grading one takes well under a second; each
#: formula's sympy fallback has its own, shorter bound): past it the worker is killed.
NOTEBOOK_SECONDS = 120.0
#: What every worker imports: once, in the fork server.
PRELOAD = ("membranelab.course.submission", "membranelab.bank", "membranelab.grading")

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
        atomic_write_text(out / ctx.assignment.notebook,
                          json.dumps(graded.notebook, ensure_ascii=False, indent=1,
                                     sort_keys=True) + "\n")
        return student, _without_notebook(graded), stamp, ""
    except Exception:  # noqa: BLE001 - one notebook's failure must not stop the class
        from membranelab.incident import enable_incident_log, record_incident

        enable_incident_log()
        return student, None, None, record_incident(
            __import__("logging").getLogger(__name__), "grading %s's %s", student,
            ctx.assignment.id)


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
    """Worker initializer: load the bank once per process and make the run's context."""
    from membranelab.service.problems import open_bank

    _CTX["ctx"] = _context(Path(course_dir), assignment, open_bank(bank_root), source, secret)


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


def grade_assignment(course_dir: str | Path, assignment: Assignment, bank: Any, secret: bytes,
                     *, jobs: int | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     prepared: Prepared | None = None) -> GradeReport:
    """Grade every submission of ``assignment`` (see the module text); ``progress(done,
    total)`` after each notebook; ``prepared``: :func:`prepare`'s result, if already read.
    A stop signal raises :class:`membranelab.workers.Interrupted` (a ``KeyboardInterrupt``)
    once the notebook being recorded is in the gradebook."""
    from nbgrader.utils import parse_utc

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
    queue = deque(Task(student, _grade_one, (student,), NOTEBOOK_SECONDS) for student in students)
    with deferred(), \
            WorkerPool(jobs, initializer=_init, initargs=initargs, spares=0,
                       preload=PRELOAD) as pool, \
            GradebookWriter(prepared.db_url, prepared.course_id, assignment.id, notebook,
                            prepared.config) as writer:
        try:
            for count, done in enumerate(pool.map(queue), 1):
                student = str(done.key)
                if done.status is not Status.DONE:
                    report.failed[student] = _failed(student, assignment, done)
                else:
                    _, graded, stamp, incident = done.value
                    if graded is None:
                        report.failed[student] = incident
                    else:
                        _record(report, writer, graded, _timestamp(stamp, parse_utc), numbers)
                if progress is not None:
                    progress(count, len(students))
        except WorkerGone as gone:  # no worker could start: every notebook not done fails
            from membranelab.incident import record_incident

            incident = gone.incident or record_incident(
                log, "grading %s: no worker process (%s)", assignment.id, gone.detail)
            for student in students:
                if student not in report.failed and student not in report.scores:
                    report.failed[student] = incident
    roster = load_settings(course_dir / "assignments.yaml").students()
    report.flags.extend(copied_flags(numbers, roster, ctx.parts, ctx.service, assignment.id))
    report.students.sort()
    return report


def _record(report: GradeReport, writer: GradebookWriter, graded: Graded, timestamp: Any,
            numbers: dict[str, Any]) -> None:
    """One graded notebook into the gradebook (one transaction) and the report."""
    penalty = writer.write(graded.student, timestamp, graded.scores, graded.unanswered,
                           frozenset(graded.computed) | frozenset(graded.review))
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
