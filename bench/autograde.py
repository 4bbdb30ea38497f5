"""Wall time of ``nbgrader autograde`` per submission against grading the same answers directly.

    .venv/bin/python bench/autograde.py [--students 6] [--assignment ps1-equilibrium]

In a temporary copy of ``course/``: ``nbgrader generate_assignment``, one submission per student
(answers right for the student's own variant on even parts, a typical wrong value on odd ones),
then

* ``nbgrader autograde`` (one kernel per notebook: start, imports, run every cell, gradebook);
* the same answers graded directly: read statically from each submitted notebook and graded with
  :func:`membranelab.bank.grade` (``membranelab.course.answers.grade_notebook``), in this warm
  process and in a fresh one (imports and bank loading included).

Prints seconds per submission for both, their ratio, and whether the totals agree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEMBRANELAB_STUDENT", "JUPYTERHUB_USER")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _nbgrader(course: Path, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=_env(),
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def _answer(bank, assignment: str, student: str, pc, right: bool) -> str:
    problem = bank.problems[pc.problem_id]
    answer = problem.variant(student, assignment).answers()[pc.part_id]
    if right:
        return f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text
    if answer.kind == "numeric":
        return f"{2 * answer.value + 1:.4g} {answer.unit}"
    if answer.kind == "choice":
        return next(c for c in problem.part(pc.part_id).choices if c != answer.text)
    return f"2*({answer.text})"


def main(argv: list[str] | None = None) -> int:
    from membranelab.bank import load_bank
    from membranelab.course.answers import grade_notebook
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--assignment", default=None, help="default: the first of the course")
    args = parser.parse_args(argv)

    bank = load_bank()
    assignments = {a.id: a for a in load_assignments(REPO / "course/assignments.yaml",
                                                     bank.problems)}
    assignment = assignments[args.assignment or next(iter(assignments))]
    parts = part_cells(assignment, bank)
    students = [f"student{i:03d}" for i in range(args.students)]

    with tempfile.TemporaryDirectory(prefix="membranelab-bench-") as tmp:
        course = Path(tmp)
        for name in ("nbgrader_config.py", "assignments.yaml"):
            shutil.copy2(REPO / "course" / name, course / name)
        shutil.copytree(REPO / "course/source", course / "source")
        _nbgrader(course, "generate_assignment", assignment.id)
        release = json.loads((course / "release" / assignment.id / assignment.notebook)
                             .read_text(encoding="utf-8"))
        for sid in students:
            nb = json.loads(json.dumps(release))
            text = {pc.answer_id: _answer(bank, assignment.id, sid, pc, i % 2 == 0)
                    for i, pc in enumerate(parts)}
            var = {pc.answer_id: pc.variable for pc in parts}
            for cell in nb["cells"]:
                gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
                if gid in text:
                    cell["source"] = f"{var[gid]} = {json.dumps(text[gid])}"
            folder = course / "submitted" / sid / assignment.id
            folder.mkdir(parents=True)
            (folder / assignment.notebook).write_text(json.dumps(nb), encoding="utf-8")

        nbgrader_s = _nbgrader(course, "autograde", assignment.id)

        start = time.perf_counter()
        direct = {}
        for sid in students:
            path = course / "submitted" / sid / assignment.id / assignment.notebook
            nb = json.loads(path.read_text(encoding="utf-8"))
            direct[sid] = sum(grade_notebook(nb, assignment, sid, bank).values())
        direct_s = time.perf_counter() - start

        # The same in a fresh process: imports and bank loading included, as a batch job pays.
        script = (
            "import json, sys\n"
            "from pathlib import Path\n"
            "from membranelab.bank import load_bank\n"
            "from membranelab.course.answers import grade_notebook\n"
            "from membranelab.service.assignments import load_assignments\n"
            "course, aid = Path(sys.argv[1]), sys.argv[2]\n"
            "bank = load_bank()\n"
            "a = {x.id: x for x in load_assignments(course / 'assignments.yaml')}[aid]\n"
            "for p in sorted(course.glob(f'submitted/*/{aid}/{aid}.ipynb')):\n"
            "    grade_notebook(json.loads(p.read_text()), a, p.parent.parent.name, bank)\n")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", script, str(course), assignment.id], check=True,
                       env=_env())
        cold_s = time.perf_counter() - start

        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "membranelab") as gb:
            auto = {sid: gb.find_submission(assignment.id, sid).score for sid in students}

    n = len(students)
    agree = all(abs(auto[s] - direct[s]) < 1e-6 for s in students)
    print(f"assignment {assignment.id}: {len(parts)} parts, {n} submissions")
    print(f"nbgrader autograde : {nbgrader_s / n:8.3f} s per submission ({nbgrader_s:.1f} s total)")
    print(f"direct (bank.grade): {direct_s / n:8.3f} s per submission ({direct_s:.2f} s total)")
    print(f"direct, fresh process: {cold_s / n:8.3f} s per submission ({cold_s:.2f} s total, "
          "imports and bank loading included)")
    print(f"ratio autograde / direct: {nbgrader_s / max(direct_s, 1e-9):.0f}x warm, "
          f"{nbgrader_s / max(cold_s, 1e-9):.0f}x fresh process")
    print(f"totals agree: {agree} (e.g. {students[0]}: nbgrader {auto[students[0]]:g}, "
          f"direct {direct[students[0]]:g})")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
