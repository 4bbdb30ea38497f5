"""Class mode, in-process: personal tokens, each student's own variant, CSRF, the due date, the
try limit, every submission recorded once, the teacher's exports and the grading service."""

from __future__ import annotations

import csv
import hashlib
import io
import math
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from membranelab.app.batch.pipeline import grade_file
from membranelab.web.config import ServeConfig
from membranelab.web.db import ClassDB
from membranelab.web.state import COOKIE

from .conftest import ASSIGNMENT, BASE, csrf_of, login_form, make_class, signed_in

# The variants of ps1-equilibrium drawn for alice and bob (their statements show these numbers).
# alice, nernst-potassium: K_out 4.5 mM, K_in 135 mM, 37 C:
#   RT/F = 8.314462618 * 310.15 / 96485.33212 = 26.727 mV; E_K = 26.727 * ln(4.5/135) = -90.90 mV
# bob, nernst-potassium: K_out 7.5 mM, K_in 135 mM, 25 C:
#   RT/F = 8.314462618 * 298.15 / 96485.33212 = 25.693 mV; E_K = 25.693 * ln(7.5/135) = -74.26 mV
R, F = 8.314462618, 96485.33212
ALICE_E_K = R * 310.15 / F * math.log(4.5 / 135) * 1000
BOB_E_K = R * 298.15 / F * math.log(7.5 / 135) * 1000


def test_hand_values():
    """The arithmetic above."""
    assert round(ALICE_E_K, 2) == -90.90 and round(BOB_E_K, 2) == -74.26


def _post_answer(client, part, answer, *, problem="nernst-potassium", uid=None):
    csrf = csrf_of(client.get(f"/p/{problem}").text)
    data = {"csrf": csrf, "part": part, "answer": answer}
    if uid:
        data["uid"] = uid
    return client.post(f"/p/{problem}/answer", data=data, headers={"Accept": "application/json"})


