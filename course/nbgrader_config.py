"""nbgrader configuration of the membranelab course (run nbgrader from this directory).

Per-student variants: two preprocessors from membranelab.nbgrader_ext wrap nbgrader's Execute
step, so every locked cell runs with MEMBRANELAB_STUDENT set to the id the submission was filed
under (submitted/<id>/<assignment>/).  No nbgrader patch; see course/README.md.
"""

import os

from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute

c = get_config()  # noqa: F821 -- provided by traitlets when it loads this file

_HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "membranelab"
c.CourseDirectory.root = _HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_HERE, "gradebook.db")

# Release cells read `E_K = ""` (the line above the solution region); the region becomes nothing.
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per cell; grading itself is bounded by membranelab.grading.limits.
c.Execute.timeout = 120

# Feedback level of every test cell's message when grading: "full" (direction and size of the
# error), "named" (the named mistake, unit and format notes, otherwise "not right"), "score"
# (right or wrong only).  Empty: the level in course/assignments.yaml (default "named").
c.InjectStudentId.feedback = ""
# A graded course (mode: graded in assignments.yaml) is graded by `membranelab course grade`, from
# the typed answers, running no student code; InjectStudentId refuses its notebooks, so
# `nbgrader autograde` never runs a graded student's code next to the course secret.

# Setting the trait replaces the whole list: rebuild nbgrader's default around Execute.
_pps = Autograde.autograde_preprocessors.default()
_i = _pps.index(Execute)
c.Autograde.autograde_preprocessors = (
    _pps[:_i]
    + ["membranelab.nbgrader_ext.InjectStudentId", Execute, "membranelab.nbgrader_ext.StripStudentId"]
    + _pps[_i + 1:]
)

# Deleted cells: put answer cells back empty (membranelab), then nbgrader re-adds test cells.
# Untouched test cells get their hidden tests back before OverwriteCells compares checksums, so
# only a locked cell a student really edited is reported (once, by name).
_san = Autograde.sanitize_preprocessors.default()
_j = [getattr(p, "__name__", p) for p in _san].index("OverwriteCells")
c.Autograde.sanitize_preprocessors = (
    _san[:_j]
    + ["membranelab.nbgrader_ext.RestoreAnswerCells", "membranelab.nbgrader_ext.RestoreHiddenTests"]
    + _san[_j:]
)
c.OverwriteCells.add_missing_cells = True
