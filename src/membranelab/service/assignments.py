"""``course/assignments.yaml``: which problems form each nbgrader assignment.

Format (a mapping with one key, ``assignments``, a list in release order)::

    assignments:
      - id: ps1-equilibrium            # nbgrader assignment id = folder under source/
        title: Equilibrium potentials  # heading of the generated notebook
        problems:                      # problem ids of the bank, in notebook order
          - nernst-potassium
          - ghk-resting
        lang: zh                       # optional: the notebook's language (en, the default,
                                       # or zh); feedback comes out in it too

Each assignment becomes one notebook, ``source/<id>/<id>.ipynb``.  Errors name the file and the
field.

Optional course settings (a second key, ``course``), and a per-assignment ``feedback``::

    course:
      id: physiology-2026    # optional: the course's id (its secret's file name); default: the
                             # course folder's name
      mode: formative        # formative (default) or graded (see course/README.md)
      feedback: named        # what check() says about a wrong answer: full, named (default), score
      roster: roster.txt     # graded mode: the student ids, one per line (# comments), relative
                             # to this file; their numbers go out with the release
    assignments:
      - id: ps1-equilibrium
        feedback: score      # this assignment only
        scoring:             # optional: tries and credit over the problem files' (same keys as
          sign_credit: 0.5   # a problem's scoring:, problems/README.md "Scoring"; parts: by id)
        problems: [...]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from membranelab.bank.scoring import Layer
from membranelab.messages import FEEDBACK_LEVELS as _LEVELS

__all__ = ["Assignment", "AssignmentsError", "CourseSettings", "FEEDBACK_LEVELS", "LANGUAGES",
           "MODES", "load_assignments", "load_settings"]

#: Languages an assignment may be built in (``lang``; the bank has text in each).
LANGUAGES = ("en", "zh")

#: nbgrader ids become folder names and gradebook keys: keep them plain.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
#: Course modes: formative (the package can compute every variant) or graded (a course secret).
MODES = ("formative", "graded")
#: Feedback levels a course may set (the message catalog's levels).
FEEDBACK_LEVELS = _LEVELS
#: The level of graded and course output unless the course says otherwise.
DEFAULT_FEEDBACK = "named"


class AssignmentsError(ValueError):
    """``assignments.yaml`` is malformed (the message names the file and the field)."""


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment: its id, heading, problem ids in order, and language."""

    id: str
    title: str
    problems: tuple[str, ...]
    feedback: str = DEFAULT_FEEDBACK
    graded: bool = False
    lang: str = "en"
    #: The assignment's ``scoring:`` rules, over the problem files' (None: none).
    scoring: Layer | None = None

    @property
    def notebook(self) -> str:
        """The notebook's file name inside ``source/<id>/``."""
        return f"{self.id}.ipynb"


@dataclass(frozen=True)
class CourseSettings:
    """The ``course:`` settings: mode, default feedback level, roster file (graded mode), id."""

    mode: str = "formative"
    feedback: str = DEFAULT_FEEDBACK
    roster: Path | None = None
    id: str | None = None

    @property
    def graded(self) -> bool:
        """True for a course marked graded (a course secret enters every variant seed)."""
        return self.mode == "graded"

    def students(self) -> tuple[str, ...]:
        """The roster's student ids, in file order (AssignmentsError when it cannot be read)."""
        if self.roster is None:
            return ()
        try:
            lines = self.roster.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AssignmentsError(f"{self.roster}: cannot read the roster ({exc})") from None
        ids = [line.split("#", 1)[0].strip() for line in lines]
        return tuple(dict.fromkeys(i for i in ids if i))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AssignmentsError(f"{path}: cannot read ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        raise AssignmentsError(f"{path}: expected a mapping with a list 'assignments'")
    unknown = set(data) - {"assignments", "course"}
    if unknown:
        raise AssignmentsError(f"{path}: unknown keys {sorted(unknown)}")
    return data


def _feedback(value: Any, where: str) -> str:
    if value not in FEEDBACK_LEVELS:
        raise AssignmentsError(f"{where}: {value!r} is not a feedback level "
                               f"({', '.join(FEEDBACK_LEVELS)})")
    return str(value)


def load_settings(path: str | Path) -> CourseSettings:
    """The ``course:`` settings of ``assignments.yaml`` (defaults when absent)."""
    path = Path(path)
    course = _read(path).get("course") or {}
    if not isinstance(course, dict):
        raise AssignmentsError(f"{path}: course: expected a mapping (mode, feedback, roster)")
    unknown = set(course) - {"id", "mode", "feedback", "roster"}
    if unknown:
        raise AssignmentsError(f"{path}: course: unknown fields {sorted(unknown)}")
    mode = course.get("mode", "formative")
    if mode not in MODES:
        raise AssignmentsError(f"{path}: course.mode: {mode!r} is not one of {', '.join(MODES)}")
    feedback = _feedback(course.get("feedback", DEFAULT_FEEDBACK), f"{path}: course.feedback")
    roster = course.get("roster")
    if roster is not None and not isinstance(roster, str):
        raise AssignmentsError(f"{path}: course.roster: expected a file name, got {roster!r}")
    if mode == "graded" and not roster:
        raise AssignmentsError(f"{path}: course.roster: a graded course needs a roster file "
                               "(the ids whose numbers go out with the release)")
    cid = course.get("id")
    if cid is not None and (not isinstance(cid, str) or not ID_PATTERN.match(cid)):
        raise AssignmentsError(f"{path}: course.id: {cid!r} is not a plain id (lower-case "
                               "letters, digits, - and _)")
    return CourseSettings(mode, feedback, path.parent / roster if roster else None, cid)


def load_assignments(path: str | Path, problem_ids: Iterable[str] | None = None
                     ) -> tuple[Assignment, ...]:
    """Read and check ``assignments.yaml``; with ``problem_ids``, every id must be one of them."""
    path = Path(path)
    data = _read(path)
    settings = load_settings(path)
    known = set(problem_ids) if problem_ids is not None else None
    result: list[Assignment] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["assignments"]):
        where = f"{path}: assignments[{index}]"
        if not isinstance(entry, dict):
            raise AssignmentsError(f"{where}: expected a mapping with id, title, problems")
        # released: {problem: fingerprint} recorded at release (membranelab check warns on drift)
        unknown = set(entry) - {"id", "title", "problems", "feedback", "released", "lang",
                                   "scoring"}
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
        feedback = _feedback(entry.get("feedback", settings.feedback), f"{where}.feedback")
        lang = entry.get("lang", "en")
        if lang not in LANGUAGES:
            raise AssignmentsError(f"{where}.lang: {lang!r} is not one of {list(LANGUAGES)}")
        scoring = None
        if entry.get("scoring") is not None:
            try:
                scoring = Layer.from_mapping(entry["scoring"], f"{where}.scoring")
            except ValueError as exc:
                raise AssignmentsError(str(exc)) from None
        result.append(Assignment(aid, title, tuple(problems), feedback, settings.graded, lang,
                                 scoring))
    if not result:
        raise AssignmentsError(f"{path}: 'assignments' is empty")
    return tuple(result)
