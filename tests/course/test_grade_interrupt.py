"""``membranelab course grade`` stopped mid-run by Ctrl-C (SIGINT to its process group) and by
SIGTERM: each run exits 130 or 143 within a generous hang limit, prints the one interrupted
line and no traceback, and leaves no worker process; grading again then gives every student the
score a teacher gives by hand (right answers on even parts, wrong ones on odd parts).

Expected scores come from each student's keyed numbers by the documented formula (HMAC-SHA256
of the secret, course/README.md) and the bank's solver, never from the grading code.  The
signal is sent once the run has written its first autograded notebook: after its stop handlers
are installed and while it grades, whatever the machine's speed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from membranelab.bank import load_bank

from . import submissions as sub

pytestmark = pytest.mark.slow

ASSIGNMENT = "hw-stop"
STUDENTS = tuple(f"s{i:02d}" for i in range(40))
CONFIG = f"""course:
  id: stop-test
  mode: graded
  roster: roster.txt
assignments:
  - id: {ASSIGNMENT}
    problems: [nernst-potassium]
"""
#: A run must exit this long after its signal, or it is counted as hung (and killed): a hang
#: detector, not a speed claim.
HANG_SECONDS = 60.0


def _env(config: Path) -> dict[str, str]:
    env = sub.nbgrader_env()
    env.pop("MEMBRANELAB_COURSE_SECRET", None)
    env["XDG_CONFIG_HOME"] = str(config)
    return env


def _run(course: Path, config: Path, *args: str) -> subprocess.CompletedProcess:
    exe = sub.BIN / args[0]
    cmd = [str(exe), *args[1:]] if exe.exists() else [sys.executable, "-m", *args]
    proc = subprocess.run(cmd, cwd=course, env=_env(config), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _in_process(config: Path, *argv: str) -> None:
    """A membranelab command in this process, with the teacher's config directory."""
    from membranelab.cli import main

    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "MEMBRANELAB_COURSE_SECRET")}
    os.environ["XDG_CONFIG_HOME"] = str(config)
    os.environ.pop("MEMBRANELAB_COURSE_SECRET", None)
    try:
        assert main(list(argv)) == 0, argv
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _key(secret: bytes, student: str) -> bytes:
    """The student's key by the documented formula (course/README.md)."""
    message = "\x1f".join(("membranelab-variant", ASSIGNMENT, student)).encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def _answer(problem, variant, part_id: str, right: bool) -> str:
    answer = variant.answers()[part_id]
    if right:
        return f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text
    if answer.kind == "numeric":
        return f"{2 * answer.value + 1:.4g} {answer.unit}"
    if answer.kind == "choice":
        return next(c for c in problem.part(part_id).answer_kind.choices if c != answer.text)
    return f"2*({answer.text})"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded course of 40 students, released, every notebook handed in; (folder, config,
    each student's score by hand)."""
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments

    base = tmp_path_factory.mktemp("stop")
    root, config = base / "course", base / "config"
    root.mkdir()
    shutil.copy2(sub.COURSE / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "assignments.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "roster.txt").write_text("\n".join(STUDENTS) + "\n", encoding="utf-8")
    _in_process(config, "course", "secret", "--course-dir", str(root))  # no process to start
    secret = bytes.fromhex((config / "membranelab" / "courses" / "stop-test.secret")
                           .read_text().strip())
    _in_process(config, "course", "build", "--course-dir", str(root))
    _run(root, config, "nbgrader", "generate_assignment", ASSIGNMENT)
    bank = load_bank()
    parts = part_cells(load_assignments(root / "assignments.yaml", bank.problems)[0], bank)
    release = sub.read_nb(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    by_hand = {}
    for student in STUDENTS:
        text, earned = {}, 0.0
        for i, pc in enumerate(parts):
            problem = bank.problems[pc.problem_id]
            variant = problem.variant(student, ASSIGNMENT, key=_key(secret, student))
            text[pc.answer_id] = _answer(problem, variant, pc.part_id, i % 2 == 0)
            earned += float(pc.points) if i % 2 == 0 else 0.0
        by_hand[student] = earned
        sub.submit(root, student, ASSIGNMENT, sub.with_answers(
            release, text, {pc.answer_id: pc.variable for pc in parts}))
    return root, config, by_hand


def _session_processes(sid: int) -> list[int]:
    """The processes of session ``sid`` still alive (zombies not counted)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state ppid pgrp session
            found.append(int(entry))
    return found


def _notebooks(root: Path) -> int:
    folder = root / "autograded"
    return len(list(folder.glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"))) if folder.is_dir() else 0


def _interrupted(root: Path, config: Path, how: str) -> tuple[int, str]:
    """Start ``course grade -j 2``, signal it once it has written a notebook; (exit code,
    stderr)."""
    shutil.rmtree(root / "autograded", ignore_errors=True)
    exe = sub.BIN / "membranelab"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "membranelab"]
    proc = subprocess.Popen([*cmd, "course", "grade", ASSIGNMENT, "--course-dir", ".", "-j", "2"],
                            cwd=root, env=_env(config), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        end = time.monotonic() + 300
        while _notebooks(root) < 1 and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.005)
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, err = proc.communicate(timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"course grade did not exit within {HANG_SECONDS:g} s of {how}")
    left, end = _session_processes(proc.pid), time.monotonic() + 10
    while left and time.monotonic() < end:  # killed workers are reaped by their fork server
        time.sleep(0.05)
        left = _session_processes(proc.pid)
    assert not left, f"processes left after {how}: {left}"
    return proc.returncode, err


def _scores(root: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "membranelab") as gb:
        return {s.student.id: s.score for s in gb.find_assignment(ASSIGNMENT).submissions}


def test_stopped_runs_exit_and_grading_again_gives_the_hand_scores(course):
    """Stopped while grading, by Ctrl-C then by SIGTERM: 130 and 143, one line, no traceback,
    no process left; the next full run gives every student the teacher's score."""
    root, config, by_hand = course
    for how, expected in (("SIGINT to the group", 130), ("SIGTERM", 143)):
        code, err = _interrupted(root, config, how)
        assert "Traceback" not in err, (how, err)
        assert code == expected, (how, code, err)
        assert err.count("\n") == 1 and err.strip() == "membranelab: interrupted", (how, err)
    _run(root, config, "membranelab", "course", "grade", ASSIGNMENT, "--course-dir", ".",
         "-j", "2")
    assert _scores(root) == pytest.approx(by_hand)
