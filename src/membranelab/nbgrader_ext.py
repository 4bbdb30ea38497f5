"""PUBLIC import path of membranelab's nbgrader preprocessors.

A course's ``nbgrader_config.py`` names them as ``membranelab.nbgrader_ext.InjectStudentId``,
``membranelab.nbgrader_ext.StripStudentId``, ``membranelab.nbgrader_ext.RestoreAnswerCells`` and
``membranelab.nbgrader_ext.RestoreHiddenTests``
(see course/README.md), so this path stays.  The code lives in
:mod:`membranelab.notebooks.preprocessors`; this module only re-exports it.
"""

from membranelab.notebooks.preprocessors import (
    BANK_VAR,
    ENV_VAR,
    INJECTED_FLAG,
    GradedAssignmentError,
    InjectStudentId,
    RestoreAnswerCells,
    RestoreHiddenTests,
    StripStudentId,
    injected_source,
)

__all__ = [
    "BANK_VAR", "ENV_VAR", "INJECTED_FLAG", "GradedAssignmentError", "InjectStudentId",
    "RestoreAnswerCells", "RestoreHiddenTests", "StripStudentId", "injected_source",
]
