"""``grade -j 2`` interrupted at many moments (Ctrl-C to its process group, SIGTERM to it): every
run exits, and resuming with the same command ends byte-identical to an uninterrupted run.

The moment of each interruption is drawn by a seeded generator: either a delay after the
command's ``main`` has installed its stop handlers (from that instant to well past the bank's
loading and the workers' start), or the moment the journal
holds a drawn number of further rows (so that the signal lands while rows are being graded,
whatever the machine's speed).  A run has 60 s to exit after its signal: a hang detector, not a
speed claim (the bug this guards against, issue 20, hung for 45 minutes).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time

import pytest

from .conftest import command, subprocess_env, write_answers

pytestmark = pytest.mark.slow

ROWS = 600
#: Drawn delays run from 0 to this many seconds after the handlers are installed: past the
#: bank's loading and the workers' start, into grading and (on a fast machine) its end.
DELAY_SECONDS = 5.0
INTERRUPTIONS = 50
SEED = 20
#: A run must exit this long after its signal, or it is counted as hung (and killed).
HANG_SECONDS = 60.0
#: Exit codes of an interrupted run: 128 + SIGINT, 128 + SIGTERM.
STOPPED = {128 + signal.SIGINT, 128 + signal.SIGTERM}


def _journal_rows(path) -> int:  # noqa: ANN001
    """Distinct rows in a journal's complete lines."""
    if not path.exists():
        return 0
    keys = set()
    for line in path.read_bytes().splitlines(keepends=True):
        if line.endswith(b"\n"):
            try:
                keys.add(json.loads(line)["k"])
            except (ValueError, KeyError):
                pass
    return len(keys)


def _catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler for ``signum`` (its /proc status' SigCgt mask)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    except OSError:
        pass
    return False


def _wait_for_handlers(proc: subprocess.Popen) -> None:
    """Wait until the command's ``main`` has installed its stop handlers (SIGTERM caught).
    Before that, the interpreter is starting and importing the package: SIGTERM ends it by its
    default action and Ctrl-C is Python's own KeyboardInterrupt; nothing has been done then, so
    nothing can be lost, and that window is outside what this test claims."""
    while proc.poll() is None and not _catches(proc.pid, signal.SIGTERM):
        time.sleep(0.005)


def _interrupt(argv: list[str], env: dict[str, str], journal, rng: random.Random
               ) -> tuple[int | None, str, str]:
    """Start ``argv``, signal it at a drawn moment; (exit code or None if it hung, how it was
    signalled, stderr)."""
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    _wait_for_handlers(proc)
    if rng.random() < 0.4:
        moment = f"after {rng.uniform(0.0, DELAY_SECONDS):.2f} s"
        end = time.monotonic() + float(moment.split()[1])
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(0.01)
    else:
        target = _journal_rows(journal) + rng.randint(1, ROWS // 2)
        moment = f"at {target} journal rows"
        while _journal_rows(journal) < target and proc.poll() is None:
            time.sleep(0.01)
    how = "SIGINT to the group" if rng.random() < 0.5 else "SIGTERM"
    try:
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    except ProcessLookupError:
        pass
    try:
        _, err = proc.communicate(timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, f"{how} {moment}", ""
    return proc.returncode, f"{how} {moment}", err


def test_interrupted_at_random_moments_resumes_byte_identical(bank, tmp_path):
    """At least 50 interruptions: none hangs, none prints a traceback, each stopped run says
    in one line that it was interrupted (and how to resume once grading began), and every chain of resumed runs ends with the uninterrupted run's bytes."""
    answers = write_answers(tmp_path / "answers.csv", bank, ROWS)
    env = subprocess_env(tmp_path / "data")
    reference = tmp_path / "reference.csv"
    subprocess.run(command() + ["grade", str(answers), "-o", str(reference), "-j", "2"],
                   env=env, check=True, capture_output=True, timeout=600)
    rng = random.Random(SEED)
    output, journal = tmp_path / "grades.csv", tmp_path / "grades.csv.partial"
    argv = command() + ["grade", str(answers), "-o", str(output), "-j", "2"]
    interruptions, hung, chains, log = 0, [], 0, []
    while interruptions < INTERRUPTIONS:
        chains += 1
        output.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        code: int | None = None
        for _ in range(20):  # a chain: interrupt and resume until a run completes
            code, how, err = _interrupt(argv, env, journal, rng)
            log.append(f"chain {chains}: {how} -> {code}")
            print(log[-1], flush=True)  # with -s: the moments drawn and how each run ended
            if code is None:
                hung.append(how)
                continue
            assert "Traceback" not in err, (how, err)
            if code == 0:
                break
            assert code in STOPPED, (how, code, err)
            # one line: how to resume, or (stopped while starting, nothing graded) just that
            assert err.count("\n") == 1 and (err.strip() == "membranelab: interrupted" or err.strip(
                ).endswith("run the same command again to resume")), (how, err)
            interruptions += 1
        if code != 0:  # the chain's last run was stopped: resume to the end
            result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stderr
        assert output.read_bytes() == reference.read_bytes(), log[-5:]
        assert not journal.exists()
    print(f"{interruptions} interruptions in {chains} chains, {len(hung)} hung")
    assert not hung, hung


def test_check_interrupted_at_random_moments_exits(tmp_path):
    """``check -j 2`` stopped by Ctrl-C (to its process group) or SIGTERM at drawn moments:
    every run exits, with 130 or 143 and the one interrupted line, and leaves no worker behind."""
    rng = random.Random(SEED + 1)
    env = subprocess_env(tmp_path / "data")
    argv = command() + ["check", "--variants", "400", "-j", "2"]
    outcomes = []
    for _ in range(6):
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        _wait_for_handlers(proc)
        time.sleep(rng.uniform(0.0, 15.0))
        how = signal.SIGINT if rng.random() < 0.5 else signal.SIGTERM
        try:
            if how == signal.SIGINT:
                os.killpg(proc.pid, signal.SIGINT)
            else:
                proc.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            _, err = proc.communicate(timeout=HANG_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            outcomes.append((how, None))
            continue
        outcomes.append((how, proc.returncode))
        assert "Traceback" not in err, err
        if proc.returncode in STOPPED:
            assert err.strip().endswith("interrupted"), err
        assert _group_gone(proc.pid), "a worker outlived check"
    assert all(code is not None for _, code in outcomes), outcomes
    assert any(code in STOPPED for _, code in outcomes), outcomes


def _group_alive(group: int) -> list[int]:
    """The live (not zombie) processes of process group ``group``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[2]) == group:
                found.append(int(entry))
    return found


def _group_gone(group: int, seconds: float = 30.0) -> bool:
    """Whether every process of ``group`` ends within ``seconds`` (a worker may take a moment
    to notice its parent is gone)."""
    deadline = time.monotonic() + seconds
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _group_alive(group)
