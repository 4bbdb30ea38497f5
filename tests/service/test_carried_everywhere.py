"""Error carried forward in every front end that holds a student's earlier answers: a wrong E_Na
(log10 for ln) and the driving force computed from it earn the carried credit for the drive,
through the service, `grade`, `/api/grade`, the class page and the self-study page.

By hand: E_Na = (RT/F) ln(Na_out/Na_in); with log10 it is (RT/F) log10(Na_out/Na_in); the
student's drive is V_rest − (their E_Na).
"""

from __future__ import annotations

import csv
import math

import pytest
from starlette.testclient import TestClient

from membranelab.bank import load_bank
from membranelab.cli import main
from membranelab.service import GradeRequest, GradingService
from membranelab.web import ServeConfig, create_app
from tests.service.test_one_table import BASE, make_class, sign_in
from tests.web.conftest import csrf_of

R, F = 8.314462618, 96485.33212  # SI 2019
PROBLEM = "nernst-sodium"
STUDENT = "alice"


@pytest.fixture(scope="module")
def pair():
    """alice's practice variant: (wrong E_Na text, drive-from-it text)."""
    p = load_bank().problems[PROBLEM].variant(STUDENT, "practice").params
    e_na = 1000 * R * (p["T"] + 273.15) / F * math.log10(p["Na_out"] / p["Na_in"])
    return f"{e_na:.2f} mV", f"{p['V_rest'] - e_na:.2f} mV"


def _carried(note, score):
    assert (note, score) == ("carried", 1.0)


def test_service(pair):
    e_na, drive = pair
    service = GradingService(load_bank())
    first = service.grade(GradeRequest(PROBLEM, "E_Na", e_na, STUDENT))
    assert first.note == "mistake.log10" and first.score == 0
    second = service.grade(GradeRequest(PROBLEM, "drive", drive, STUDENT,
                                        earlier={"E_Na": e_na}))
    _carried(second.note, second.score)
    assert second.result.params["earlier"] == "E_Na"
    alone = service.grade(GradeRequest(PROBLEM, "drive", drive, STUDENT))
    assert alone.score == 0  # without the earlier answer: no credit


def test_grade_command(pair, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    e_na, drive = pair
    answers = tmp_path / "answers.csv"
    answers.write_text("student,assignment,problem,part,answer\n"
                       f"{STUDENT},practice,{PROBLEM},E_Na,{e_na}\n"
                       f"{STUDENT},practice,{PROBLEM},drive,{drive}\n", encoding="utf-8")
    assert main(["grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "1",
                 "--no-progress"]) == 0
    capsys.readouterr()
    rows = {r["part"]: r for r in csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8"))}
    _carried(rows["drive"]["note"], float(rows["drive"]["score"]))


def test_api(pair, tmp_path):
    e_na, drive = pair
    app, _, teacher = make_class(tmp_path, "ps1", None, "en")
    with TestClient(app, base_url=BASE) as client:
        reply = client.post("/api/grade", headers={"Authorization": f"Bearer {teacher}"},
                            json={"problem": PROBLEM, "part": "drive", "student": STUDENT,
                                  "assignment": "practice", "answer": drive,
                                  "earlier": {"E_Na": e_na}}).json()
    app.state.web.db.close()
    _carried(reply["note"], reply["score"])


def _answer_both(client, e_na, drive):
    csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
    for part, text in (("E_Na", e_na), ("drive", drive)):
        reply = client.post(f"/p/{PROBLEM}/answer", headers={"Accept": "application/json"},
                            data={"csrf": csrf, "part": part, "answer": text})
        assert reply.status_code == 200, reply.text
    return reply.json()


def test_class_page(tmp_path):
    problem = load_bank().problems[PROBLEM]
    app, tokens, _ = make_class(tmp_path, "ps1", None, "en", problems=(PROBLEM,))
    p = problem.variant(STUDENT, "ps1").params  # the class's assignment: ps1's numbers
    e_na = 1000 * R * (p["T"] + 273.15) / F * math.log10(p["Na_out"] / p["Na_in"])
    with TestClient(app, base_url=BASE) as client:
        sign_in(client, tokens[STUDENT])
        data = _answer_both(client, f"{e_na:.2f} mV", f"{p['V_rest'] - e_na:.2f} mV")
    app.state.web.db.close()
    _carried(data["note"], data["score"])


def test_self_study_page(pair, tmp_path, monkeypatch):
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
    app = create_app(ServeConfig(student=STUDENT, lang="en",
                                 progress_path=tmp_path / "progress.json"))
    with TestClient(app, base_url=BASE) as client:
        data = _answer_both(client, *pair)
    _carried(data["note"], data["score"])
