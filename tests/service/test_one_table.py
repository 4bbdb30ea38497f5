"""One table of answers through every front end: the same verdict, score and note everywhere.

The table is written here, with each row's verdict as a teacher gives it; the right answers are
computed by hand (the Nernst equation below, with SI 2019 constants) from the numbers each
context gives the student: public numbers in an ungraded course, keyed numbers in a graded one.
Front ends: the grading service itself, ``membranelab grade`` (an answers CSV, in-process),
``POST /api/grade`` (the teacher's token) and a class-mode student's own submission; in an
ungraded course also the self-study browser, the nbgrader notebook's ``check()``, the terminal's
``practice`` and the self-study notebook.  Each in English and Chinese.  (The read-back and the
preview read what the grader reads: tested over the same table below.)
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from membranelab.bank import load_bank
from membranelab.cli import main
from membranelab.service import Course, GradeRequest, GradingService
from membranelab.service.secret import SECRET_VAR, student_key
from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.db import ClassDB
from membranelab.web.roster import issue_tokens, read_roster

R, F = 8.314462618, 96485.33212          # J/(mol K), C/mol (SI 2019)
SECRET = bytes(range(1, 33))
STUDENT = "alice"
PROBLEM = "nernst-potassium"
BASE = "http://127.0.0.1"


def nernst_mv(k_out: float, k_in: float, celsius: float, log=math.log) -> float:
    """E_K = RT/F ln(K_out/K_in), in mV, by hand."""
    return R * (celsius + 273.15) / F * log(k_out / k_in) * 1000


def full_width(text: str) -> str:
    """What a Chinese input method types: full-width digits, letters, point and minus."""
    table = {ord(c): ord(c) + 0xFEE0 for c in "0123456789.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    table[ord("-")] = ord("－")
    return text.translate(table)


def table(params: dict, public: dict | None) -> list[tuple[str, str, str, bool, str]]:
    """(label, part, answer, correct, expected note or '' for any note) for one student's
    numbers ``params``; ``public``: the public numbers, in a graded course."""
    e_k = nernst_mv(params["K_out"], params["K_in"], params["T"])
    e_log10 = nernst_mv(params["K_out"], params["K_in"], params["T"], math.log10)
    rows = [
        ("right", "E_K", f"{e_k:.2f} mV", True, "correct"),
        ("right, full-width", "E_K", full_width(f"{e_k:.2f} mV"), True, "correct"),
        ("right, Chinese unit", "E_K", f"{e_k:.2f} 毫伏", True, "correct"),
        ("right, decimal comma", "E_K", f"{e_k:.2f} mV".replace(".", ","), True, "correct"),
        ("log10 for ln", "E_K", f"{e_log10:.2f} mV", False, "mistake.log10"),
        ("10 mV off", "E_K", f"{e_k + 10:.2f} mV", False, "value.incorrect"),
        ("unreadable", "E_K", "about minus ninety", False, ""),
        ("hostile", "E_K", "__import__('os').system('echo owned')", False, ""),
        ("choice right", "direction", "out of the cell", True, "correct"),
        ("choice alias", "direction", "OUTWARD", True, "correct"),
        ("choice in Chinese", "direction", "流出细胞", True, "correct"),
        ("choice wrong", "direction", "into the cell", False, ""),
    ]
    if public is not None:  # the public variant's answer is not this student's
        e_public = nernst_mv(public["K_out"], public["K_in"], public["T"])
        if abs(e_public - e_k) > 0.02 * abs(e_k):
            rows.append(("public numbers' answer", "E_K", f"{e_public:.2f} mV", False, ""))
    return rows


def write_course(folder: Path, graded: bool) -> Path:
    """A course folder: assignments.yaml (graded or formative) and its roster."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.txt").write_text(f"{STUDENT}\nbob\n", encoding="utf-8")
    mode = "graded" if graded else "formative"
    (folder / "assignments.yaml").write_text(
        f"course: {{mode: {mode}, roster: roster.txt}}\n"
        "assignments:\n  - id: ps1\n    problems: [nernst-potassium]\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bank():
    return load_bank()


# -- the front ends: each returns {label: (correct, score, note)} -----------------------------
def via_service(bank, course, assignment, rows, lang):
    service = GradingService(bank, course)
    out = {}
    for label, part, answer, _, _ in rows:
        v = service.grade(GradeRequest(PROBLEM, part, answer, STUDENT, assignment, lang, "named"))
        out[label] = (v.correct, v.score, v.note)
    return out


def via_grade_command(tmp_path, course_dir, assignment, rows, lang, capsys):
    """One answers file per row (a later row answering the same part would supersede it)."""
    out = {}
    for n, (label, part, answer, _, _) in enumerate(rows):
        answers, grades = tmp_path / f"answers-{lang}-{n}.csv", tmp_path / f"grades-{lang}-{n}.csv"
        with answers.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student", "assignment", "problem", "part", "answer"])
            writer.writerow([STUDENT, assignment, PROBLEM, part, answer])
        code = main(["--lang", lang, "grade", str(answers), "-o", str(grades), "-j", "1",
                     "--no-progress", "--course-dir", str(course_dir)])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        with grades.open(encoding="utf-8") as handle:
            row = next(csv.DictReader(handle))
        out[label] = (row["correct"] == "true", float(row["score"]) / float(row["points"]),
                      row["note"])
    return out


def make_class(tmp_path, assignment, secret, lang, problems=(PROBLEM,)):
    roster = tmp_path / f"class-{lang}.csv"
    roster.write_text(f"student,name\n{STUDENT},Alice\nbob,Bob\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / f'class-{lang}.db'}"
    db = ClassDB(url)
    issued = issue_tokens(db, read_roster(roster), base_url=BASE)
    db.close()
    tokens = {r[1]: r[3] for r in issued if r[0] == "student"}
    teacher = next(r[3] for r in issued if r[0] == "teacher")
    klass = ClassSettings(roster=roster, assignment=assignment, problems=tuple(problems),
                          title="ps1", db_url=url, feedback="named", tries=100, secret=secret,
                          hints=False)
    return create_app(ServeConfig(klass=klass, lang=lang)), tokens, teacher


def sign_in(client, token: str) -> None:
    """Follow a personal link and confirm it, as a student's browser does."""
    from tests.web.conftest import login_form  # noqa: PLC0415

    page = client.get(f"/login?token={token}", follow_redirects=False)
    assert page.status_code == 200
    assert client.post("/login", data=login_form(page.text),
                       follow_redirects=False).status_code == 303


def via_api(app, teacher, assignment, rows):
    out = {}
    with TestClient(app, base_url=BASE) as client:
        for label, part, answer, _, _ in rows:
            reply = client.post("/api/grade", headers={"Authorization": f"Bearer {teacher}"},
                                json={"problem": PROBLEM, "part": part, "student": STUDENT,
                                      "assignment": assignment, "answer": answer})
            assert reply.status_code == 200, reply.text
            data = reply.json()
            out[label] = (data["correct"], data["score"], data["note"])
    return out


def _page_verdict(client, part: str, answer: str) -> tuple:
    """Answer one part on the problem's page as its script does: (correct, score, note)."""
    from tests.web.conftest import page_answer  # noqa: PLC0415 - the web tests' page helper

    data = page_answer(client, part, answer, problem=PROBLEM)
    return data["correct"], data["score"], data["note"]


def via_class_page(app, token, rows):
    """Each row a first try: the student's earlier submissions are cleared between rows (a
    right try, or a choice's first, closes its part by the scoring policy)."""
    from membranelab.web.db import submissions  # noqa: PLC0415

    out = {}
    with TestClient(app, base_url=BASE) as client:
        sign_in(client, token)
        for label, part, answer, _, _ in rows:
            with app.state.web.db.engine.begin() as conn:
                conn.execute(submissions.delete())
            out[label] = _page_verdict(client, part, answer)
    return out


def via_self_study(tmp_path, rows, lang, monkeypatch):
    out = {}
    for label, part, answer, _, _ in rows:  # a fresh store per row: tries never run out
        store = tmp_path / f"progress-{lang}-{len(out)}.json"
        app = create_app(ServeConfig(student=STUDENT, lang=lang, progress_path=store))
        with TestClient(app, base_url=BASE) as client:
            out[label] = _page_verdict(client, part, answer)
    return out


def via_notebook(rows, lang, monkeypatch, capsys):
    from membranelab.notebooks import assignment as runtime

    monkeypatch.setenv("MEMBRANELAB_STUDENT", STUDENT)
    out = {}
    for label, part, answer, _, _ in rows:
        earned = runtime.check("practice", PROBLEM, part, answer, points=1.0, feedback="named",
                               lang=lang)
        capsys.readouterr()
        out[label] = (earned == 1.0, earned, None)
    return out


def via_practice(tmp_path, rows, lang):
    """The terminal's practice session: each answer typed at a part's prompt, then "n" (next);
    its verdict read from what the session stored (the best points and whether a try counted)."""
    from rich.console import Console

    from membranelab.app.commands.practice import PracticeSession
    from membranelab.service.progress_store import ProgressStore

    bank = load_bank()
    problem = bank.problems[PROBLEM]
    out = {}
    for n, (label, part, answer, _, _) in enumerate(rows):
        store = ProgressStore(tmp_path / f"practice-{lang}-{n}.json")
        replies = iter([answer, "n"])
        session = PracticeSession(Console(file=io.StringIO(), width=200), store, STUDENT,
                                  lambda _prompt, it=replies: next(it), lang)
        session.run_part(problem, problem.variant(STUDENT, "practice", lang=lang),
                         problem.part(part), store.get(STUDENT, PROBLEM))
        progress = store.get(STUDENT, PROBLEM)
        earned = progress.scores.get(part, 0.0) / problem.part(part).points
        out[label] = (earned == 1.0, earned, None)
    return out


def via_selfstudy_notebook(tmp_path, rows, lang, capsys):
    """The self-study notebook's ``SelfStudy.check`` (its %%answer magic)."""
    from membranelab.notebooks.selfstudy import SelfStudy
    from membranelab.service.progress_store import ProgressStore

    out = {}
    for n, (label, part, answer, _, _) in enumerate(rows):
        study = SelfStudy(STUDENT, register=False, lang=lang,
                          store=ProgressStore(tmp_path / f"notebook-{lang}-{n}.json"))
        result = study.check(PROBLEM, part, answer)
        capsys.readouterr()
        out[label] = (bool(result.correct), float(result.score), result.note)
    return out


def assert_table(rows, results: dict[str, dict]) -> None:
    """Every front end agrees with the service, and the service with the table."""
    reference = results["service"]
    for label, _, _, correct, note in rows:
        got = reference[label]
        assert got[0] is correct, (label, got)
        assert got[1] == (1.0 if correct else got[1]) and (correct or got[1] < 1.0), (label, got)
        if note:
            assert got[2] == note, (label, got)
    for front, answers in results.items():
        for label, _, _, _, _ in rows:
            want, got = reference[label], answers[label]
            assert got[0] == want[0] and got[1] == pytest.approx(want[1]), (front, label, got)
            if got[2] is not None:
                assert got[2] == want[2], (front, label, got, want)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ungraded_course(lang, bank, tmp_path, monkeypatch, capsys):
    """Public numbers (self-study's assignment): eight front ends, one verdict per row."""
    monkeypatch.delenv(SECRET_VAR, raising=False)
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path / "data"))
    course_dir = write_course(tmp_path / "course", graded=False)
    course = Course.open(course_dir, bank.problems)
    params = bank.problems[PROBLEM].variant(STUDENT, "practice").params
    rows = table(params, None)
    app, tokens, teacher = make_class(tmp_path, "practice", None, lang)
    results = {
        "service": via_service(bank, course, "practice", rows, lang),
        "grade": via_grade_command(tmp_path, course_dir, "practice", rows, lang, capsys),
        "api": via_api(app, teacher, "practice", rows),
        "class page": via_class_page(app, tokens[STUDENT], rows),
        "self-study page": via_self_study(tmp_path, rows, lang, monkeypatch),
        "notebook check()": via_notebook(rows, lang, monkeypatch, capsys),
        "practice (terminal)": via_practice(tmp_path, rows, lang),
        "self-study notebook": via_selfstudy_notebook(tmp_path, rows, lang, capsys),
    }
    app.state.web.db.close()
    assert_table(rows, results)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_graded_course(lang, bank, tmp_path, monkeypatch, capsys):
    """Keyed numbers: the service, `grade --course-dir`, /api/grade and the class page all
    grade against the student's keyed variant (the public variant's answer is wrong)."""
    monkeypatch.setenv(SECRET_VAR, SECRET.hex())
    course_dir = write_course(tmp_path / "course", graded=True)
    course = Course.open(course_dir, bank.problems)
    problem = bank.problems[PROBLEM]
    keyed = problem.variant(STUDENT, "ps1", key=student_key(SECRET, "ps1", STUDENT)).params
    public = problem.variant(STUDENT, "ps1").params
    rows = table(keyed, public)
    assert rows[-1][0] == "public numbers' answer"
    app, tokens, teacher = make_class(tmp_path, "ps1", SECRET, lang)
    results = {
        "service": via_service(bank, course, "ps1", rows, lang),
        "grade": via_grade_command(tmp_path, course_dir, "ps1", rows, lang, capsys),
        "api": via_api(app, teacher, "ps1", rows),
        "class page": via_class_page(app, tokens[STUDENT], rows),
    }
    app.state.web.db.close()
    assert_table(rows, results)


