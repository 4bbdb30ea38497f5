"""The progress store under concurrent sessions and damaged files (issue 9)."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from membranelab.service import progress_store
from membranelab.service.progress_store import ProgressStore

SAVES = 200


def _practise(path: str, student: str) -> None:
    """One session: SAVES attempts, each on a new problem, each saved at once."""
    store = ProgressStore(progress_store.Path(path))
    for number in range(SAVES):
        store.get(student, f"p{number:03d}").tries["a"] = 1
        store.save()


@pytest.mark.slow
@pytest.mark.parametrize("students", [("alice", "bob"), ("carol", "carol")])
def test_concurrent_processes_lose_nothing(tmp_path, students):
    """Two processes saving 200 times each at the same time: 400 saves recorded (two students,
    or one student in two sessions on different problems)."""
    path = tmp_path / "progress.json"
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_practise, args=(str(path), student)) for student in students]
    if students[0] == students[1]:  # same student: the second session uses other problems
        procs[1] = context.Process(target=_practise_offset, args=(str(path), students[1]))
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=300)
        assert proc.exitcode == 0
    data = json.loads(path.read_text())["students"]
    recorded = sum(len(entry["problems"]) for entry in data.values())
    assert recorded == 2 * SAVES


def _practise_offset(path: str, student: str) -> None:
    store = ProgressStore(progress_store.Path(path))
    for number in range(SAVES, 2 * SAVES):
        store.get(student, f"p{number:03d}").tries["a"] = 1
        store.save()


GOOD = {"part": 1, "tries": {"E_K": 2}, "scores": {"E_K": 1.0}, "hints": {}, "revealed": False,
        "done": False}
BAD_ENTRIES = [
    '{"problems": null}', '{"problems": {"p": {"part": -5}}}', '{"problems": {"p": {"part": 1e400}}}',
    '{"problems": {"p": {"part": 1.5}}}', '{"problems": {"p": {"tries": {"a": -1}}}}',
    '{"problems": {"p": {"scores": {"a": NaN}}}}', '{"problems": {"p": {"scores": null}}}',
    '{"problems": {"p": "text"}}', '[]', '7',
    '{"problems": {"p": ' + "[" * 100_000 + "]" * 100_000 + "}}",
    "[" * 100_000 + "]" * 100_000,
]


@pytest.mark.parametrize("bad", BAD_ENTRIES, ids=range(len(BAD_ENTRIES)))
def test_one_bad_entry_does_not_lock_out_the_others(tmp_path, bad):
    """mallory's damaged entry is skipped; alice's progress is read, and saving alice keeps
    mallory's entry as it was."""
    path = tmp_path / "progress.json"
    good = json.dumps({"problems": {"nernst-potassium": GOOD}})
    path.write_text('{"version": 1, "students": {"alice": ' + good + ', "mallory": ' + bad
                    + "}}")
    store = ProgressStore(path)
    assert store.get("alice", "nernst-potassium").tries == {"E_K": 2}
    assert not store.known("mallory", "p") or store.get("mallory", "p").part >= 0
    store.get("alice", "ghk").part = 1
    assert store.save()
    text = path.read_text()
    assert ("[" * 1000 in text) == ("[" * 1000 in bad)  # the deep entry is kept verbatim
    again = ProgressStore(path)
    assert again.started("alice") == ["ghk", "nernst-potassium"]


def test_practice_with_bad_entry_runs(tmp_path, bank):
    """practice through the real command with another student's bad entry: alice answers and
    her progress is saved; no error, no traceback; mallory's entry is kept."""
    import subprocess

    from .conftest import command, subprocess_env

    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.json").write_text(
        '{"version": 1, "students": {"mallory": {"problems": null}}}')
    result = subprocess.run(command() + ["practice", "--student", "alice", "--problem",
                                         "nernst-potassium"], input="1 mV\nq\n", text=True,
                            capture_output=True, env=subprocess_env(data), timeout=300)
    assert "Traceback" not in result.stderr and "cannot read progress" not in result.stderr
    assert result.returncode == 0, result.stderr
    saved = json.loads((data / "progress.json").read_text())["students"]
    assert saved["mallory"] == {"problems": None}
    assert saved["alice"]["problems"]["nernst-potassium"]["tries"]


def test_unwritable_progress_still_shows_the_verdict(bank, monkeypatch, tmp_path, capsys):
    """When the file cannot be written, the attempt's verdict is shown anyway, and the student
    is told once that progress is not saved."""
    from io import StringIO

    from rich.console import Console

    from membranelab.app.commands.practice import PracticeSession

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress_store, "atomic_write_text", refuse)
    problem = bank.problems["nernst-potassium"]
    part = problem.parts[0]
    variant = problem.variant("alice", "practice")
    answers = iter([f"{variant.answers()[part.id].text} {part.answer_kind.unit}"])
    buffer = StringIO()
    store = ProgressStore(tmp_path / "p.json")
    session = PracticeSession(Console(file=buffer, width=200), store, "alice",
                              lambda _prompt: next(answers))
    session.run_part(problem, variant, part, store.get("alice", problem.id))
    store.save()
    assert "\u2713" in buffer.getvalue()  # the verdict (a tick and "Correct") was shown
    err = capsys.readouterr().err
    assert err.count("cannot save progress") == 1 and "Permission denied" in err
    assert not (tmp_path / "p.json").exists()
