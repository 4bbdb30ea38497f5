"""Scores into nbgrader's gradebook, per test cell, as ``nbgrader autograde`` records them.

What autograde writes for one submitted notebook (nbgrader 0.9.6: ``Autograde.init_assignment``,
``SaveAutoGrades``, ``AssignLatePenalties``), written here for a batch of whole notebooks in
one transaction (so each notebook is all or nothing):

* the student (created when new) and the submission, with the timestamp of
  ``submitted/<student>/<assignment>/timestamp.txt`` when there is one;
* each grade cell's ``auto_score`` (``needs_manual_grade`` when a manual score exists, so a
  teacher's own score is never overwritten and is flagged for a look);
* each answer cell's ``auto_comment``: "No response." when it is unchanged from the release;
* the notebook's late-submission penalty, by the course's configured plugin
  (``AssignLatePenalties.plugin_class``, ``LateSubmissionPlugin.penalty_method``), clamped to
  ``[0, score]`` as nbgrader clamps it.

The course's ``nbgrader_config.py`` is read with traitlets, as nbgrader reads it, for the
course id, the gradebook's URL, the folder layout and the late-penalty plugin.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .autograded import SourceCell, SourceNotebook

__all__ = ["GradebookError", "GradebookWriter", "Record", "course_config", "load_source"]


class GradebookError(ValueError):
    """The gradebook lacks the assignment (``nbgrader generate_assignment`` not run) or cannot
    be opened: a catalog ``key`` and its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        from membranelab.messages import gettext

        self.key, self.params = key, params
        super().__init__(gettext(key, "en", **params))

    def text(self, lang: str = "en") -> str:
        from membranelab.messages import gettext

        return gettext(self.key, lang, **self.params)


def course_config(course_dir: str | Path) -> Any:
    """The course's nbgrader configuration (a traitlets ``Config``; empty without a file)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    folder = Path(course_dir).resolve()
    if not (folder / "nbgrader_config.py").is_file():
        return Config()
    return PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def _order(course_dir: Path, assignment: str, notebook: str) -> list[str]:
    """Grade ids in the order of the source notebook's cells (empty when unreadable)."""
    path = course_dir / "source" / assignment / f"{notebook}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for cell in nb.get("cells", []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if isinstance(gid, str):
            out.append(gid)
    return out


def load_source(gb: Any, course_dir: Path, assignment: str, notebook: str) -> SourceNotebook:
    """The assignment notebook's cells as the gradebook keeps them, in the source's order."""
    from nbgrader.api import MissingEntry

    try:
        record = gb.find_notebook(notebook, assignment)
    except MissingEntry:
        raise GradebookError("course.grade_no_assignment", assignment=assignment,
                             notebook=notebook) from None
    points = {c.name: float(c.max_score) for c in record.grade_cells}
    solutions = {c.name for c in record.solution_cells}
    cells = {c.name: SourceCell(c.name, c.cell_type, c.source or "", bool(c.locked),
                                c.name in solutions, c.name in points, points.get(c.name),
                                c.checksum)
             for c in record.source_cells}
    order = [name for name in _order(course_dir, assignment, notebook) if name in cells]
    order += sorted(set(cells) - set(order))
    kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python",
                  "name": "python3"}
    return SourceNotebook(notebook, tuple(cells[name] for name in order), kernelspec)


@dataclass(frozen=True)
class Record:
    """One graded notebook for the gradebook: the student, the submission's time (None: none
    recorded), points per test grade id, answer grade ids left as released ("No response."),
    and test grade ids to mark "needs manual grade" (computed by code, or undecided)."""

    student: str
    timestamp: datetime | None
    scores: Mapping[str, float]
    unanswered: frozenset[str]
    manual: frozenset[str] = frozenset()


