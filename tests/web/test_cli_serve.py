"""`membranelab serve` on the command line: tokens for a roster, refusals at start-up."""

from __future__ import annotations

import csv
import os
import stat

from membranelab.cli import main
from membranelab.web.db import ClassDB
from membranelab.web.security import hash_token


def test_tokens_command_writes_links_and_stores_hashes(tmp_path, capsys):
    """`serve tokens` gives each rostered student and the teacher a token, readable by the
    teacher only, and stores only hashes; a second run makes none."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name,email\nalice,Alice,a@x\nbob,Bob,b@x\n", encoding="utf-8")
    out, db_url = tmp_path / "tokens.csv", f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["serve", "tokens", str(roster), "-o", str(out), "--db", db_url,
                 "--url", "http://10.0.0.5:8000"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["role"], r["student"]) for r in rows] == [
        ("teacher", ""), ("student", "alice"), ("student", "bob")]
    assert all(r["link"] == f"http://10.0.0.5:8000/login?token={r['token']}" for r in rows)
    assert len({r["token"] for r in rows}) == 3 and all(len(r["token"]) >= 40 for r in rows)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    db = ClassDB(db_url)
    assert db.student_hashes() == {r["student"]: hash_token(r["token"])
                                   for r in rows if r["role"] == "student"}
    db.close()
    assert main(["serve", "tokens", str(roster), "-o", str(tmp_path / "again.csv"),
                 "--db", db_url]) == 0
    assert not (tmp_path / "again.csv").exists()
    assert "already has a token" in capsys.readouterr().out


def test_roster_without_student_column_is_an_error(tmp_path, capsys):
    """A roster without a 'student' column is a one-line error, exit 2."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name\nAlice\n", encoding="utf-8")
    assert main(["serve", "tokens", str(roster), "--db", f"sqlite:///{tmp_path / 'c.db'}"]) == 2
    assert "'student' column" in capsys.readouterr().err


def test_network_host_without_class_is_refused(capsys):
    """`serve --host 0.0.0.0` in self-study exits 2 before listening."""
    assert main(["serve", "--host", "0.0.0.0", "--no-browser"]) == 2
    assert "needs class mode" in capsys.readouterr().err


def test_class_options_need_class_mode(capsys):
    """--assignment without --class is a usage error."""
    assert main(["serve", "--assignment", "ps1-equilibrium", "--no-browser"]) == 2
    assert "class mode" in capsys.readouterr().err


def test_unknown_assignment_is_named(tmp_path, capsys):
    """An assignment id not in course/assignments.yaml is refused with the known ids."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nalice\n", encoding="utf-8")
    assert main(["serve", "--class", str(roster), "--assignment", "ps9", "--no-browser",
                 "--db", f"sqlite:///{tmp_path / 'c.db'}"]) == 2
    assert "ps1-equilibrium" in capsys.readouterr().err


def test_parser_does_not_load_the_web_stack():
    """Building the command line's parser loads neither Starlette, SQLAlchemy nor the bank."""
    import subprocess
    import sys

    code = ("import sys, membranelab.cli as c; c.build_parser(); "
            "print(sorted(m for m in ('starlette', 'sqlalchemy', 'membranelab.bank', 'jinja2') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_hints_option_and_class_file_key(tmp_path, capsys):
    """Hints are on by default; `--no-hints` or `hints: false` in the class file turns them off;
    `--no-hints` without --class is a usage error."""
    import argparse
    from pathlib import Path

    from membranelab.web.server import class_settings

    roster = tmp_path / "roster.csv"
    roster.write_text("student\nalice\n", encoding="utf-8")
    assignments = Path(__file__).resolve().parents[2] / "course" / "assignments.yaml"
    base = {"config": None, "roster": str(roster), "assignment": "ps1-equilibrium", "db": None,
            "feedback": None, "tries": None, "due": None, "assignments": str(assignments),
            "bank": None}
    assert class_settings(argparse.Namespace(**base, no_hints=False))[0].hints is True
    assert class_settings(argparse.Namespace(**base, no_hints=True))[0].hints is False
    (tmp_path / "class.yaml").write_text(
        f"roster: {roster}\nassignment: ps1-equilibrium\nassignments: {assignments}\n"
        "hints: false\n", encoding="utf-8")
    from_file = {**base, "roster": None, "assignment": None, "assignments": None,
                 "config": str(tmp_path / "class.yaml")}
    assert class_settings(argparse.Namespace(**from_file, no_hints=False))[0].hints is False
    assert main(["serve", "--no-hints", "--no-browser"]) == 2
    assert "--no-hints need" in capsys.readouterr().err
