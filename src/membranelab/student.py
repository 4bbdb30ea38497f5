"""PUBLIC import path of the assignment-notebook runtime: what a student's nbgrader notebook
calls.

Released notebooks do ``from membranelab.student import check, show_part, ...`` (and
``import membranelab.student``), so this path stays as long as such notebooks exist.  The code
lives in :mod:`membranelab.notebooks.assignment`; this module only re-exports it (the functions and
the environment variables and catalog keys a course or its tests name).
"""

# The environment variables and catalog keys: public attributes (``X as X`` marks a re-export),
# not star-exported, as in the runtime module itself.
from membranelab.notebooks.assignment import DEFAULT_FEEDBACK as DEFAULT_FEEDBACK
from membranelab.notebooks.assignment import ENV_VAR as ENV_VAR
from membranelab.notebooks.assignment import FEEDBACK_VAR as FEEDBACK_VAR
from membranelab.notebooks.assignment import HUB_VAR as HUB_VAR
from membranelab.notebooks.assignment import NO_ID_MESSAGE as NO_ID_MESSAGE
from membranelab.notebooks.assignment import NOT_ROSTERED_MESSAGE as NOT_ROSTERED_MESSAGE
from membranelab.notebooks.assignment import SHOW_FAILED_MESSAGE as SHOW_FAILED_MESSAGE
from membranelab.notebooks.assignment import UNREADABLE_MESSAGE as UNREADABLE_MESSAGE
from membranelab.notebooks.assignment import (
    answer_in,
    check,
    current_student,
    read_back,
    set_student,
    show_part,
    show_variant,
)

__all__ = ["answer_in", "check", "current_student", "read_back", "set_student", "show_part",
           "show_variant"]