def test_graded_without_the_secret_is_refused(bank, tmp_path, monkeypatch, capsys):
    """`grade --course-dir` of a graded assignment without the secret: one line, exit 2, no
    grades file (never graded against public numbers)."""
    monkeypatch.delenv(SECRET_VAR, raising=False)
    course_dir = write_course(tmp_path / "course", graded=True)
    answers = tmp_path / "answers.csv"
    answers.write_text("student,assignment,problem,part,answer\n"
                       f"{STUDENT},ps1,{PROBLEM},E_K,-90 mV\n", encoding="utf-8")
    for lang, word in (("en", "secret"), ("zh", "密钥")):
        code = main(["--lang", lang, "grade", str(answers), "-o", str(tmp_path / "g.csv"),
                     "--no-progress", "--course-dir", str(course_dir)])
        err = capsys.readouterr().err
        assert code == 2 and word in err and len(err.strip().splitlines()) == 1, err
        assert not (tmp_path / "g.csv").exists()


@pytest.mark.parametrize("student", ["canonical", "CANONICAL", "ＣＡＮＯＮＩＣＡＬ", " Canonical "])
def test_reserved_ids_are_refused_everywhere(student, bank, tmp_path, monkeypatch, capsys):
    """The published numbers are never reached through an id: the service refuses it, `grade`
    grades the row 0 with the refusal, /api/grade answers 400."""
    from membranelab.service import ServiceError

    with pytest.raises(ServiceError, match="reserved"):
        GradingService(bank).grade(GradeRequest(PROBLEM, "E_K", "-95 mV", student))
    answers = tmp_path / "answers.csv"
    answers.write_text("student,assignment,problem,part,answer\n"
                       f"{student},practice,{PROBLEM},E_K,{nernst_mv(4, 140, 37):.2f} mV\n",
                       encoding="utf-8")
    assert main(["grade", str(answers), "-o", str(tmp_path / "g.csv"), "--no-progress",
                 "-j", "1", "--course-dir", str(write_course(tmp_path / "c", False))]) == 0
    capsys.readouterr()
    row = next(csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert row["score"] == "0" and row["note"] == "row.refused" and "reserved" in row["feedback"]
    app, _, teacher = make_class(tmp_path, "practice", None, "en")
    with TestClient(app, base_url=BASE) as client:
        reply = client.post("/api/grade", headers={"Authorization": f"Bearer {teacher}"},
                            json={"problem": PROBLEM, "part": "E_K", "student": student,
                                  "assignment": "practice", "answer": "-95 mV"})
        assert reply.status_code == 400 and "reserved" in reply.json()["error"]
        published = client.post("/api/grade", headers={"Authorization": f"Bearer {teacher}"},
                                 json={"problem": PROBLEM, "part": "E_K", "assignment": "",
                                       "answer": f"{nernst_mv(4, 140, 37):.2f} mV"})
        assert published.json()["correct"] is True  # no student: the lecture notes' numbers
    app.state.web.db.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_read_back_reads_what_the_grader_reads(lang, bank):
    """For every row of the table: an answer the grader reads (right or wrong) reads back, and
    one it cannot read does not; in both languages, with the problem for choices in Chinese."""
    from membranelab.service.readback import read_answer, read_back

    problem = bank.problems[PROBLEM]
    params = problem.variant(STUDENT, "practice").params
    service = GradingService(bank)
    for label, part_id, answer, _, _ in table(params, None):
        verdict = service.grade(GradeRequest(PROBLEM, part_id, answer, STUDENT, lang=lang))
        part = problem.localized(lang).part(part_id)
        reading = read_answer(part, answer, problem)
        assert reading.ok is verdict.counted, (label, reading, verdict.note)
        sentence = read_back(part, answer, lang, problem)
        assert ("cannot be read" in sentence or "无法作为答案读取" in sentence) is (
            not verdict.counted), (label, sentence)


def test_the_read_back_keeps_the_figures_written(bank):
    """-90.0 mV reads as −90.0 mV (not −90), -0.0950 V as −95.0 mV."""
    from membranelab.service.readback import read_back

    part = bank.problems[PROBLEM].part("E_K")
    assert read_back(part, "-90.0 mV") == "E_K: read as −90.0 mV."
    assert read_back(part, "-0.0950 V") == "E_K: read as −95.0 mV (you wrote −0.0950 V)."
    assert read_back(part, "-90 mv").startswith("E_K: read as −90 mV")


def test_a_fault_in_a_reader_is_an_incident_not_the_answers_fault(bank, monkeypatch):
    """A reader that crashes: the student is told the incident's id and that the fault is not
    theirs -- in the read-back and in the preview."""
    from membranelab.bank.kinds.numeric import Numeric
    from membranelab.service.readback import read_back
    from membranelab.web.preview import preview_answer

    def broken(self, part, text, problem=None):
        raise KeyError("bug")

    monkeypatch.setattr(Numeric, "read", broken)
    part = bank.problems[PROBLEM].part("E_K")
    for text in (read_back(part, "-90 mV"), preview_answer(part, "-90 mV", lang="en").message):
        assert "incident" in text and "not in your answer" in text and "KeyError" not in text
    zh = read_back(part, "-90 mV", "zh")
    assert "事件编号" in zh and "KeyError" not in zh


def test_grade_reproduces_a_graded_class_exactly(bank, tmp_path, monkeypatch, capsys):
    """A graded class answers in the browser; the teacher's answers export, graded by
    `grade --course-dir`, gives every recorded score exactly -- and without the course (public
    numbers) it would not."""
    from tests.web.conftest import csrf_of  # noqa: PLC0415

    monkeypatch.setenv(SECRET_VAR, SECRET.hex())
    monkeypatch.chdir(tmp_path)
    course_dir = write_course(tmp_path / "course", graded=True)
    problem = bank.problems[PROBLEM]
    app, tokens, teacher = make_class(tmp_path, "ps1", SECRET, "en")
    answers = {}
    for student in ("alice", "bob"):
        p = problem.variant(student, "ps1", key=student_key(SECRET, "ps1", student)).params
        right = nernst_mv(p["K_out"], p["K_in"], p["T"])
        wrong = nernst_mv(p["K_out"], p["K_in"], p["T"], math.log10)
        answers[student] = {"E_K": f"{right if student == 'alice' else wrong:.2f} mV",
                            "direction": "out of the cell"}
    with TestClient(app, base_url=BASE) as client:
        for student, parts in answers.items():
            sign_in(client, tokens[student])
            csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
            for part, answer in parts.items():
                client.post(f"/p/{PROBLEM}/answer", headers={"Accept": "application/json"},
                            data={"csrf": csrf, "part": part, "answer": answer})
        sign_in(client, teacher)
        exported = client.get("/teacher/answers.csv").text
    app.state.web.db.close()
    (tmp_path / "answers.csv").write_text(exported, encoding="utf-8")
    recorded = {(r["student"], r["part"]): r["score"]
                for r in csv.DictReader(io.StringIO(exported))}
    assert recorded == {("alice", "E_K"): "1", ("alice", "direction"): "1",
                        ("bob", "E_K"): "0", ("bob", "direction"): "1"}

    def regraded(*course: str) -> dict:
        out = tmp_path / "grades.csv"
        assert main(["grade", str(tmp_path / "answers.csv"), "-o", str(out), "-j", "1",
                     "--no-progress", *course]) == 0, capsys.readouterr().err
        capsys.readouterr()
        with out.open(encoding="utf-8") as handle:
            return {(r["student"], r["part"]): r["score"] for r in csv.DictReader(handle)}

    assert regraded("--course-dir", str(course_dir)) == recorded
    (tmp_path / "course").rename(tmp_path / "elsewhere")  # no course: the public numbers
    assert regraded()[("alice", "E_K")] == "0"


# -- the graded course's grading front end: `membranelab course grade` ------------------------
#: The graded course's assignments: one per language (the notebook's language is the
#: assignment's), both with the table's problem, the course's feedback level ``named``.
COURSE_ASSIGNMENTS = {"en": "ps1", "zh": "ps1zh"}


def _course_rows(lang: str, bank) -> list[tuple[str, tuple]]:
    """(student, row) for each row of the table: each row typed by a student of its own, the
    row computed from that student's keyed numbers (the public-numbers row by a student whose
    public answer is not also their keyed one)."""
    aid = COURSE_ASSIGNMENTS[lang]
    problem = bank.problems[PROBLEM]
    labels = [row[0] for row in table(problem.variant("s", aid).params, None)]
    labels.append("public numbers' answer")
    out = []
    for n, label in enumerate(labels):
        for attempt in range(50):
            student = f"s{n:02d}{'abcdefghijklmnopqrstuvwxyz'[attempt % 26] * (attempt // 26 + 1)}"
            keyed = problem.variant(student, aid, key=student_key(SECRET, aid, student)).params
            row = next((r for r in table(keyed, problem.variant(student, aid).params)
                        if r[0] == label), None)
            if row is not None:
                out.append((student, row))
                break
    assert [row[0] for _, row in out] == labels
    return out


@pytest.fixture(scope="module")
def course_graded(tmp_path_factory, bank):
    """A graded course of both assignments, every row of the table handed in as one student's
    notebook (the row's answer typed in its part's cell, the other part left as released), then
    graded by ``membranelab course grade`` (the course recipe: build, ``nbgrader
    generate_assignment``, submissions, course grade).  (course folder, rows by language,
    assignments, what course grade printed by language)."""
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments
    from tests.course import submissions as sub  # noqa: PLC0415 - the course tests' helpers

    root = tmp_path_factory.mktemp("onetable-course")
    rows = {lang: _course_rows(lang, bank) for lang in COURSE_ASSIGNMENTS}
    said: dict[str, str] = {}
    students = sorted({s for pairs in rows.values() for s, _ in pairs})
    (root / "roster.txt").write_text("\n".join(students) + "\n", encoding="utf-8")
    (root / "assignments.yaml").write_text(
        "course: {id: onetable, mode: graded, feedback: named, roster: roster.txt}\n"
        "assignments:\n"
        f"  - id: {COURSE_ASSIGNMENTS['en']}\n    problems: [{PROBLEM}]\n"
        f"  - id: {COURSE_ASSIGNMENTS['zh']}\n    problems: [{PROBLEM}]\n    lang: zh\n",
        encoding="utf-8")
    (root / "nbgrader_config.py").write_bytes((sub.COURSE / "nbgrader_config.py").read_bytes())
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SECRET_VAR, SECRET.hex())
        mp.setenv("XDG_CONFIG_HOME", str(root.parent / "config"))
        assert main(["course", "build", "--course-dir", str(root)]) == 0
        assignments = {a.id: a for a in load_assignments(root / "assignments.yaml",
                                                         bank.problems)}
        # one nbgrader run releases both (its assignment id is a pattern)
        sub.nbgrader(root, "generate_assignment", "ps1*", timeout=300)
        for lang, aid in COURSE_ASSIGNMENTS.items():
            release = sub.read_nb(root / "release" / aid / f"{aid}.ipynb")
            cells = {pc.part_id: pc for pc in part_cells(assignments[aid], bank)}
            for student, (_, part, answer, _, _) in rows[lang]:
                sub.submit(root, student, aid, sub.with_answers(
                    release, {cells[part].answer_id: answer},
                    {cells[part].answer_id: cells[part].variable}))
            # one worker: the class is small, and each worker loads the bank
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--lang", lang, "course", "grade", aid, "--course-dir",
                             str(root), "-j", "1"])
            assert code == 0, err.getvalue()
            said[lang] = out.getvalue() + err.getvalue()
    return root, rows, assignments, said


