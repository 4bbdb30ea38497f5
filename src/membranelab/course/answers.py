"""Grade a submitted notebook from its answer values, without running any of its code.

nbgrader runs the student's notebook, so student code runs with the grader's rights and can, in
principle, patch the package the test cells call.  The answers themselves are plain values
(``E_K = "-95 mV"``), so they can be read statically (``ast``, never ``exec``) and graded
directly with :func:`membranelab.bank.grade`.  :func:`audit_assignment` does this for every
autograded submission and lists where nbgrader's score differs: a teacher's cross-check.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .assignments import Assignment
from .build import PartCells, part_cells

__all__ = ["Discrepancy", "audit_assignment", "grade_notebook", "main", "read_answers"]


def _literal(node: ast.expr) -> str | None:
    """The answer text of a literal right-hand side (a string or a number), else None."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    return None


def _assigned(source: str, variable: str) -> str | None:
    """The last literal assigned to ``variable`` at the top level of ``source``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    found = None
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == variable for t in stmt.targets):
            found = _literal(stmt.value)
        elif (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
              and stmt.target.id == variable and stmt.value is not None):
            found = _literal(stmt.value)
    return found


def read_answers(nb: Mapping, parts: list[PartCells]) -> dict[str, str | None]:
    """Answer text per answer grade id, read from the answer cells (None: missing, or not a
    plain string or number)."""
    sources = {}
    for cell in nb.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources[grade_id] = "".join(source) if isinstance(source, list) else source
    return {pc.answer_id: (_assigned(sources[pc.answer_id], pc.variable)
                           if pc.answer_id in sources else None) for pc in parts}


def grade_notebook(nb: Mapping, assignment: Assignment, student: str, bank) -> dict[str, float]:
    """Points per test grade id for ``student``'s notebook, graded directly from its answers."""
    from membranelab.bank import grade_part

    parts = part_cells(assignment, bank)
    answers = read_answers(nb, parts)
    points = {}
    for pc in parts:
        text = answers[pc.answer_id]
        if text is None or not text.strip():
            points[pc.test_id] = 0.0
            continue
        problem = bank.problems[pc.problem_id]
        variant = problem.variant(student, assignment.id)
        result = grade_part(problem, variant, problem.part(pc.part_id), text)
        points[pc.test_id] = round(min(max(result.score, 0.0), 1.0) * pc.points, 6)
    return points


@dataclass(frozen=True)
class Discrepancy:
    """A test cell whose nbgrader score differs from the direct grading of the answer."""

    student: str
    test_id: str
    nbgrader: float | None
    direct: float


def audit_assignment(course_dir: str | Path, assignment: Assignment, bank,
                     *, tolerance: float = 1e-6) -> list[Discrepancy]:
    """Compare the gradebook's autograded scores with direct grading, for every submission in
    ``autograded/<student>/<assignment>/``.  Empty when they agree."""
    from nbgrader.api import Gradebook, MissingEntry

    course_dir = Path(course_dir)
    out = []
    folder = course_dir / "autograded"
    db = f"sqlite:///{course_dir / 'gradebook.db'}"
    with Gradebook(db) as gb:
        for path in sorted(folder.glob(f"*/{assignment.id}/{assignment.notebook}")):
            student = path.parent.parent.name
            nb = json.loads(path.read_text(encoding="utf-8"))
            direct = grade_notebook(nb, assignment, student, bank)
            for test_id, points in direct.items():
                try:
                    score = gb.find_grade(test_id, path.stem, assignment.id, student).score
                except MissingEntry:  # not autograded (yet): a discrepancy to report
                    score = None
                if score is None or abs(score - points) > tolerance:
                    out.append(Discrepancy(student, test_id, score, points))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m membranelab.course.answers ASSIGNMENT [--course DIR]``: print disagreements
    between the gradebook and direct grading; exit 1 when there are any."""
    import argparse

    from membranelab.bank import load_bank

    from .assignments import load_assignments

    parser = argparse.ArgumentParser(prog="python -m membranelab.course.answers",
                                     description=main.__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", default=".", help="course root (default: .)")
    args = parser.parse_args(argv)
    bank = load_bank()
    by_id = {a.id: a for a in load_assignments(Path(args.course) / "assignments.yaml",
                                               bank.problems)}
    if args.assignment not in by_id:
        parser.error(f"no assignment {args.assignment!r}; known: {sorted(by_id)}")
    found = audit_assignment(args.course, by_id[args.assignment], bank)
    for d in found:
        print(f"{d.student}\t{d.test_id}\tnbgrader={d.nbgrader}\tdirect={d.direct:g}")
    print(f"{len(found)} disagreement(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