class GradebookWriter:
    """One open gradebook for one assignment notebook; :meth:`write_many` records a batch of
    submissions in one transaction (:meth:`write`: one).

    The rows are those ``Gradebook.add_submission`` and autograde's ``SaveAutoGrades`` make,
    written with SQLAlchemy Core statements on nbgrader's own tables (their column defaults,
    e.g. new ids from ``nbgrader.api.new_uuid``), a few statements per batch instead of the
    ORM's loads and flushes per row: the ORM spent about 50 ms of CPU per notebook here.
    A batch is all or nothing, so each notebook in it is too."""

    def __init__(self, db_url: str, course_id: str, assignment: str, notebook: str,
                 config: Any) -> None:
        from nbgrader.api import Gradebook, MissingEntry
        from nbgrader.preprocessors import AssignLatePenalties

        self.gb = Gradebook(db_url, course_id)
        # the assignment's rows are read once, not again after every commit
        self.gb.db.expire_on_commit = False
        try:
            self.assignment = self.gb.find_assignment(assignment)
            self.notebook = self.gb.find_notebook(notebook, assignment)
        except MissingEntry:
            self.gb.close()
            raise GradebookError("course.grade_no_assignment", assignment=assignment,
                                 notebook=notebook) from None
        self.cell_names = {c.id: c.name for c in self.notebook.grade_cells}
        self.cell_names.update({c.id: c.name for c in self.notebook.solution_cells})
        # what a new submission gets per notebook of the assignment (as add_submission):
        # (notebook id, grade rows' cell ids, comment rows' cell ids)
        self.layout = []
        for nb in self.assignment.notebooks:
            tasks = [c.id for c in nb.task_cells]
            self.layout.append((nb.id, [c.id for c in nb.grade_cells] + tasks,
                                [c.id for c in nb.solution_cells] + tasks))
        self.duedate = self.assignment.duedate
        penalties = AssignLatePenalties(config=config)
        penalties.init_plugin()
        self.plugin = penalties.plugin_inst

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, student: str, timestamp: datetime | None, scores: Mapping[str, float],
              unanswered: frozenset[str] | set[str],
              manual: frozenset[str] | set[str] = frozenset()) -> float | None:
        """Record one notebook (see :meth:`write_many`); its late penalty or None."""
        record = Record(student, timestamp, scores, frozenset(unanswered), frozenset(manual))
        return self.write_many([record])[student]

    def write_many(self, records: list[Record]) -> dict[str, float | None]:
        """Record each notebook's scores (``auto_score`` per test cell; ``needs_manual_grade``
        where a manual score exists, the cell is in ``manual``, or the grade is not a test
        cell's), "No response." comments and late penalty, creating the student and the
        submission when new, in **one transaction**; per student, the penalty (None: on time,
        or no penalty).  Nothing is written if anything fails."""
        if not records:
            return {}
        try:
            penalties = self._write(records)
        except BaseException:
            self.gb.db.rollback()
            raise
        self.gb.db.commit()
        return penalties

    def _write(self, records: list[Record]) -> dict[str, float | None]:
        from nbgrader.api import (
            Comment,
            Grade,
            Student,
            SubmittedAssignment,
            SubmittedNotebook,
            new_uuid,
        )
        from sqlalchemy import bindparam, insert, select, update

        db = self.gb.db.connection()  # the session's transaction, Core statements on tables
        person, sa, sn = Student.__table__, SubmittedAssignment.__table__, \
            SubmittedNotebook.__table__
        grade_t, comment_t = Grade.__table__, Comment.__table__
        students = [r.student for r in records]
        if len(set(students)) != len(students):
            raise ValueError("one student twice in a batch")
        known = set(db.execute(select(person.c.id).where(person.c.id.in_(students))).scalars())
        new_people = [{"id": s} for s in students if s not in known]
        if new_people:
            db.execute(insert(person), new_people)
        found = {row.student_id: row for row in db.execute(
            select(sa.c.id, sa.c.student_id, sa.c.timestamp, sa.c.extension)
            .where(sa.c.assignment_id == self.assignment.id, sa.c.student_id.in_(students)))}
        fresh_sa: list[dict[str, Any]] = []
        fresh_nb: list[dict[str, Any]] = []
        fresh_grades: list[dict[str, Any]] = []
        fresh_comments: list[dict[str, Any]] = []
        stamps: list[dict[str, Any]] = []
        ours: dict[str, str] = {}  # student -> this notebook's submitted_notebook id
        late: dict[str, float] = {}
        for record in records:
            row = found.get(record.student)
            timestamp = record.timestamp
            extension = None
            if row is None:
                sid = new_uuid()
                fresh_sa.append({"id": sid, "assignment_id": self.assignment.id,
                                 "student_id": record.student, "timestamp": timestamp})
                for notebook_id, grade_cells, comment_cells in self.layout:
                    nid = new_uuid()
                    fresh_nb.append({"id": nid, "assignment_id": sid, "notebook_id": notebook_id})
                    fresh_grades += [{"id": new_uuid(), "notebook_id": nid, "cell_id": c}
                                     for c in grade_cells]
                    fresh_comments += [{"id": new_uuid(), "notebook_id": nid, "cell_id": c}
                                       for c in comment_cells]
                    if notebook_id == self.notebook.id:
                        ours[record.student] = nid
            else:
                extension = row.extension
                if timestamp is not None:
                    stamps.append({"sa_id": row.id, "stamp": timestamp})
                else:
                    timestamp = row.timestamp
            late[record.student] = self._seconds_late(timestamp, extension)
        if fresh_sa:
            db.execute(insert(sa), fresh_sa)
            db.execute(insert(sn), fresh_nb)
            if fresh_grades:
                db.execute(insert(grade_t), fresh_grades)
            if fresh_comments:
                db.execute(insert(comment_t), fresh_comments)
        if stamps:
            db.execute(update(sa).where(sa.c.id == bindparam("sa_id"))
                       .values(timestamp=bindparam("stamp")), stamps)
        old = [s for s in students if s not in ours]
        if old:
            ours.update({row.student_id: row.id for row in db.execute(
                select(sn.c.id, sa.c.student_id).join(sa, sn.c.assignment_id == sa.c.id)
                .where(sa.c.assignment_id == self.assignment.id, sa.c.student_id.in_(old),
                       sn.c.notebook_id == self.notebook.id))})
        by_nb = {ours[r.student]: r for r in records}
        grades, totals = [], dict.fromkeys(by_nb, 0.0)
        for row in db.execute(select(grade_t.c.id, grade_t.c.notebook_id, grade_t.c.cell_id,
                                     grade_t.c.manual_score, grade_t.c.extra_credit)
                              .where(grade_t.c.notebook_id.in_(list(by_nb)))):
            record = by_nb[row.notebook_id]
            name = self.cell_names.get(row.cell_id)
            auto = float(record.scores.get(name, 0.0)) if name is not None else None
            needs = row.manual_score is not None or auto is None or name in record.manual
            final = row.manual_score if row.manual_score is not None else auto
            totals[row.notebook_id] += (final or 0.0) + (row.extra_credit or 0.0)
            grades.append({"g_id": row.id, "auto": auto, "needs": needs})
        if grades:
            db.execute(update(grade_t).where(grade_t.c.id == bindparam("g_id"))
                       .values(auto_score=bindparam("auto"),
                               needs_manual_grade=bindparam("needs")), grades)
        comments = []
        for row in db.execute(select(comment_t.c.id, comment_t.c.notebook_id,
                                     comment_t.c.cell_id)
                              .where(comment_t.c.notebook_id.in_(list(by_nb)))):
            name = self.cell_names.get(row.cell_id)
            text = "No response." if name in by_nb[row.notebook_id].unanswered else None
            comments.append({"c_id": row.id, "text": text})
        if comments:
            db.execute(update(comment_t).where(comment_t.c.id == bindparam("c_id"))
                       .values(auto_comment=bindparam("text")), comments)
        out: dict[str, float | None] = {}
        penalties = []
        for nid, record in by_nb.items():
            penalty = None
            if late[record.student] > 0:
                penalty = self.plugin.late_submission_penalty(record.student, totals[nid],
                                                              late[record.student])
                if penalty is not None:
                    penalty = min(max(float(penalty), 0.0), totals[nid])
            out[record.student] = penalty
            penalties.append({"n_id": nid, "penalty": penalty})
        db.execute(update(sn).where(sn.c.id == bindparam("n_id"))
                   .values(late_submission_penalty=bindparam("penalty")), penalties)
        return out

    def _seconds_late(self, timestamp: datetime | None, extension: Any) -> float:
        """``SubmittedAssignment.total_seconds_late``: past the due date plus any extension."""
        if timestamp is None or self.duedate is None:
            return 0.0
        due = self.duedate + extension if extension is not None else self.duedate
        return max(0.0, (timestamp - due).total_seconds())
