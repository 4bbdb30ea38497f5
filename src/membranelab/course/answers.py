"""Grade a submitted notebook from its answer values, without running any of its code.

nbgrader runs the student's notebook, so student code runs with the grader's rights and can, in
principle, patch the package the test cells call.  Most answers are plain values
(``E_K = "-95 mV"``), which can be read statically (``ast``, never ``exec``; the rule is
:func:`membranelab.service.cells.assigned`, the same the test cells use) and graded directly with
:func:`membranelab.bank.grade_part`.  :func:`audit_assignment` does this for every autograded
submission and classifies every test cell where nbgrader's score and direct grading differ:

``tampered``
    the answer is a literal (or there is none) and nbgrader scored it **higher** than direct
    grading: the notebook's own code changed its grading (a patched ``check``, say);
``computed``
    the answer is an expression (``E_K = nernst(...)``), or code elsewhere sets the variable:
    the audit cannot read it without running code, so nbgrader's credit is unverifiable, not
    cheating;
``missing``
    the gradebook has no score for the cell (autograde failed, or the cell is not there);
``lower``
    nbgrader scored a literal answer **lower** than direct grading (a cell that failed or ran
    out of order): the student may deserve more, nobody gained.

Only ``tampered`` makes the command fail.

Each notebook is graded in a worker process of a :class:`membranelab.workers.WorkerPool` (the
bank loaded once per worker, a warm spare): whatever a notebook's answers do, the audit moves on
after :data:`NOTEBOOK_SECONDS` and reports that notebook as skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from membranelab.grading import NEEDS_REVIEW
from membranelab.service.assignments import Assignment
from membranelab.service.cells import Assigned, assigned, stores_name
from membranelab.workers import Status, WorkerPool

from .build import PartCells, part_cells

__all__ = ["CLASSES", "NOTEBOOK_SECONDS", "AuditError", "AuditReport", "Difference", "Discrepancy",
           "audit_assignment", "grade_notebook", "main",
           "read_answers", "read_cells"]

#: Seconds the audit spends on one notebook at most.
NOTEBOOK_SECONDS = 60.0


class Difference(str, Enum):
    """The kinds of difference (see the module's docstring); a ``str``, equal to its value."""

    TAMPERED = "tampered"
    COMPUTED = "computed"
    MISSING = "missing"
    LOWER = "lower"


#: The kinds of difference, in report order; only the first makes the audit fail.
CLASSES = tuple(Difference)
#: Each kind's name in the report (its catalog key).
KIND_NAMES = {Difference.TAMPERED: "course.audit_kind_tampered",
              Difference.COMPUTED: "course.audit_kind_computed",
              Difference.MISSING: "course.audit_kind_missing",
              Difference.LOWER: "course.audit_kind_lower"}


class AuditError(RuntimeError):
    """The audit's worker process failed (not a notebook's fault): the incident says why."""


def _cell_sources(nb: Mapping) -> list[tuple[str | None, str]]:
    """(grade id or None, source) of every code cell, in notebook order."""
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = cell.get("source", "")
        out.append((grade_id, "".join(source) if isinstance(source, list) else source))
    return out


def read_cells(nb: Mapping, parts: list[PartCells]) -> dict[str, Assigned]:
    """What each part's answer cell assigns (see :mod:`membranelab.service.cells`), by answer
    grade id.  When another code cell that runs after it and before the part's test cell binds
    the pre-filled variable (any cell before the test, when the answer cell assigns nothing),
    the answer counts as ``computed``: code decides it."""
    cells = _cell_sources(nb)
    order = {gid: i for i, (gid, _) in enumerate(cells) if gid}
    out = {}
    for pc in parts:
        index = order.get(pc.answer_id)
        found = assigned(cells[index][1], pc.names) if index is not None else Assigned("none")
        start = index + 1 if index is not None and found.kind != "none" else 0
        stop = order.get(pc.test_id, len(cells))
        if any(stores_name(src, (pc.variable,)) for i, (_, src) in enumerate(cells)
               if start <= i < stop and i != index):
            found = Assigned("computed", pc.variable)
        out[pc.answer_id] = found
    return out


def read_answers(nb: Mapping, parts: list[PartCells]) -> dict[str, str | None]:
    """Answer text per answer grade id (None: missing, or not a plain string or number)."""
    return {gid: a.text for gid, a in read_cells(nb, parts).items()}


def grade_notebook(nb: Mapping, assignment: Assignment, student: str, bank, *,
                   key: bytes | None = None,
                   review: list[str] | None = None) -> dict[str, float | None]:
    """Points per test grade id for ``student``'s notebook, graded directly from its answers
    (None where the answer is computed by code and cannot be read).  ``key``: the student's
    variant key in a graded course (:mod:`membranelab.service.secret`).  Test ids whose answer
    could not be decided in time (``needs_review``) are appended to ``review``."""
    from membranelab.bank import grade_part

    parts = part_cells(assignment, bank)
    found = read_cells(nb, parts)
    points: dict[str, float | None] = {}
    for pc in parts:
        answer = found[pc.answer_id]
        if answer.kind == "computed":
            points[pc.test_id] = None
            continue
        if not (answer.text or "").strip():
            points[pc.test_id] = 0.0
            continue
        problem = bank.problems[pc.problem_id]
        variant = _variant(problem, student, assignment.id, key)
        result = grade_part(problem, variant, problem.part(pc.part_id), answer.text)
        if review is not None and result.note == NEEDS_REVIEW:
            review.append(pc.test_id)
        points[pc.test_id] = round(min(max(result.score, 0.0), 1.0) * pc.points, 6)
    return points


def _variant(problem, student: str, assignment: str, key: bytes | None):
    if key is None:
        return problem.variant(student, assignment)
    return problem.variant(student, assignment, key=key)


@dataclass(frozen=True)
class Discrepancy:
    """A test cell whose nbgrader score differs from the direct grading of the answer
    (``direct`` is None for a computed answer); ``kind`` is one of :data:`CLASSES`."""

    student: str
    test_id: str
    nbgrader: float | None
    direct: float | None
    kind: Difference = Difference.TAMPERED


@dataclass
class AuditReport:
    """What an audit looked at and what it found."""

    submissions: int = 0
    parts: int = 0
    differences: list[Discrepancy] = field(default_factory=list)
    #: Students whose notebook took longer than the deadline to grade (not audited).
    skipped: list[str] = field(default_factory=list)
    #: (student, test id) of answers that could not be decided in time: check them by hand.
    review: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Differences per class (every class present, zero included)."""
        found = Counter(Difference(d.kind) for d in self.differences)
        return {kind.value: found.get(kind, 0) for kind in CLASSES}

    @property
    def tampered(self) -> list[Discrepancy]:
        """The differences that make the audit fail."""
        return [d for d in self.differences if d.kind is Difference.TAMPERED]

    def summary(self, lang: str = "en") -> str:
        """One line: how much was audited, and the differences by class (in ``lang``)."""
        from membranelab.messages import gettext

        counts = {kind: n for kind, n in self.counts().items()}
        line = gettext("course.audit_summary", lang, submissions=self.submissions,
                       parts=self.parts, differences=len(self.differences),
                       counts={"msg": "course.audit_counts", **counts})
        if self.review:
            line += gettext("course.audit_summary_review", lang, n=len(self.review))
        if self.skipped:
            line += gettext("course.audit_summary_skipped", lang, n=len(self.skipped))
        return line


def classify(nbgrader: float | None, direct: float | None, *,
             tolerance: float = 1e-6) -> Difference | None:
    """The class of one test cell's difference, or None when the scores agree."""
    if nbgrader is None:
        return Difference.MISSING
    if direct is None:  # computed: only credit that cannot be verified is worth a line
        return Difference.COMPUTED if nbgrader > tolerance else None
    if abs(nbgrader - direct) <= tolerance:
        return None
    return Difference.TAMPERED if nbgrader > direct else Difference.LOWER


_CONTEXT: dict[str, Any] = {}


def _open(bank_root: str, assignment: Assignment) -> None:
    """The audit worker's initializer: load the bank and keep the assignment in ``_CONTEXT``."""
    from membranelab.bank import load_bank

    _CONTEXT.update(assignment=assignment, bank=load_bank(bank_root))


def _grade_one(nb: Mapping, student: str, key: bytes | None
               ) -> tuple[dict[str, float | None], list[str]]:
    """One notebook, in the audit's worker process (see :func:`_open`): points per test id and
    the test ids to review."""
    review: list[str] = []
    points = grade_notebook(nb, _CONTEXT["assignment"], student, _CONTEXT["bank"], key=key,
                            review=review)
    return points, review


def audit_assignment(course_dir: str | Path, assignment: Assignment, bank,
                     *, tolerance: float = 1e-6, secret: bytes | None = None,
                     seconds: float = NOTEBOOK_SECONDS) -> AuditReport:
    """Compare the gradebook's autograded scores with direct grading, for every submission in
    ``autograded/<student>/<assignment>/``, and classify each difference.  ``secret``: the
    course secret of a graded course (:mod:`membranelab.service.secret`).  Each notebook gets at
    most ``seconds`` (one that overruns is skipped and named; the audit goes on)."""
    from nbgrader.api import Gradebook, MissingEntry

    course_dir = Path(course_dir)
    report = AuditReport()
    folder = course_dir / "autograded"
    paths = sorted(folder.glob(f"*/{assignment.id}/{assignment.notebook}"))
    if not paths:
        return report
    db = f"sqlite:///{course_dir / 'gradebook.db'}"
    with Gradebook(db) as gb, WorkerPool(1, initializer=_open,
                                         initargs=(str(bank.root), assignment)) as pool:
        for path in paths:
            student = path.parent.parent.name
            nb = json.loads(path.read_text(encoding="utf-8"))
            key = None
            if secret is not None:
                from membranelab.service.secret import student_key

                key = student_key(secret, assignment.id, student)
            done = pool.call(_grade_one, nb, student, key, seconds=seconds)
            if done.status in (Status.TIMEOUT, Status.GONE):  # named, and the audit goes on
                report.skipped.append(student)
                continue
            if done.status is not Status.DONE:
                raise AuditError(f"the audit's worker process failed: {done.status.value} "
                                 f"{done.detail} {done.incident}".strip())
            graded = done.value
            direct, to_review = graded
            report.review.extend((student, test_id) for test_id in to_review)
            report.submissions += 1
            for test_id, points in direct.items():
                report.parts += 1
                try:
                    score = gb.find_grade(test_id, path.stem, assignment.id, student).score
                except MissingEntry:  # no grade row: reported as missing
                    score = None
                kind = classify(score, points, tolerance=tolerance)
                if kind is not None:
                    report.differences.append(Discrepancy(student, test_id, score, points, kind))
    return report


def report_lines(report: AuditReport, lang: str = "en") -> list[str]:
    """The audit's printed lines, in ``lang``: one per difference, then the summary (and a
    warning when nothing was audited)."""
    from membranelab.messages import gettext

    lines = []
    for d in report.differences:
        direct = (gettext("course.audit_unreadable", lang) if d.direct is None
                  else f"{d.direct:g}")
        nbg = gettext("course.audit_none", lang) if d.nbgrader is None else f"{d.nbgrader:g}"
        lines.append(gettext("course.audit_line", lang,
                             kind=gettext(KIND_NAMES[Difference(d.kind)], lang),
                             student=d.student, test=d.test_id, nbgrader=nbg, direct=direct))
    lines.extend(gettext("course.audit_review_line", lang, student=student, test=test_id)
                 for student, test_id in report.review)
    lines.extend(gettext("course.audit_skipped_line", lang, student=student)
                 for student in report.skipped)
    lines.append(report.summary(lang))
    return lines


#: The warning when no autograded submission was found (its catalog key; ``folder``).
NO_SUBMISSIONS = "course.audit_no_submissions"


def main(argv: list[str] | None = None) -> int:
    """``python -m membranelab.course.answers ASSIGNMENT [--course DIR]``: classify the
    differences between the gradebook and direct grading; exit 1 only when one is tampered."""
    import argparse
    import sys

    from membranelab.bank import load_bank
    from membranelab.service.assignments import load_assignments

    parser = argparse.ArgumentParser(prog="python -m membranelab.course.answers",
                                     description=(main.__doc__ or "").splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", default=".", help="course root (default: .)")
    args = parser.parse_args(argv)
    bank = load_bank()
    by_id = {a.id: a for a in load_assignments(Path(args.course) / "assignments.yaml",
                                               bank.problems)}
    if args.assignment not in by_id:
        parser.error(f"no assignment {args.assignment!r}; known: {sorted(by_id)}")
    assignment = by_id[args.assignment]
    secret = None
    if assignment.graded:
        from membranelab.service.secret import load_secret

        secret = load_secret(args.course)
    report = audit_assignment(args.course, assignment, bank, secret=secret)
    for line in report_lines(report):
        print(line)
    if not report.submissions:
        folder = Path(args.course) / "autograded" / "*" / args.assignment
        from membranelab.messages import gettext

        print(gettext(NO_SUBMISSIONS, "en", folder=str(folder)), file=sys.stderr)
    return 1 if report.tampered else 0


if __name__ == "__main__":
    raise SystemExit(main())
