"""The numbers a graded course releases: each rostered student's parameter values, never answers.

nbgrader releases one notebook for the whole class, and in a graded course the students' kernels
cannot compute anyone's variant (the course secret stays with the teacher).  So
``membranelab course build`` writes, beside each graded notebook,
``source/<assignment>/membranelab-numbers.json`` (nbgrader copies it into the release)::

    {"assignment": "ps1-equilibrium", "version": 1,
     "students": {"alice": {"nernst-potassium": {
         "params": {"K_out": 4, "K_in": 140, "T": 310, "V_rest": -72},
         "statement": "Markdown with alice's numbers ...",
         "prompts": {"direction": "At a resting potential of -72 mV, ..."}}}}}

Students are keyed by their trimmed, case-folded id.  The statement and prompts are rendered from
the parameters and the values derived from them for the *statement* (bank placeholders); a
problem whose statement or prompts would print a part's answer is refused at build time.  Anyone
can read every rostered student's numbers here: numbers are not answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from membranelab.bank import Bank, Problem
    from membranelab.bank.model import Variant

    from .assignments import Assignment

__all__ = ["NUMBERS_FILE", "NumbersError", "numbers_json", "released_numbers"]

#: The file's name, beside the assignment's notebook.
NUMBERS_FILE = "membranelab-numbers.json"
_VERSION = 1


class NumbersError(ValueError):
    """A statement would give an answer away, or the numbers file cannot be read."""


def _student_entry(problem: Problem, variant: Variant) -> dict[str, Any]:
    answers = {part.id for part in problem.parts}
    from membranelab.bank.template import placeholders

    texts = [problem.body, *(part.prompt for part in problem.parts)]
    leaked = sorted({ph.name for text in texts for ph in placeholders(text)
                     if ph.name in answers and not ph.prefix})
    if leaked:
        raise NumbersError(f"{problem.id}: its statement or prompts print the answer of part(s) "
                           f"{', '.join(leaked)}; it cannot be released in a graded course")
    from membranelab.bank.render import build, get_format

    view = build(variant)  # the notebook has its own heading: the statement goes without one
    return {"params": dict(variant.params),
            "statement": get_format("markdown").statement(view, title=False),
            "prompts": {part.id: part.prompt for part in view.parts}}


def numbers_json(assignment: Assignment, bank: Bank, students: Iterable[str],
                 key_of: Callable[[str], bytes | None]) -> str:
    """The numbers file's text for ``students`` (ids), each variant keyed by ``key_of(student)``."""
    from membranelab.bank.variants import canonical_id

    out: dict[str, Any] = {}
    for student in students:
        key = key_of(student)
        entry: dict[str, Any] = {}
        for pid in assignment.problems:
            problem = bank.problems[pid]
            variant = problem.variant(student, assignment.id, key=key)
            entry[pid] = _student_entry(problem, variant)
        out[canonical_id(student)] = entry
    data = {"assignment": assignment.id, "version": _VERSION, "students": out}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def released_numbers(assignment: str, student: str, folder: str | Path | None = None
                     ) -> dict[str, Any] | None:
    """The released numbers of ``student`` (by problem id) from ``folder``'s numbers file
    (default: the working directory, the notebook's folder in Jupyter); None when the student is
    not on the roster.  NumbersError when the file is missing or unreadable."""
    from membranelab.bank.variants import canonical_id

    path = Path(folder if folder is not None else Path.cwd()) / NUMBERS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NumbersError(f"{path.name} is missing or unreadable beside this notebook ({exc}); "
                           "download the assignment again or ask your teacher") from None
    if not isinstance(data, dict) or data.get("assignment") != assignment:
        raise NumbersError(f"{path.name} belongs to another assignment; download this "
                           "assignment again")
    students = data.get("students") or {}
    entry = students.get(canonical_id(student))
    return entry if isinstance(entry, dict) else None
