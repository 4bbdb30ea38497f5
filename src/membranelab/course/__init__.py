"""The nbgrader course: build ``course/source/`` from the bank, check it has not drifted."""

from membranelab.service.assignments import Assignment, AssignmentsError, load_assignments

from .build import build_course, check_course_drift

__all__ = ["Assignment", "AssignmentsError", "build_course", "check_course_drift",
           "load_assignments"]
