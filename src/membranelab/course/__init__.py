"""The nbgrader course: build ``course/source/`` from the bank, check it has not drifted.

Building and grading need the ``[course]`` extra (nbgrader, nbformat); the names load lazily, so
importing a module of this package (or ``membranelab.course`` itself) on the plain install costs
nothing until one of them is used.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Assignment", "AssignmentsError", "build_course", "check_course_drift",
           "load_assignments", "locked_cell_edits"]

_WHERE = {"Assignment": "membranelab.service.assignments",
          "AssignmentsError": "membranelab.service.assignments",
          "load_assignments": "membranelab.service.assignments",
          "build_course": f"{__name__}.build", "check_course_drift": f"{__name__}.build",
          "locked_cell_edits": f"{__name__}.locked"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
