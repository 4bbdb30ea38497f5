"""Scores into nbgrader's gradebook, per test cell, as ``nbgrader autograde`` records them.

What autograde writes for one submitted notebook (nbgrader 0.9.6: ``Autograde.init_assignment``,
``SaveAutoGrades``, ``AssignLatePenalties``), written here in **one transaction per notebook**:

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
from datetime import datetime
from pathlib import Path
from typing import Any

from .autograded import SourceCell, SourceNotebook

__all__ = ["GradebookError", "GradebookWriter", "course_config", "load_source"]


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


class GradebookWriter:
    """One open gradebook for one assignment notebook; :meth:`write` records one submission."""

    def __init__(self, db_url: str, course_id: str, assignment: str, notebook: str,
                 config: Any) -> None:
        from nbgrader.api import Gradebook, MissingEntry
        from nbgrader.preprocessors import AssignLatePenalties

        self.gb = Gradebook(db_url, course_id)
        # the assignment's rows are read once, not again after every notebook's commit
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
        penalties = AssignLatePenalties(config=config)
        penalties.init_plugin()
        self.plugin = penalties.plugin_inst

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _submission(self, student: str, timestamp: datetime | None) -> Any:
        """The student's submission, created with its notebooks' grade and comment rows (as
        ``Gradebook.add_submission`` does, without committing)."""
        from nbgrader.api import (
            Comment,
            Grade,
            Student,
            SubmittedAssignment,
            SubmittedNotebook,
        )

        db = self.gb.db
        person = db.get(Student, student)
        if person is None:
            person = Student(id=student)
            db.add(person)
        found = (db.query(SubmittedAssignment)
                 .filter(SubmittedAssignment.assignment_id == self.assignment.id,
                         SubmittedAssignment.student_id == student).one_or_none())
        if found is None:
            notebooks = list(self.assignment.notebooks)
            with db.no_autoflush:
                found = SubmittedAssignment(assignment=self.assignment, student=person)
                db.add(found)
                for notebook in notebooks:  # SQLAlchemy 2 cascades no backrefs: add each
                    nb = SubmittedNotebook(notebook=notebook, assignment=found)
                    rows: list[Any] = [nb]
                    rows += [Grade(cell_id=c.id, notebook=nb) for c in notebook.grade_cells]
                    rows += [Comment(cell_id=c.id, notebook=nb) for c in notebook.solution_cells]
                    for cell in notebook.task_cells:
                        rows += [Comment(cell_id=cell.id, notebook=nb),
                                 Grade(cell_id=cell.id, notebook=nb)]
                    db.add_all(rows)
        if timestamp is not None:
            found.timestamp = timestamp
        return found

    def write(self, student: str, timestamp: datetime | None, scores: Mapping[str, float],
              unanswered: frozenset[str] | set[str],
              manual: frozenset[str] | set[str] = frozenset()) -> float | None:
        """Record one notebook's scores (test grade id -> points) and "No response." comments
        (answer grade ids unchanged from the release), then its late penalty, in one
        transaction; returns the penalty (None: on time, or no penalty).  ``manual``: test
        grade ids marked "needs manual grade" for the formgrader (an answer computed by code,
        or one the grader could not decide in time)."""
        submission = self._submission(student, timestamp)
        nb = next(n for n in submission.notebooks if n.notebook.name == self.notebook.name)
        total = 0.0
        for grade in nb.grades:
            name = self.cell_names.get(grade.cell_id)
            grade.auto_score = float(scores.get(name, 0.0)) if name is not None else None
            grade.needs_manual_grade = (grade.manual_score is not None
                                        or grade.auto_score is None or name in manual)
            final = grade.manual_score if grade.manual_score is not None else grade.auto_score
            total += (final or 0.0) + (grade.extra_credit or 0.0)
        for comment in nb.comments:
            name = self.cell_names.get(comment.cell_id)
            comment.auto_comment = "No response." if name in unanswered else None
        penalty = None
        late = submission.total_seconds_late
        if late > 0:
            penalty = self.plugin.late_submission_penalty(student, total, late)
            if penalty is not None:
                penalty = min(max(float(penalty), 0.0), total)
        nb.late_submission_penalty = penalty
        self.gb.db.commit()
        return penalty
