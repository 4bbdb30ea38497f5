"""nbgrader preprocessors that tell the grading kernel whose submission it runs.

Imported only by the instructor's ``nbgrader autograde`` process (``course/nbgrader_config.py``
names them by their public path, :mod:`membranelab.nbgrader_ext`), never by student notebooks.
nbgrader passes every preprocessor ``resources["nbgrader"]["student"]``, the id parsed from
``submitted/<student>/<assignment>/``: the folder the submission was filed under, not anything
written in the notebook.

The pipelines declared in the course config are::

    sanitize:  ... RestoreAnswerCells, RestoreHiddenTests, OverwriteCells ...
    autograde: InjectStudentId, Execute, StripStudentId, ...

* :class:`InjectStudentId` puts a one-line cell setting ``MEMBRANELAB_STUDENT`` in front of every
  locked code cell (the variant display and the autograder tests), so whatever a student's own
  cells did to the variable, the grader's value is in force when display or test code runs.
  The same line resets ``MEMBRANELAB_BANK`` to the grader's own value and sets
  ``MEMBRANELAB_FEEDBACK`` when the course sets ``c.InjectStudentId.feedback``.  It never
  gives a kernel the course secret or a student key: a **graded** assignment's notebook is
  refused (``membranelab course grade`` grades it from the typed answers, running no student
  code), so ``nbgrader autograde`` of a graded assignment runs no student code.
* :class:`StripStudentId` removes those cells after execution, so the autograded notebook and the
  feedback report hold exactly the submitted cells.
* :class:`RestoreAnswerCells` (sanitize step, before ``OverwriteCells``) puts back, empty, any
  answer cell a student deleted.  nbgrader's own ``OverwriteCells.add_missing_cells`` then restores
  deleted test cells: it inserts each after the cell that preceded it in the source, and fails
  (``KeyError``, no grade for the whole notebook) when that cell -- the part's answer cell -- is
  gone too (checked on nbgrader 0.9.6).

* :class:`RestoreHiddenTests` (sanitize step, before ``OverwriteCells``) gives an untouched locked
  cell back its hidden tests.  nbgrader keeps the checksum of a test cell *with* its hidden
  tests (``SaveCells`` runs before ``ClearHiddenTests`` in ``generate_assignment``) while the
  student gets the cell without them, so ``OverwriteCells`` found every such cell "changed" and
  logged a checksum warning for each, on every notebook (19 on a 19-part graded assignment),
  hiding a real edit among them.  A cell exactly as released is now restored before the
  comparison, so only a cell the student really edited is reported: once, by its grade id
  (``OverwriteCells`` then restores it).  :func:`membranelab.course.locked.locked_cell_edits`
  names those cells without running nbgrader.

All four subclass :class:`nbgrader.preprocessors.NbGraderPreprocessor` (enabled by default); a
plain ``nbconvert`` ``Preprocessor`` subclass is disabled by default and would silently never run.
"""

from __future__ import annotations

import os

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from membranelab.messages import gettext
from membranelab.notebooks.assignment import FEEDBACK_VAR

__all__ = [
    "BANK_VAR", "ENV_VAR", "INJECTED_FLAG", "GradedAssignmentError", "InjectStudentId",
    "RestoreAnswerCells", "RestoreHiddenTests", "StripStudentId", "injected_source",
    "released_source",
]

#: Environment variable read by :func:`membranelab.student.current_student` first.
ENV_VAR = "MEMBRANELAB_STUDENT"
#: Cell metadata key marking the cells :class:`InjectStudentId` added.
INJECTED_FLAG = "membranelab_injected"


#: Where the kernel loads the bank from; pinned to the grader's own setting, so a student's cell
#: cannot point the tests at a bank of its own.
BANK_VAR = "MEMBRANELAB_BANK"


def injected_source(student: str, bank: str | None = None, *, feedback: str = "") -> str:
    """The one line run before each locked code cell (``repr`` quotes any id safely)."""
    env = "__import__('os').environ"
    line = f"{env}[{ENV_VAR!r}] = {student!r}"
    if bank:
        line += f"; {env}[{BANK_VAR!r}] = {bank!r}"
    else:
        line += f"; {env}.pop({BANK_VAR!r}, None)"
    line += (f"; {env}[{FEEDBACK_VAR!r}] = {feedback!r}" if feedback
             else f"; {env}.pop({FEEDBACK_VAR!r}, None)")
    return line


class GradedAssignmentError(RuntimeError):
    """``nbgrader autograde`` was asked to run a graded assignment's notebook (refused: no
    student code runs with the grader's rights where the answer key is)."""