class TestSignIn:
    def test_link_sets_an_httponly_cookie_and_leaves_the_address_bar(self, klass):
        """/login?token=T, confirmed, redirects to / with the token in an HttpOnly cookie."""
        app, tokens, _ = klass
        client = TestClient(app, base_url=BASE)
        page = client.get(f"/login?token={tokens['alice']}", follow_redirects=False)
        assert "Sign in as Alice A" in page.text
        reply = client.post("/login", data=login_form(page.text), follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"] == "/"
        cookie = reply.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert "Signed in as alice" in client.get("/").text

    def test_bad_token_is_refused(self, klass):
        """A wrong token gets the sign-in page again (401), no cookie."""
        app, tokens, _ = klass
        client = TestClient(app, base_url=BASE)
        reply = client.get("/login?token=" + tokens["alice"][:-2] + "xx", follow_redirects=False)
        assert reply.status_code == 401 and COOKIE not in reply.cookies

    def test_tokens_are_stored_hashed(self, klass, tmp_path):
        """The database holds SHA-256 hashes of the tokens, never a token."""
        app, tokens, teacher = klass
        db = app.state.web.db
        if db.engine.dialect.name == "sqlite":
            raw = (tmp_path / "class.db").read_bytes()
        else:  # every row of every table, as text
            from sqlalchemy import text

            with db.engine.connect() as conn:
                raw = "\n".join(str(tuple(row)) for name in ("students", "settings")
                                for row in conn.execute(text(f"SELECT * FROM {name}"))).encode()
        for token in [*tokens.values(), teacher]:
            assert token.encode() not in raw
        hashes = app.state.web.db.student_hashes()
        assert hashes["alice"] == hashlib.sha256(tokens["alice"].encode()).hexdigest()


class TestIsolation:
    def test_two_students_see_their_own_numbers(self, klass):
        """alice's page shows K_out = 4.5 at 37 C, bob's K_out = 7.5 at 25 C."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"]).get("/p/nernst-potassium").text
        bob = signed_in(app, tokens["bob"]).get("/p/nernst-potassium").text
        assert r"_\text{out} = 4.5\)" in alice and "37 °C" in alice
        assert r"_\text{out} = 7.5\)" in bob and "25 °C" in bob
        assert r"= 7.5\)" not in alice and r"= 4.5\)" not in bob

    def test_each_grading_uses_the_students_own_variant(self, klass):
        """-90.9 mV is right for alice and wrong for bob; -74.3 mV the other way round."""
        app, tokens, _ = klass
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        assert _post_answer(alice, "E_K", f"{ALICE_E_K:.1f} mV").json()["correct"] is True
        assert _post_answer(bob, "E_K", f"{ALICE_E_K:.1f} mV").json()["correct"] is False
        assert _post_answer(bob, "E_K", f"{BOB_E_K:.1f} mV").json()["correct"] is True

    def test_without_a_token_nothing_is_served(self, klass):
        """No cookie: no problem, no preview, no answer, no export."""
        app, _, _ = klass
        client = TestClient(app, base_url=BASE)
        assert "Sign in" in client.get("/").text
        assert client.get("/p/nernst-potassium").status_code == 401
        assert client.post("/p/nernst-potassium/answer", data={"part": "E_K", "answer": "1 mV"}
                           ).status_code == 401
        assert client.post("/api/preview", json={"problem": "nernst-potassium", "part": "E_K",
                                                 "answer": "1 mV"}).status_code == 401
        for name in ("grades.csv", "answers.csv", "submissions.csv"):
            assert client.get(f"/teacher/{name}").status_code == 401

    def test_a_student_cannot_read_another_students_answers(self, klass):
        """bob's pages and any export he asks for never show alice's answer."""
        app, tokens, _ = klass
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        assert _post_answer(alice, "E_K", "-12345 mV").status_code == 200
        for path in ("/", "/p/nernst-potassium", "/teacher", "/teacher/answers.csv",
                     "/teacher/submissions.csv"):
            reply = bob.get(path)
            assert "12345" not in reply.text
        assert bob.get("/teacher/answers.csv").status_code == 403

    def test_the_grading_service_is_for_the_teacher_only(self, klass):
        """POST /api/grade with a student's cookie or no token is refused; the teacher's
        bearer token grades any student's answer."""
        app, tokens, teacher = klass
        body = {"problem": "nernst-potassium", "part": "E_K", "student": "alice",
                "assignment": ASSIGNMENT, "answer": f"{ALICE_E_K:.1f} mV"}
        bob = signed_in(app, tokens["bob"])
        assert bob.post("/api/grade", json=body).status_code == 401
        assert bob.post("/api/grade", json=body, headers={
            "Authorization": f"Bearer {tokens['bob']}"}).status_code == 401
        ok = TestClient(app, base_url=BASE).post("/api/grade", json=body, headers={
            "Authorization": f"Bearer {teacher}"})
        assert ok.status_code == 200 and ok.json()["correct"] is True
        assert ok.json()["level"] == "named"

    def test_csrf_token_is_bound_to_the_session(self, klass):
        """bob's CSRF token does not let a request with alice's cookie through."""
        app, tokens, _ = klass
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        bob_csrf = csrf_of(bob.get("/p/nernst-potassium").text)
        reply = alice.post("/p/nernst-potassium/answer",
                           data={"csrf": bob_csrf, "part": "E_K", "answer": "-90 mV"},
                           headers={"Accept": "application/json"})
        assert reply.status_code == 403
        assert app.state.web.db.count() == 0

    def test_problems_outside_the_assignment_are_not_served(self, klass):
        """Only the assignment's problems exist in class mode."""
        app, tokens, _ = klass
        assert signed_in(app, tokens["alice"]).get("/p/channel-noise").status_code == 404

    def test_solutions_are_not_offered(self, klass):
        """Class mode keeps the worked solution (the answer key) on the server."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        assert alice.get("/p/nernst-potassium/solution").status_code == 404
        assert "Show the worked solution" not in alice.get("/p/nernst-potassium").text


class TestRecording:
    def test_try_limit(self, klass):
        """Two counted tries (the limit here); the third is refused and not recorded; an
        unreadable answer is recorded but costs no try."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        assert _post_answer(alice, "E_K", "-50 mV").json()["left"] == 1
        unread = _post_answer(alice, "E_K", "fifty").json()
        assert unread["counted"] is False and unread["left"] == 1
        assert _post_answer(alice, "E_K", "-60 mV").json()["left"] == 0
        refused = _post_answer(alice, "E_K", f"{ALICE_E_K:.1f} mV")
        assert refused.status_code == 409
        subs = app.state.web.db.list_submissions()
        assert [(s.answer, s.counted, s.seq) for s in subs] == [
            ("-50 mV", True, 1), ("fifty", False, 2), ("-60 mV", True, 3)]

    def test_after_the_due_date_an_answer_is_recorded_late_for_no_points(self, tmp_path):
        """A submission after the due date (no late rule set) is recorded as late and earns
        nothing, so the teacher sees it (tests/web/test_late.py: the late rules)."""
        app, tokens, _ = make_class(tmp_path, due=datetime.now(timezone.utc) - timedelta(1))
        alice = signed_in(app, tokens["alice"])
        reply = _post_answer(alice, "E_K", f"{ALICE_E_K:.1f} mV")
        assert reply.status_code == 200 and reply.json()["score"] == 0.0
        [sub] = app.state.web.db.list_submissions()
        assert sub.late is True and sub.score == 0.0
        app.state.web.db.close()

    def test_before_the_due_date_answers_are_accepted(self, tmp_path):
        """The same submission a day before the due date is recorded."""
        app, tokens, _ = make_class(tmp_path, due=datetime.now(timezone.utc) + timedelta(1))
        reply = _post_answer(signed_in(app, tokens["alice"]), "E_K", f"{ALICE_E_K:.1f} mV")
        assert reply.status_code == 200 and app.state.web.db.count() == 1
        app.state.web.db.close()

    def test_a_resent_submission_is_recorded_once(self, klass):
        """The same uid twice (a double click, a retried request): one row, one try."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        first = _post_answer(alice, "E_K", "-50 mV", uid="resent-0001")
        again = _post_answer(alice, "E_K", "-50 mV", uid="resent-0001")
        assert first.json()["feedback"] == again.json()["feedback"]
        assert app.state.web.db.count() == 1 and again.json()["left"] == 1

    def test_named_feedback_gives_nothing_away(self, klass):
        """At the named level a wrong value's message has no percentage, factor, direction,
        nor any digits of the expected value (-90.9)."""
        app, tokens, _ = klass
        text = _post_answer(signed_in(app, tokens["alice"]), "E_K", "-80 mV").json()["feedback"]
        for leak in ("%", "times", "large", "small", "90.9", "909", "−90"):
            assert leak not in text


class TestTeacher:
    def _two_students(self, app, tokens):
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        _post_answer(alice, "E_K", "-50 mV")
        _post_answer(alice, "E_K", f"{ALICE_E_K:.1f} mV")
        _post_answer(alice, "direction", "out of the cell")
        _post_answer(bob, "E_K", "-50 mV")
        _post_answer(bob, "formula", "R*T/(z*F)*ln(c_out/c_in)")

    def _csv(self, client, name):
        reply = client.get(f"/teacher/{name}")
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(reply.text)))

    def test_totals(self, klass):
        """alice: E_K (second try) and direction right = 2 of 6 points (3 parts in each of the
        two problems); bob: the formula = 1 of 6."""
        app, tokens, teacher = klass
        self._two_students(app, tokens)
        rows = self._csv(signed_in(app, teacher), "grades.csv")
        assert [(r["student"], r["score"], r["maximum"], r["percentage"], r["parts_answered"])
                for r in rows] == [("alice", "2", "6", "33.33", "2"),
                                   ("bob", "1", "6", "16.67", "2")]
        canvas = signed_in(app, teacher).get("/teacher/grades-canvas.csv").text.splitlines()
        assert canvas[0].endswith(f",{ASSIGNMENT}") and canvas[1].endswith(",6")

    def test_answers_export_matches_the_submissions(self, klass):
        """One row per answered part: the best counted submission, as recorded."""
        app, tokens, teacher = klass
        self._two_students(app, tokens)
        rows = self._csv(signed_in(app, teacher), "answers.csv")
        got = {(r["student"], r["part"]): (r["answer"], r["score"], r["correct"]) for r in rows}
        # a cell starting with "-" gets OWASP's leading quote (a spreadsheet shows -50 mV)
        assert got == {
            ("alice", "E_K"): (f"'{ALICE_E_K:.1f} mV", "1", "true"),
            ("alice", "direction"): ("out of the cell", "1", "true"),
            ("bob", "E_K"): ("'-50 mV", "0", "false"),
            ("bob", "formula"): ("R*T/(z*F)*ln(c_out/c_in)", "1", "true"),
        }
        log = self._csv(signed_in(app, teacher), "submissions.csv")
        assert len(log) == 5 == app.state.web.db.count()

    def test_answers_export_regrades_the_same_with_the_batch_grader(self, klass, tmp_path):
        """`membranelab grade` on the exported answers gives the scores the server recorded."""
        app, tokens, teacher = klass
        self._two_students(app, tokens)
        exported = signed_in(app, teacher).get("/teacher/answers.csv").text
        (tmp_path / "answers.csv").write_text(exported, encoding="utf-8")
        grade_file(tmp_path / "answers.csv", tmp_path / "grades.csv", jobs=1, progress=False)
        regraded = {(r["student"], r["part"]): r["score"] for r in csv.DictReader(
            (tmp_path / "grades.csv").open(encoding="utf-8"))}
        recorded = {(r["student"], r["part"]): r["score"]
                    for r in csv.DictReader(io.StringIO(exported))}
        assert regraded == recorded and len(recorded) == 4

    def test_teacher_page_lists_every_student(self, klass):
        """The teacher's view has a row per rostered student and the export links."""
        app, tokens, teacher = klass
        self._two_students(app, tokens)
        page = signed_in(app, teacher).get("/", follow_redirects=True)
        assert page.url.path == "/teacher"
        assert "alice" in page.text and "bob" in page.text
        assert 'href="/teacher/grades.csv"' in page.text


class TestStartUp:
    def test_network_address_needs_class_mode(self):
        """Self-study refuses to listen on anything but loopback."""
        from membranelab.errors import CliError

        with pytest.raises(CliError, match="needs class mode"):
            ServeConfig(host="0.0.0.0").check_address()
        ServeConfig(host="127.0.0.1").check_address()
        ServeConfig(host="::1").check_address()

    def test_class_mode_needs_tokens_first(self, tmp_path):
        """A roster student without a token stops the server with a clear message."""
        from membranelab.errors import CliError
        from membranelab.web import ClassSettings, create_app

        roster = tmp_path / "roster.csv"
        roster.write_text("student\ncarol\n", encoding="utf-8")
        klass = ClassSettings(roster=roster, assignment=ASSIGNMENT, problems=("nernst-sodium",),
                              title="t", db_url=f"sqlite:///{tmp_path / 'c.db'}")
        with pytest.raises(CliError, match="serve tokens"):
            create_app(ServeConfig(klass=klass))

    def test_database_is_in_wal_mode(self, tmp_path):
        """SQLite runs in WAL mode (readers do not wait for the writer; a SQLite setting, so
        this test has no PostgreSQL twin)."""
        app, _, _ = make_class(tmp_path)
        with app.state.web.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        app.state.web.db.close()


def test_classdb_counts_concurrent_submissions_once(tmp_path):
    """Eight threads submitting to the same part at once: seq 1..8, no loss, no duplicate."""
    from concurrent.futures import ThreadPoolExecutor

    from membranelab.web.db import Submission

    db = ClassDB(f"sqlite:///{tmp_path / 'c.db'}")

    def submit(i: int):
        return db.record(Submission(uid=f"u{i:04d}", student="s", assignment="a", problem="p",
                                    part="x", seq=0, answer=str(i), score=0.0, weight=1.0,
                                    correct=False, note="value.incorrect", feedback="",
                                    level="named", counted=True, created=0.0), try_limit=100)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(submit, range(40)))
    subs = db.list_submissions()
    assert sorted(s.seq for s in subs) == list(range(1, 41))
    assert len({s.uid for s in subs}) == 40
    db.close()


