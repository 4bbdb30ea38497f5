"""``membranelab regrade --class-db``: every stored try of a graded class graded again; changed
verdicts replace the recorded ones and the old ones are kept beside them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from starlette.testclient import TestClient

from membranelab.bank import load_bank
from membranelab.cli import main
from membranelab.service.secret import SECRET_VAR, student_key
from membranelab.web.db import ClassDB
from tests.service.test_one_table import BASE, SECRET, make_class, nernst_mv, sign_in, write_course

from .conftest import csrf_of

REPO = Path(__file__).resolve().parents[2]
PROBLEM = "nernst-potassium"
#: student -> relative error of their E_K (the bank's tolerance is 1 %)
ERRORS = {"alice": 0.0, "bob": 0.015}


def widened_bank(tmp_path: Path) -> Path:
    """A copy of the bank whose nernst-potassium E_K takes 2 % instead of 1 %."""
    bank = tmp_path / "bank"
    shutil.copytree(REPO / "problems", bank / "problems")
    shutil.copytree(REPO / "solutions", bank / "solutions")
    source = bank / "problems" / f"{PROBLEM}.md"
    text, n = re.subn(r"tolerance: \{relative: 0\.01\}", "tolerance: {relative: 0.02}",
                      source.read_text(encoding="utf-8"), count=1)
    assert n == 1
    source.write_text(text, encoding="utf-8")
    return bank


def _class_with_answers(tmp_path):
    problem = load_bank().problems[PROBLEM]
    app, tokens, _ = make_class(tmp_path, "ps1", SECRET, "en")
    with TestClient(app, base_url=BASE) as client:
        for student, error in ERRORS.items():
            p = problem.variant(student, "ps1", key=student_key(SECRET, "ps1", student)).params
            e_k = nernst_mv(p["K_out"], p["K_in"], p["T"]) * (1 + error)
            sign_in(client, tokens[student])
            csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
            client.post(f"/p/{PROBLEM}/answer", headers={"Accept": "application/json"},
                        data={"csrf": csrf, "part": "E_K", "answer": f"{e_k:.3f} mV"})
    url = app.state.web.db.url
    app.state.web.db.close()
    return url


def _scores(url):
    db = ClassDB(url)
    try:
        return {s.student: s.score for s in db.list_submissions()}, db
    finally:
        db.close()


def test_a_wider_tolerance_regrades_exactly_the_submissions_it_changes(tmp_path, monkeypatch,
                                                                        capsys):
    monkeypatch.setenv(SECRET_VAR, SECRET.hex())
    monkeypatch.chdir(tmp_path)
    course = write_course(tmp_path / "course", graded=True)
    url = _class_with_answers(tmp_path)
    recorded, _ = _scores(url)
    assert recorded == {"alice": 1.0, "bob": 0.0}  # keyed numbers: alice right, bob 1.5 % off

    assert main(["regrade", "--class-db", url, "--course-dir", str(course)]) == 0
    assert "No verdict changed (2 submissions)" in capsys.readouterr().out

    bank = widened_bank(tmp_path)
    assert main(["--bank", str(bank), "regrade", "--class-db", url,
                 "--course-dir", str(course)]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^(\w+), ps1, nernst-potassium, part E_K: 0 → 1 of 1", out, re.M) == ["bob"]
    assert "1 submissions of 1 students changed, 1 unchanged" in out
    now, _ = _scores(url)
    assert now == {"alice": 1.0, "bob": 1.0}
    db = ClassDB(url)
    try:
        bob = next(s for s in db.list_submissions() if s.student == "bob")
        earlier = db.earlier_verdicts(bob.uid)
    finally:
        db.close()
    assert [(e["score"], e["correct"]) for e in earlier] == [(0.0, False)]
    assert bob.correct is True


def test_without_the_secret_a_graded_class_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(SECRET_VAR, SECRET.hex())
    monkeypatch.chdir(tmp_path)
    course = write_course(tmp_path / "course", graded=True)
    url = _class_with_answers(tmp_path)
    monkeypatch.delenv(SECRET_VAR)
    assert main(["regrade", "--class-db", url, "--course-dir", str(course)]) == 2
    err = capsys.readouterr().err
    assert "secret" in err and len(err.strip().splitlines()) == 1
    assert _scores(url)[0] == {"alice": 1.0, "bob": 0.0}
