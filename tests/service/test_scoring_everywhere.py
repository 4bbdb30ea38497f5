"""The same tries earn the same score in every front end: the scoring policy comes from the one
grading service, not from each front end's own constants.

A copy of the bank whose ``nernst-potassium`` file sets ``scoring: {penalty: 0.25, sign_credit:
0.5}`` (3 tries and a choice's first try only: the defaults).  Each sequence of answers below
is typed, in order, into the service, ``POST /api/grade`` (the earlier tries as ``previous``),
the terminal's ``practice``, the self-study notebook, the self-study page and a class page; a
sequence of one answer also goes through ``membranelab grade`` (an answers CSV) and the door of
``course grade`` (:func:`membranelab.course.verdicts.grade_answer`), where each part has one
answer, its first try.  Every front end must credit the part with the share worked out by hand
from the rules (below each sequence), E_K by the Nernst equation with SI 2019 constants.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from membranelab.bank import load_bank
from membranelab.cli import main
from membranelab.service import GradeRequest, GradingService
from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.db import ClassDB
from membranelab.web.roster import issue_tokens, read_roster
from tests.service.test_one_table import BASE, sign_in
from tests.web.conftest import csrf_of

R, F = 8.314462618, 96485.33212  # J/(mol K), C/mol (SI 2019)
REPO = Path(__file__).resolve().parents[2]
PROBLEM = "nernst-potassium"
STUDENT = "alice"
PENALTY, SIGN_CREDIT = 0.25, 0.5


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory):
    """The bank with the problem's scoring rules set in its file."""
    root = tmp_path_factory.mktemp("bank")
    shutil.copytree(REPO / "problems", root / "problems")
    shutil.copytree(REPO / "solutions", root / "solutions")
    source = root / "problems" / f"{PROBLEM}.md"
    text, n = re.subn(r"^errata: ", f"scoring: {{penalty: {PENALTY}, sign_credit: {SIGN_CREDIT}}}"
                      "\nerrata: ", source.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert n == 1
    source.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bank(bank_dir):
    return load_bank(bank_dir)


def e_k_mv(params) -> float:
    """E_K = RT/F ln(K_out/K_in) in mV, by hand."""
    return R * (params["T"] + 273.15) / F * math.log(params["K_out"] / params["K_in"]) * 1000


def sequences(params) -> list[tuple[str, str, list[str], float]]:
    """(label, part, answers in order, the part's credited share worked out by hand)."""
    e = e_k_mv(params)
    right = "out of the cell" if params["V_rest"] > e else "into the cell"
    wrong = "into the cell" if right == "out of the cell" else "out of the cell"
    return [
        # wrong (1 try), unreadable (no try), right on the 2nd try: 1 - 0.25
        ("wrong, unreadable, right", "E_K",
         [f"{e + 10:.2f} mV", "about minus ninety", f"{e:.2f} mV"], 1 - PENALTY),
        # sign only on the 1st try earns the sign credit; two wrong tries after it earn nothing
        ("sign, wrong, wrong", "E_K", [f"{-e:.2f} mV", f"{e + 10:.2f} mV", f"{e + 12:.2f} mV"],
         SIGN_CREDIT),
        # three wrong tries use the three tries: the right fourth earns nothing
        ("out of tries", "E_K",
         [f"{e + 10:.2f} mV", f"{e + 11:.2f} mV", f"{e + 12:.2f} mV", f"{e:.2f} mV"], 0.0),
        # a choice earns on its first try only (no credit by elimination)
        ("choice, 2nd try", "direction", [wrong, right], 0.0),
        ("choice, 1st try", "direction", [right.upper()], 1.0),
        ("sign only", "E_K", [f"{-e:.2f} mV"], SIGN_CREDIT),
        ("right at once", "E_K", [f"{e:.1f} mV"], 1.0),
    ]


@pytest.fixture(scope="module")
def table(bank):
    return sequences(bank.problems[PROBLEM].variant(STUDENT, "practice").params)


def _points(bank, part: str) -> float:
    return float(bank.problems[PROBLEM].part(part).points)


def via_service(bank, table) -> dict[str, float]:
    service = GradingService(bank)
    out = {}
    for label, part, answers, _ in table:
        verdict = service.grade(GradeRequest(PROBLEM, part, answers[-1], STUDENT,
                                             previous=tuple(answers[:-1])))
        out[label] = verdict.best
    return out


def via_api(bank_dir, table) -> dict[str, float]:
    out = {}
    app = create_app(ServeConfig(student=STUDENT, bank_dir=str(bank_dir), lang="en"))
    with TestClient(app, base_url=BASE) as client:
        for label, part, answers, _ in table:
            reply = client.post("/api/grade", json={
                "problem": PROBLEM, "part": part, "student": STUDENT, "assignment": "practice",
                "answer": answers[-1], "previous": answers[:-1]})
            assert reply.status_code == 200, reply.text
            out[label] = reply.json()["best"]
    return out


def via_practice(bank, tmp_path, table) -> dict[str, float]:
    """Each sequence typed at the part's prompt (then "n" for next if the part is still open;
    a "no" to the worked solution offered once the part is closed)."""
    from rich.console import Console

    from membranelab.app.commands.practice import PracticeSession
    from membranelab.service.progress_store import ProgressStore

    problem = bank.problems[PROBLEM]
    out = {}
    for n, (label, part, answers, _) in enumerate(table):
        store = ProgressStore(tmp_path / f"practice-{n}.json")
        replies = iter([*answers, "n", "n"])
        session = PracticeSession(Console(file=io.StringIO(), width=200), store, STUDENT,
                                  lambda _prompt, it=replies: next(it), "en",
                                  GradingService(bank))
        session.run_part(problem, problem.variant(STUDENT, "practice"), problem.part(part),
                         store.get(STUDENT, PROBLEM))
        out[label] = ProgressStore(store.path).get(STUDENT, PROBLEM).scores.get(part, 0.0) \
            / _points(bank, part)
    return out


def via_notebook(bank, bank_dir, tmp_path, table, capsys) -> dict[str, float]:
    from membranelab.notebooks.selfstudy import SelfStudy
    from membranelab.service.progress_store import ProgressStore

    out = {}
    for n, (label, part, answers, _) in enumerate(table):
        path = tmp_path / f"notebook-{n}.json"
        study = SelfStudy(STUDENT, bank=str(bank_dir), register=False, store=ProgressStore(path))
        for answer in answers:
            study.check(PROBLEM, part, answer)
        capsys.readouterr()
        out[label] = ProgressStore(path).get(STUDENT, PROBLEM).scores.get(part, 0.0) \
            / _points(bank, part)
    return out


def _answer_all(client, part: str, answers: list[str]) -> float:
    """Type each answer on the problem page as its script does, until the page refuses one
    (409: the part is closed); the part's earned points as the page last showed them."""
    csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
    earned = 0.0
    for answer in answers:
        reply = client.post(f"/p/{PROBLEM}/answer", headers={"Accept": "application/json"},
                            data={"csrf": csrf, "part": part, "answer": answer})
        if reply.status_code == 409:
            break
        assert reply.status_code == 200, reply.text
        earned = reply.json()["earned"]
    return earned


def via_self_study_page(bank, bank_dir, tmp_path, table) -> dict[str, float]:
    out = {}
    for n, (label, part, answers, _) in enumerate(table):
        app = create_app(ServeConfig(student=STUDENT, bank_dir=str(bank_dir), lang="en",
                                     progress_path=tmp_path / f"page-{n}.json"))
        with TestClient(app, base_url=BASE) as client:
            out[label] = _answer_all(client, part, answers) / _points(bank, part)
    return out


def via_class_page(bank, bank_dir, tmp_path, table) -> dict[str, float]:
    """One class (no class-file rules: the problem file's apply); the student's submissions
    cleared between sequences."""
    from membranelab.web.db import submissions

    roster = tmp_path / "class.csv"
    roster.write_text(f"student,name\n{STUDENT},Alice\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'class.db'}"
    db = ClassDB(url)
    tokens = {r[1]: r[3] for r in issue_tokens(db, read_roster(roster), base_url=BASE)
              if r[0] == "student"}
    db.close()
    klass = ClassSettings(roster=roster, assignment="practice", problems=(PROBLEM,),
                          title="ps1", db_url=url, feedback="named", hints=False)
    app = create_app(ServeConfig(klass=klass, bank_dir=str(bank_dir), lang="en"))
    out = {}
    with TestClient(app, base_url=BASE) as client:
        sign_in(client, tokens[STUDENT])
        for label, part, answers, _ in table:
            with app.state.web.db.engine.begin() as conn:
                conn.execute(submissions.delete())
            out[label] = _answer_all(client, part, answers) / _points(bank, part)
    app.state.web.db.close()
    return out


def _check(table, got: dict[str, float], front: str) -> None:
    for label, _, _, share in table:
        assert got[label] == pytest.approx(share), (front, label, got[label], share)


def test_service_and_api(bank, bank_dir, table):
    """The service and /api/grade (earlier tries as ``previous``) credit each sequence as
    worked out by hand."""
    _check(table, via_service(bank, table), "service")
    _check(table, via_api(bank_dir, table), "/api/grade")


def test_practice_and_notebook(bank, bank_dir, table, tmp_path, capsys):
    """The terminal's practice and the self-study notebook store the same credit."""
    _check(table, via_practice(bank, tmp_path, table), "practice")
    _check(table, via_notebook(bank, bank_dir, tmp_path, table, capsys), "notebook")


@pytest.mark.slow
def test_pages(bank, bank_dir, table, tmp_path):
    """The self-study page and a class page show the same credit."""
    _check(table, via_self_study_page(bank, bank_dir, tmp_path, table), "self-study page")
    _check(table, via_class_page(bank, bank_dir, tmp_path, table), "class page")


def test_one_answer_per_part(bank, bank_dir, table, tmp_path, capsys, monkeypatch):
    """Where a part has one answer (``grade``, ``course grade``), it is the first try: the
    sequences of one answer earn the same there."""
    from membranelab.course.verdicts import grade_answer

    monkeypatch.chdir(tmp_path)
    single = [row for row in table if len(row[2]) == 1]
    assert {row[0] for row in single} == {"choice, 1st try", "sign only", "right at once"}
    service = GradingService(bank)
    door = {label: grade_answer(service, GradeRequest(PROBLEM, part, answers[0], STUDENT)).score
            for label, part, answers, _ in single}
    _check(single, door, "course grade")
    # one grades file, each part answered once (a part answered twice would be a
    # resubmission: only the last counts)
    once = [row for row in single if row[0] != "right at once"]
    answers_csv = tmp_path / "answers.csv"
    answers_csv.write_text("student,assignment,problem,part,answer\n" + "".join(
        f"{STUDENT},practice,{PROBLEM},{part},{answers[0]}\n" for _, part, answers, _ in once),
        encoding="utf-8")
    out = tmp_path / "grades.csv"
    assert main(["--bank", str(bank_dir), "grade", str(answers_csv), "-o", str(out), "-j", "1",
                 "--no-progress"]) == 0
    capsys.readouterr()
    rows = {r["part"]: float(r["score"]) / float(r["points"])
            for r in csv.DictReader(out.open(encoding="utf-8"))}
    _check(once, {label: rows[part] for label, part, _, _ in once}, "grade")