def test_classdb_try_limit_holds_under_concurrency(tmp_path):
    """Twenty concurrent counted submissions with a limit of 3: exactly 3 recorded."""
    from concurrent.futures import ThreadPoolExecutor

    from membranelab.web.db import Submission, TryLimitReached

    db = ClassDB(f"sqlite:///{tmp_path / 'c.db'}")

    def submit(i: int) -> bool:
        try:
            db.record(Submission(uid=f"v{i:04d}", student="s", assignment="a", problem="p",
                                 part="x", seq=0, answer=str(i), score=0.0, weight=1.0,
                                 correct=False, note="value.incorrect", feedback="",
                                 level="named", counted=True, created=0.0), try_limit=3)
        except TryLimitReached:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        accepted = list(pool.map(submit, range(20)))
    assert sum(accepted) == 3 == db.count()
    db.close()


def test_teacher_sees_answers_needing_review(klass):
    """A submission the grader could not decide (note needs_review) is listed for the teacher."""
    import time

    from membranelab.web.db import Submission

    app, tokens, teacher = klass
    app.state.web.db.record(Submission(
        uid="review-0001", student="alice", assignment=ASSIGNMENT, problem="nernst-potassium",
        part="formula", seq=0, answer="R*T/(z*F)*ln(c_out/c_in)*exp(x^99)", score=0.0,
        weight=1.0, correct=False, note="needs_review", feedback="", level="named",
        counted=True, created=time.time()), try_limit=3)
    page = signed_in(app, teacher).get("/teacher").text
    assert "Answers to review by hand" in page and "exp(x^99)" in page


def test_graded_course_draws_keyed_variants(tmp_path):
    """With a course secret (a graded course), alice's numbers are the keyed ones of the graded
    notebooks, not those the public package computes without the secret."""
    from membranelab.bank import load_bank
    from membranelab.service.secret import student_key
    from membranelab.web import ClassSettings, create_app

    _, tokens, _ = make_class(tmp_path)
    secret = bytes(range(32))
    klass = ClassSettings(roster=tmp_path / "roster.csv", assignment=ASSIGNMENT,
                          problems=("nernst-potassium",), title="t",
                          db_url=f"sqlite:///{tmp_path / 'class.db'}", secret=secret)
    app = create_app(ServeConfig(klass=klass, lang="en"))
    problem = load_bank().problems["nernst-potassium"]
    keyed = problem.variant("alice", ASSIGNMENT, key=student_key(secret, ASSIGNMENT, "alice"))
    public = problem.variant("alice", ASSIGNMENT)
    assert keyed.params != public.params
    page = signed_in(app, tokens["alice"]).get("/p/nernst-potassium").text
    k_out = keyed.params["K_out"]
    shown = f"{k_out:g}"
    assert rf"_\text{{out}} = {shown}\)" in page
    app.state.web.db.close()