def _graded_course(info) -> bool:
    """True when the course being graded is marked graded (its ``assignments.yaml``, beside the
    gradebook or in the working directory): decided by the teacher's files, never by the
    submitted notebook's metadata, which a student can edit.  An unreadable file counts as
    graded (the safe side)."""
    from pathlib import Path

    from membranelab.service.assignments import AssignmentsError, load_settings

    folders = [Path.cwd()]
    url = str(info.get("db_url") or "")
    if url.startswith("sqlite:///"):
        folders.insert(0, Path(url[len("sqlite:///"):]).parent)
    for folder in folders:
        path = folder / "assignments.yaml"
        if path.is_file():
            try:
                return load_settings(path).graded
            except AssignmentsError:
                return True
    return False


class InjectStudentId(NbGraderPreprocessor):
    """Insert a cell setting the graded student's id before every locked code cell (before Execute)."""

    feedback = Unicode(
        "", help="Feedback level of every test cell's message when grading (full, named, score); "
                 "empty: the level each test cell was built with (course/assignments.yaml)."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader") or {}
        student = info.get("student")
        if nb.metadata.get("membranelab", {}).get("graded") or _graded_course(info):
            raise GradedAssignmentError(gettext(
                "course.autograde_refused", "en", assignment=str(info.get("assignment", ""))))
        if not student:
            self.log.warning("membranelab: no student id in resources; variants not injected")
            return nb, resources
        code = injected_source(str(student), os.environ.get(BANK_VAR), feedback=self.feedback)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_locked(cell):
                cells.append(nbformat.v4.new_code_cell(code, metadata={INJECTED_FLAG: True}))
            cells.append(cell)
        nb.cells = cells
        return nb, resources


class StripStudentId(NbGraderPreprocessor):
    """Remove the cells :class:`InjectStudentId` inserted (after Execute)."""

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if not cell.metadata.get(INJECTED_FLAG)]
        return nb, resources


class RestoreAnswerCells(NbGraderPreprocessor):
    """Re-insert deleted answer (solution) cells, as released, before ``OverwriteCells`` runs.

    A re-inserted cell holds the release text (``E_K = ""``), so that part scores zero with the
    "no answer" message, and nbgrader can place the deleted test cell after it.
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            source = gb.find_notebook(info["notebook"], info["assignment"])
            order = [(c.name, c.cell_type, c.source, c.locked) for c in source.source_cells]
            solutions = {c.name for c in source.solution_cells}
        present = {cell.metadata.nbgrader["grade_id"]
                   for cell in nb.cells if utils.is_grade(cell) or utils.is_solution(cell)}
        for index, (name, cell_type, text, _locked) in enumerate(order):
            if name not in solutions or name in present or cell_type != "code":
                continue
            cell = nbformat.v4.new_code_cell(
                f"# This answer cell was missing from the submission; it was put back empty.\n{text}",
                metadata={"nbgrader": {"grade": False, "grade_id": name, "locked": False,
                                       "schema_version": 3, "solution": True, "task": False}})
            nb.cells.insert(self._position(nb, order[:index]), cell)
            present.add(name)
            self.log.warning("membranelab: answer cell %s was missing; put back empty", name)
        return nb, resources

    @staticmethod
    def _position(nb, earlier) -> int:
        """Just after the submitted cell that comes latest among the source's earlier cells."""
        names = [name for name, *_ in earlier]
        for name in reversed(names):
            for i, cell in enumerate(nb.cells):
                if cell.metadata.get("nbgrader", {}).get("grade_id") == name:
                    return i + 1
        return 0


def released_source(source: str) -> str | None:
    """The text nbgrader releases for a cell whose source is ``source``: its hidden-test regions
    cut (nbgrader's own ``ClearHiddenTests``); None when it has none (released as it is)."""
    from nbgrader.preprocessors import ClearHiddenTests

    cell = nbformat.v4.new_code_cell(source)
    return cell.source if ClearHiddenTests()._remove_hidden_test_region(cell) else None


class RestoreHiddenTests(NbGraderPreprocessor):
    """Put back the hidden tests of every locked cell submitted exactly as released, before
    ``OverwriteCells`` compares checksums (an edited cell is left for it to report and undo)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            source = gb.find_notebook(info["notebook"], info["assignment"])
            hidden = {c.name: (c.source, released) for c in source.source_cells
                      if c.locked and (released := released_source(c.source)) is not None}
        for cell in nb.cells:
            name = cell.metadata.get("nbgrader", {}).get("grade_id")
            if name in hidden and utils.is_locked(cell) and cell.source == hidden[name][1]:
                cell.source = hidden[name][0]
        return nb, resources
