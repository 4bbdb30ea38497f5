"""A graded class through ``membranelab course grade``, beside ``nbgrader autograde``.

    .venv/bin/python bench/autograde.py [--students 300] [--sample 3] [--jobs 2]
                                        [--assignment ps1-equilibrium] [--profile]

In a temporary graded copy of ``course/`` (the secret in a temporary config directory):
``membranelab course secret``, ``course build``, ``nbgrader generate_assignment``, then one
submission per student (the right answer for the student's own keyed numbers on even parts, a
typical wrong value on odd ones), then, each from the same fresh gradebook:

* ``membranelab course grade -j 1`` on all of them: the baseline of the same run (one worker);
* ``membranelab course grade -j JOBS``, as the teacher runs it (a fresh process: imports,
  bank loading, grading, ``autograded/`` and the gradebook);
* ``nbgrader autograde`` on ``--sample`` of the same notebooks, in a copy of the course with
  nbgrader's stock pipeline (a graded course refuses autograde; the copy times what autograde
  costs: a kernel per notebook running every cell), then scaled to the whole class.

Each line gives wall-clock seconds and the CPU seconds of the command and every process it
started (the bench makes itself their subreaper, so that the workers and their fork server,
which outlive their parent by a moment, are reaped and counted), and the load average: on a
machine shared with other work the wall time is the CPU time divided by the share of the cores
the command got.  ``--profile``: a further ``-j JOBS`` run with cProfile on the command's own
process (its imports, bank, gradebook writes and waiting), the top functions by cumulative
time.  Finally the gradebook is checked: every student has a score per test cell, and the
total equals the points of the right answers they typed.
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

STOCK_CONFIG = """c = get_config()  # noqa: F821
import os
_HERE = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "membranelab"
c.CourseDirectory.root = _HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_HERE, "gradebook.db")
c.ClearSolutions.code_stub = {"python": ""}
c.Execute.timeout = 120
"""


def _env(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEMBRANELAB_STUDENT", "JUPYTERHUB_USER", "MEMBRANELAB_COURSE_SECRET")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CONFIG_HOME"] = str(config)
    return env


def _run(course: Path, env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    exe = BIN / args[0]
    cmd = [str(exe), *args[1:]] if exe.exists() else [sys.executable, "-m", *args]
    proc = subprocess.run(cmd, cwd=course, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def _subreaper() -> bool:
    """Make this process the subreaper of everything it starts (Linux), so that orphaned
    grandchildren (a fork server, its workers) are reaped here and their CPU counted."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap(seconds: float = 60.0) -> None:
    """Wait for every process left over from the last command (reaped: CPU counted)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)
    sys.exit("processes of the graded run still alive after 60 s")


def _measured(course: Path, env: dict[str, str], *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and all its descendants)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = _run(course, env, *args)
    _reap()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _fresh(course: Path, clean: Path) -> None:
    """The gradebook as ``generate_assignment`` left it, no ``autograded/``."""
    shutil.copy2(clean, course / "gradebook.db")
    shutil.rmtree(course / "autograded", ignore_errors=True)


def _profile(course: Path, env: dict[str, str], aid: str, jobs: int) -> None:
    """The command's own process under cProfile: the top 25 functions by cumulative time."""
    import pstats

    out = course.parent / "parent.prof"
    _run(course, env, "python", "-m", "cProfile", "-o", str(out), "-m", "membranelab",
         "course", "grade", aid, "--course-dir", ".", "-j", str(jobs))
    _reap()
    print(f"\ncProfile of the course grade -j {jobs} process itself (not its workers):")
    pstats.Stats(str(out), stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def _answer(problem, variant, pc, right: bool) -> str:
    answer = variant.answers()[pc.part_id]
    if right:
        return f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text
    if answer.kind == "numeric":
        return f"{2 * answer.value + 1:.4g} {answer.unit}"
    if answer.kind == "choice":
        return next(c for c in problem.part(pc.part_id).answer_kind.choices
                    if c != answer.text)
    return f"2*({answer.text})"


def _class(course: Path, assignment: str, problems: list[str], students: list[str]) -> None:
    (course / "assignments.yaml").write_text(
        "course:\n  id: bench\n  mode: graded\n  roster: roster.txt\nassignments:\n"
        f"  - id: {assignment}\n    problems: [{', '.join(problems)}]\n", encoding="utf-8")
    (course / "roster.txt").write_text("\n".join(students) + "\n", encoding="utf-8")
    shutil.copy2(REPO / "course" / "nbgrader_config.py", course / "nbgrader_config.py")


def main(argv: list[str] | None = None) -> int:
    from membranelab.bank import load_bank
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments
    from membranelab.service.secret import load_secret, student_key

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--sample", type=int, default=3, help="notebooks nbgrader autogrades")
    parser.add_argument("--jobs", type=int, default=2, help="course grade -j")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the command's own process (cProfile)")
    parser.add_argument("--assignment", default="ps1-equilibrium",
                        help="whose problems the class gets (course/assignments.yaml)")
    args = parser.parse_args(argv)

    bank = load_bank()
    repo_assignments = {a.id: a for a in load_assignments(REPO / "course/assignments.yaml",
                                                          bank.problems)}
    problems = list(repo_assignments[args.assignment].problems)
    aid = "bench-graded"
    students = [f"student{i:03d}" for i in range(args.students)]
    with tempfile.TemporaryDirectory(prefix="membranelab-bench-") as tmp:
        course, config = Path(tmp) / "course", Path(tmp) / "config"
        course.mkdir()
        env = _env(config)
        _class(course, aid, problems, students)
        ml = ("membranelab", "course")
        _run(course, env, *ml, "secret", "--course-dir", ".")
        _run(course, env, *ml, "build", "--course-dir", ".")
        _run(course, env, "nbgrader", "generate_assignment", aid)
        os.environ["XDG_CONFIG_HOME"] = str(config)
        secret = load_secret(course)
        assignment = load_assignments(course / "assignments.yaml", bank.problems)[0]
        parts = part_cells(assignment, bank)
        release = json.loads((course / "release" / aid / f"{aid}.ipynb").read_text("utf-8"))
        expected = {}
        for sid in students:
            key = student_key(secret, aid, sid)
            text, earned = {}, 0.0
            for i, pc in enumerate(parts):
                problem = bank.problems[pc.problem_id]
                variant = problem.variant(sid, aid, key=key)
                text[pc.answer_id] = _answer(problem, variant, pc, i % 2 == 0)
                earned += pc.points if i % 2 == 0 else 0.0
            expected[sid] = earned
            nb = json.loads(json.dumps(release))
            for cell in nb["cells"]:
                gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
                if gid in text:
                    var = next(pc.variable for pc in parts if pc.answer_id == gid)
                    cell["source"] = f"{var} = {json.dumps(text[gid])}"
            folder = course / "submitted" / sid / aid
            folder.mkdir(parents=True)
            (folder / f"{aid}.ipynb").write_text(json.dumps(nb), encoding="utf-8")

        # the stock-nbgrader copy for the sample, made before grading touches the gradebook
        stock = Path(tmp) / "stock"
        stock.mkdir()
        (stock / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
        shutil.copy2(course / "gradebook.db", stock / "gradebook.db")
        shutil.copytree(course / "source", stock / "source")
        sample = students[:max(args.sample, 0)]
        for sid in sample:
            shutil.copytree(course / "submitted" / sid, stock / "submitted" / sid)

        reaper = _subreaper()
        clean = Path(tmp) / "clean.db"
        shutil.copy2(course / "gradebook.db", clean)
        grade = (*ml, "grade", aid, "--course-dir", ".", "-j")
        load = [os.getloadavg()[0]]
        one_s, one_cpu = _measured(course, env, *grade, "1")
        load.append(os.getloadavg()[0])
        _fresh(course, clean)
        if args.profile:
            _profile(course, env, aid, args.jobs)
            _fresh(course, clean)
        load.append(os.getloadavg()[0])
        grade_s, cpu_s = _measured(course, env, *grade, str(args.jobs))
        load.append(os.getloadavg()[0])
        auto_s = _run(stock, env, "nbgrader", "autograde", aid) if sample else float("nan")

        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "membranelab") as gb:
            got = {sid: gb.find_submission(aid, sid).score for sid in students}
    n = len(students)
    agree = all(abs(got[s] - expected[s]) < 1e-6 for s in students)
    per_auto = auto_s / max(len(sample), 1)
    cpu_note = "" if reaper else " (this system has no subreaper: workers' CPU not counted)"
    print(f"class: {n} submissions of {len(parts)} parts ({', '.join(problems)}); "
          f"{os.cpu_count()} CPU(s), 1-min load average before/after the runs: "
          f"{' '.join(f'{x:.1f}' for x in load)}")
    print(f"membranelab course grade -j 1: {one_s:7.1f} s wall, {one_cpu:5.1f} s CPU for all "
          f"{n} (baseline: one worker; fresh process, gradebook and autograded/ written)"
          f"{cpu_note}")
    print(f"membranelab course grade -j {args.jobs}: {grade_s:7.1f} s wall, {cpu_s:5.1f} s CPU "
          f"for all {n} ({grade_s / n:.3f} s wall per notebook; {one_s / grade_s:.2f}x -j 1)")
    print(f"  on {os.cpu_count()} idle cores the CPU time alone would need at least "
          f"{cpu_s / max(min(args.jobs, os.cpu_count() or 1), 1):.1f} s of wall time")
    print(f"nbgrader autograde       : {auto_s:7.1f} s wall for a sample of {len(sample)} "
          f"({per_auto:.2f} s per notebook; about {per_auto * n / 60:.0f} min for all {n})")
    print(f"ratio autograde / course grade, per notebook: {per_auto / (grade_s / n):.0f}x")
    print(f"gradebook totals equal the typed right answers' points: {agree}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
