"""``regrade --class-db --config CLASS.yaml`` scores by the rules the server ran with: the class
file's ``scoring:`` (a penalty per wrong try) and its late share; without the class file a
database holding late submissions is refused, untouched (its late share would be a guess)."""

from __future__ import annotations

import argparse
import math
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from starlette.testclient import TestClient

from membranelab.bank import load_bank
from membranelab.cli import main
from membranelab.web import ServeConfig, create_app
from membranelab.web.db import ClassDB
from membranelab.web.roster import issue_tokens, read_roster
from membranelab.web.server import class_settings

from .conftest import BASE, csrf_of
from .test_regrade import widened_bank

PROBLEM = "nernst-potassium"
R, F = 8.314462618, 96485.33212  # SI 2019


def _class_file(tmp_path: Path) -> Path:
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\nbob,Bob\n", encoding="utf-8")
    (tmp_path / "assignments.yaml").write_text(
        f"assignments:\n  - id: ps1\n    title: ps1\n    problems: [{PROBLEM}]\n",
        encoding="utf-8")
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    config = tmp_path / "class.yaml"
    config.write_text(
        f"roster: {roster}\nassignment: ps1\nassignments: {tmp_path / 'assignments.yaml'}\n"
        f"db: sqlite:///{tmp_path / 'class.db'}\ntries: 5\ndue: '{yesterday}'\nlate: 0.5\n"
        "hints: false\nscoring:\n  penalty: 0.25\n", encoding="utf-8")
    return config


def _e_k(student: str) -> float:
    """The student's E_K in mV, by hand (Nernst, z = +1)."""
    p = load_bank().problems[PROBLEM].variant(student, "ps1").params
    return R * (p["T"] + 273.15) / F * math.log(p["K_out"] / p["K_in"]) * 1000


def _answer(client: TestClient, token: str, answers: list[str]) -> None:
    page = client.get(f"/login?token={token}", follow_redirects=False)
    from .conftest import login_form

    client.post("/login", data=login_form(page.text), follow_redirects=False)
    for answer in answers:
        csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
        reply = client.post(f"/p/{PROBLEM}/answer", headers={"Accept": "application/json"},
                            data={"csrf": csrf, "part": "E_K", "answer": answer})
        assert reply.status_code == 200, reply.text


def _scores(url: str) -> list[tuple[str, str, float, bool]]:
    db = ClassDB(url)
    try:
        return [(s.student, s.answer, round(s.score, 9), s.late) for s in db.list_submissions()]
    finally:
        db.close()


def test_late_share_and_penalty_of_the_class_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    config = _class_file(tmp_path)
    options = argparse.Namespace(config=str(config), roster=None, assignment=None, db=None,
                                 feedback=None, tries=None, due=None, no_hints=False, late=None,
                                 assignments=None, bank=None)
    klass, _ = class_settings(options)
    url = klass.db_url
    db = ClassDB(url)
    issued = issue_tokens(db, read_roster(klass.roster), base_url=BASE)
    db.close()
    tokens = {r[1]: r[3] for r in issued if r[0] == "student"}
    app = create_app(ServeConfig(klass=klass, lang="en"))
    alice, bob = _e_k("alice"), _e_k("bob")
    with TestClient(app, base_url=BASE) as client:
        _answer(client, tokens["alice"], [f"{alice + 10:.2f} mV", f"{alice:.2f} mV"])
    with TestClient(app, base_url=BASE) as client:
        _answer(client, tokens["bob"], [f"{bob * 1.015:.3f} mV"])  # 1.5 % off: 1 % tolerance
    app.state.web.db.close()
    # late share 0.5; alice's right second try keeps 1 - 0.25 of it: 0.375; bob's is wrong
    recorded = _scores(url)
    assert [(s, score, late) for s, _, score, late in recorded] == [
        ("alice", 0.0, True), ("alice", 0.375, True), ("bob", 0.0, True)]

    # without the class file: refused, nothing changed
    assert main(["regrade", "--class-db", url]) == 2
    err = capsys.readouterr().err
    assert "3 submissions handed in late" in err and "--config" in err
    assert _scores(url) == recorded

    # the tolerance widened to 2 %: bob is right, at the late share; alice keeps her penalty
    bank = widened_bank(tmp_path)
    assert main(["--bank", str(bank), "regrade", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^(\w+), ps1, nernst-potassium, part E_K: 0 → (\S+) of 1", out, re.M) == [
        ("bob", "0.5")]
    assert [score for _, _, score, _ in _scores(url)] == [0.0, 0.375, 0.5]


def test_a_file_that_is_not_a_class_file(tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text("port: 8000\n", encoding="utf-8")
    assert main(["regrade", "--class-db", f"sqlite:///{tmp_path / 'x.db'}",
                 "--config", str(other)]) == 2
    assert "is not a class file" in capsys.readouterr().err
