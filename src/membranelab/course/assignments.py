"""``course/assignments.yaml``: which problems form each nbgrader assignment.

Format (a mapping with one key, ``assignments``, a list in release order)::

    assignments:
      - id: ps1-equilibrium            # nbgrader assignment id = folder under source/
        title: Equilibrium potentials  # heading of the generated notebook
        problems:                      # problem ids of the bank, in notebook order
          - nernst-potassium
          - ghk-resting

Each assignment becomes one notebook, ``source/<id>/<id>.ipynb``.  Errors name the file and the
field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["Assignment", "AssignmentsError", "load_assignments"]

#: nbgrader ids become folder names and gradebook keys: keep them plain.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


class AssignmentsError(ValueError):
    """``assignments.yaml`` is malformed (the message names the file and the field)."""


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment: its id, heading, and problem ids in order."""

    id: str
    title: str
    problems: tuple[str, ...]

    @property
    def notebook(self) -> str:
        """The notebook's file name inside ``source/<id>/``."""
        return f"{self.id}.ipynb"


def load_assignments(path: str | Path, problem_ids=None) -> tuple[Assignment, ...]:
    """Read and check ``assignments.yaml``; with ``problem_ids``, every id must be one of them."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AssignmentsError(f"{path}: cannot read ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        raise AssignmentsError(f"{path}: expected a mapping with a list 'assignments'")
    known = set(problem_ids) if problem_ids is not None else None
    result: list[Assignment] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["assignments"]):
        where = f"{path}: assignments[{index}]"
        if not isinstance(entry, dict):
            raise AssignmentsError(f"{where}: expected a mapping with id, title, problems")
        unknown = set(entry) - {"id", "title", "problems"}
        if unknown:
            raise AssignmentsError(f"{where}: unknown fields {sorted(unknown)}")
        aid = entry.get("id")
        if not isinstance(aid, str) or not ID_PATTERN.match(aid):
            raise AssignmentsError(
                f"{where}.id: {aid!r} is not a plain id (lower-case letters, digits, - and _)")
        if aid in seen:
            raise AssignmentsError(f"{where}.id: {aid!r} is used twice")
        seen.add(aid)
        problems = entry.get("problems")
        if (not isinstance(problems, list) or not problems
                or not all(isinstance(p, str) for p in problems)):
            raise AssignmentsError(f"{where}.problems: expected a non-empty list of problem ids")
        if len(set(problems)) != len(problems):
            raise AssignmentsError(f"{where}.problems: a problem is listed twice")
        if known is not None:
            missing = [p for p in problems if p not in known]
            if missing:
                raise AssignmentsError(
                    f"{where}.problems: {missing} are not in the bank; known ids: {sorted(known)}")
        title = entry.get("title", aid)
        if not isinstance(title, str):
            raise AssignmentsError(f"{where}.title: expected text, got {title!r}")
        result.append(Assignment(aid, title, tuple(problems)))
    if not result:
        raise AssignmentsError(f"{path}: 'assignments' is empty")
    return tuple(result)
