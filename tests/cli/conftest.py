"""Shared fixtures for the command-line tests: the real bank, an isolated data directory,
in-process and subprocess runners, and an answers-file generator."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest

from membranelab.cli import main

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("membranelab")
#: The bank problem the interactive tests drive (the design document's example problem).
PROBLEM = "nernst-potassium"


@pytest.fixture(scope="session")
def bank():
    """The packaged bank, loaded once."""
    from membranelab.bank import load_bank

    return load_bank()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Every test gets its own progress directory (never the user's real one)."""
    path = tmp_path / "data"
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(path))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return path


@pytest.fixture
def run(capsys):
    """Run ``main(argv)`` in this process: (exit code, stdout, stderr)."""
    def _run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


def command() -> list[str]:
    """How to start the installed command in a subprocess."""
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "membranelab"]


def subprocess_env(data: Path) -> dict[str, str]:
    """Environment for a child process: isolated data dir, no colour, wide terminal."""
    env = dict(os.environ)
    env.update(MEMBRANELAB_DATA_DIR=str(data), NO_COLOR="1", COLUMNS="120", TERM="dumb")
    return env


def write_answers(path: Path, bank, rows: int, *, hostile_every: int = 7) -> Path:
    """An answers CSV of ``rows`` rows: right, wrong (typical mistakes) and hostile answers."""
    problems = list(bank.problems.values())
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["student", "assignment", "problem", "part", "answer"])
        student = 0
        while written < rows:
            name = f"s{student:04d}"
            for problem in problems:
                variant = problem.variant(name, "hw1")
                answers = variant.answers()
                for part in problem.parts:
                    if written >= rows:
                        break
                    text = answers[part.id].text
                    if part.kind == "numeric":
                        mistakes = list(variant.mistake_values(part.id).values())
                        if mistakes and written % 3 == 1:
                            text = f"{mistakes[0]:.4g}"
                        text = f"{text} {part.answer_kind.unit}"
                    if written % hostile_every == 3:
                        text = "__import__('os').system('rm -rf /')"
                    out.writerow([name, "hw1", problem.id, part.id, text])
                    written += 1
            student += 1
    return path
