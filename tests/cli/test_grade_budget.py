"""grade under a budget: bombs as CSV rows, a per-row deadline, workers that die with grade."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from membranelab.app.batch import pipeline
from membranelab.app.batch import pool as batch_pool
from membranelab.app.batch.pipeline import grade_file

from .conftest import command, subprocess_env, write_answers

#: Exponent bombs in several spellings (see tests/grading/test_security.py for the full corpus).
BOMBS = ["1.0000001^1e9*R", "1.00000000000000001^1e300*R", "(1e-200*1e-200)^1e300*R",
         "(1.0000001^1e9)^1e9", "1.0000001**1e9 mV", "(1+1e-7)^1e9*R*T/F", "0.9999999^1e9"]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _with_bombs(path: Path, bank) -> Path:  # noqa: ANN001
    """An answers file whose first 14 answers are bombs, the other 46 right or typical."""
    write_answers(path, bank, 60, hostile_every=1000)
    rows = _rows(path)
    for count, row in enumerate(rows[: 2 * len(BOMBS)]):
        row["answer"] = BOMBS[count % len(BOMBS)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bombs_as_csv_rows_are_graded_in_time(tmp_path, bank, jobs):
    """Through the real command: every row is graded, the bombs score 0, in normal time."""
    answers = _with_bombs(tmp_path / "a.csv", bank)
    out = tmp_path / "g.csv"
    start = time.perf_counter()
    result = subprocess.run(command() + ["grade", str(answers), "-o", str(out), "-j", jobs,
                                         "--no-progress"], env=subprocess_env(tmp_path / "d"),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - start < 120  # generous: the bombs used to hang for hours
    graded = _rows(out)
    assert len(graded) == 60
    bombs = [row for row in graded if row["answer"] in BOMBS]
    assert bombs and all(float(row["score"]) == 0 for row in bombs)
    assert any(row["correct"] == "true" for row in graded)


def hang_or_grade(group):  # noqa: ANN001, ANN201
    """A worker request that hangs in a C loop on a group with a ``HANG`` answer and grades the
    others as the real one does (the pool sends it by reference: the worker imports it here)."""
    student, assignment, problem, rows = group
    if any(answer == "HANG" for _, _, answer in rows):
        sum(range(10 ** 15))  # a C loop: no signal handler runs until it returns
    return pipeline.grade_worker_group(student, assignment, problem, rows)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_row_over_deadline_is_needs_review_and_batch_goes_on(tmp_path, bank, monkeypatch, jobs):
    """A row stuck past the deadline is stopped, graded needs_review, listed; the others are
    graded as usual (-j1 and -j2)."""
    answers = write_answers(tmp_path / "a.csv", bank, 40, hostile_every=1000)
    rows = _rows(answers)
    rows[5]["answer"] = "HANG"
    with open(answers, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(batch_pool, "_grade", hang_or_grade)
    warnings: list[str] = []
    start = time.perf_counter()
    report = grade_file(answers, tmp_path / "g.csv", jobs=jobs, progress=False,
                        row_seconds=5.0, warn=warnings.append)  # room for a busy machine
    assert time.perf_counter() - start < 120
    graded = _rows(tmp_path / "g.csv")
    assert graded[5]["note"] == "needs_review" and float(graded[5]["score"]) == 0
    assert [row["note"] for i, row in enumerate(graded) if i != 5].count("needs_review") == 0
    assert [r.line for r in report.needs_review()] == [7]  # header is line 1, row 5 is line 7
    assert report.summary()["needs_review"][0]["part"] == rows[5]["part"]
    assert any(":7:" in line and "needs_review" in line for line in warnings)
    assert not (tmp_path / "g.csv.partial").exists()


def _descendants(pid: int) -> list[int]:
    """Live (not zombie) processes below ``pid``: workers are started through a fork server,
    so they are its children, not the grading process's."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        below = parents.get(todo.pop(), [])
        found.extend(below)
        todo.extend(below)
    return found


def test_workers_die_with_grade(tmp_path, bank):
    """SIGKILL of the grading process (no clean-up runs) ends its worker processes too."""
    answers = write_answers(tmp_path / "a.csv", bank, 200, hostile_every=1000)
    rows = _rows(answers)
    for row in rows:
        row["answer"] = "HANG"
    with open(answers, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from cli.test_grade_budget import hang_or_grade
        from membranelab.app.batch import pool
        from membranelab.app.batch.pipeline import grade_file
        pool._grade = hang_or_grade
        grade_file({str(answers)!r}, {str(tmp_path / "g.csv")!r}, jobs=2, progress=False,
                   row_seconds=1000)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], env=subprocess_env(tmp_path / "d"))
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 4 and time.monotonic() < deadline:  # 2 at work, a spare, the server
            time.sleep(0.2)
            workers = _descendants(parent.pid)
        assert len(workers) >= 4
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 15
    while any(_children_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_children_alive(w) for w in workers)


def _children_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