def via_course_grade(root: Path, aid: str, parts, pairs) -> dict:
    """Each row's score from the gradebook (what ``nbgrader export`` reports) and the feedback
    the autograded notebook's test cell shows: {label: (correct, score, feedback text)}."""
    import json

    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "membranelab") as gb:
        for student, (label, part, _, _, _) in pairs:
            pc = parts[part]
            grade = gb.find_grade(pc.test_id, aid, aid, student)
            nb = json.loads((root / "autograded" / student / aid / f"{aid}.ipynb").read_text(
                encoding="utf-8"))
            cell = next(c for c in nb["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") == pc.test_id)
            printed = "".join(o.get("text", "") for o in cell["outputs"]
                              if o["output_type"] == "stream")
            out[label] = (grade.score == grade.max_score, grade.score / grade.max_score,
                          printed.rstrip("\n"))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_graded_course_through_course_grade(lang, bank, course_graded, monkeypatch):
    """The graded course's grade of record: each row typed into a submitted notebook and graded
    by ``membranelab course grade`` gets, in the gradebook, the service's score for the same
    keyed student, and its test cell prints the service's sentence (same message id and
    parameters) and points line; the table's verdicts hold (the public numbers' answer is
    wrong)."""
    from membranelab.course.build import part_cells

    root, rows, assignments, _ = course_graded
    aid = COURSE_ASSIGNMENTS[lang]
    monkeypatch.setenv(SECRET_VAR, SECRET.hex())
    service = GradingService(bank, Course.open(root, bank.problems))
    verdicts = {label: service.grade(GradeRequest(PROBLEM, part, answer, student, aid, lang,
                                                  "named"))
                for student, (label, part, answer, _, _) in rows[lang]}
    table_rows = [row for _, row in rows[lang]]
    graded = via_course_grade(root, aid, {pc.part_id: pc for pc in
                                          part_cells(assignments[aid], bank)}, rows[lang])
    assert_table(table_rows, {
        "service": {k: (v.correct, v.score, v.note) for k, v in verdicts.items()},
        "course grade": {k: (c, s, None) for k, (c, s, _) in graded.items()}})
    for label, verdict in verdicts.items():
        assert graded[label][2] == verdict.cell_text(), (label, graded[label][2])
    assert not graded["public numbers' answer"][0]


@pytest.mark.slow
def test_course_grade_says_it_in_chinese(course_graded):
    """What ``--lang zh course grade`` printed for the Chinese assignment carries no English
    sentence (the one run of the command on handed-in notebooks among the zh scans)."""
    from tests.i18n.latin import english_words

    said = course_graded[3]
    assert "ps1zh" in said["zh"] and english_words(said["zh"].replace("ps1zh", " ")) == [], said
    assert english_words(said["en"].replace("ps1", " "))  # the scan can see English
