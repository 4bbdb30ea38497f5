"""Helpers for the course tests: run nbgrader in a copy of the course, write students' notebooks.

Reference answers come from the bank's API (``Variant.answers()``), the solver the notebooks are
checked against, never from the notebook machinery.
"""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

from membranelab.course.build import part_cells
from membranelab.service.assignments import load_assignments

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "course"
BIN = Path(sys.executable).parent

#: Answers of the hostile student, one per part in turn.
HOSTILE = (
    "__import__('os').system('touch PWNED')",
    "1e999999 mV",
    "9**9**9**9**9",
    "' OR 1=1; --",
    "x" * 5000,
    "\x00\x1b[31m mV",
    "nan mV",
    "(" * 400 + "1" + ")" * 400,
    "exec('import os')",
    "R*T/F*ln(",
)


def copy_course(dest: Path) -> Path:
    """A fresh course root under ``dest``: the config, assignments.yaml and source/ only."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(COURSE / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copy2(COURSE / "assignments.yaml", dest / "assignments.yaml")
    shutil.copytree(COURSE / "source", dest / "source")
    return dest


def nbgrader_env() -> dict[str, str]:
    """The environment of the instructor's nbgrader: the venv's bin first on PATH (alembic), and
    a hub user that is nobody's submission, as in a hub terminal."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEMBRANELAB_STUDENT", "MEMBRANELAB_BANK", "JUPYTERHUB_USER")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTERHUB_USER"] = "instructor"
    return env


def nbgrader(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real nbgrader command line in ``course``; fail with its output when it fails."""
    exe = BIN / "nbgrader"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nbgrader"]
    proc = subprocess.run([*cmd, *args], cwd=course, env=nbgrader_env(), capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def parts_of(assignment_id: str, bank):
    """The PartCells of one assignment of the repository's course."""
    assignments = {a.id: a for a in load_assignments(COURSE / "assignments.yaml", bank.problems)}
    return part_cells(assignments[assignment_id], bank)


def correct_text(bank, assignment: str, student: str, problem_id: str, part_id: str) -> str:
    """What a student who got it right types: the bank's answer (numbers with their unit)."""
    answer = bank.problems[problem_id].variant(student, assignment).answers()[part_id]
    if answer.kind == "numeric" and answer.unit:
        return f"{answer.text} {answer.unit}"
    return answer.text


def typical_mistake(bank, assignment: str, student: str, problem_id: str, part_id: str) -> str:
    """A wrong answer a student plausibly writes.

    Numeric parts that list the ``log10`` mistake: the value with log10 in place of ln, i.e. the
    right value divided by ln 10 (every such formula is a multiple of a natural log). Other
    numeric parts: twice the value. Choices: another choice. Formulas: twice the formula.
    """
    problem = bank.problems[problem_id]
    part = problem.part(part_id)
    answer = problem.variant(student, assignment).answers()[part_id]
    if part.kind == "numeric":
        value = answer.value / math.log(10) if "log10" in part.answer_kind.mistakes else 2 * answer.value + 1
        return f"{value:.4g} {answer.unit}"
    if part.kind == "choice":
        return next(c for c in part.answer_kind.choices if c != answer.text)
    return f"2*({answer.text})"


def read_nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def grade_id(cell: dict) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def with_answers(release: dict, answers: dict[str, str], variables: dict[str, str]) -> dict:
    """A copy of the release notebook with answer cell ``grade_id`` set to ``var = "<text>"``."""
    nb = copy.deepcopy(release)
    for cell in nb["cells"]:
        gid = grade_id(cell)
        if gid in answers:
            cell["source"] = f"{variables[gid]} = {json.dumps(answers[gid])}"
    return nb


def set_source(nb: dict, gid: str, source: str) -> None:
    for cell in nb["cells"]:
        if grade_id(cell) == gid:
            cell["source"] = source
            return
    raise KeyError(gid)


def submit(course: Path, student: str, assignment: str, nb: dict) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{assignment}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
