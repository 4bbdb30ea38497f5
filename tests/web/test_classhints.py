"""Hints in class mode: offered one at a time with their cost, recorded once per hint in the class
database, charged on every later answer (``Part.hint_credit``), shown in the teacher's gradebook
and exports; a class setting turns them off; no hint without a session and its CSRF token."""

from __future__ import annotations

import csv
import io
import math
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from membranelab.errors import CliError
from membranelab.web.config import ClassSettings, load_class_file
from membranelab.web.db import ClassDB

from .conftest import ASSIGNMENT, BASE, csrf_of, make_class, signed_in

# alice's variant of nernst-potassium (see test_classmode.py): K_out 4.5 mM, K_in 135 mM, 37 C,
#   E_K = 8.314462618 * 310.15 / 96485.33212 * ln(4.5/135) = 26.727 mV * (-3.4012) = -90.90 mV
ALICE_E_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4.5 / 135) * 1000
RIGHT = f"{ALICE_E_K:.1f} mV"
PROBLEM = "nernst-potassium"
JSON = {"Accept": "application/json"}
# Every part of nernst-potassium: 1 point, 3 hints, the default cost 0.1 of the points per hint.
#   after 1 hint: 1 - 1 * 0.1 = 0.9; after 2 hints: 1 - 2 * 0.1 = 0.8


def _hint(client, part="E_K", n=None, *, csrf=None):
    csrf = csrf if csrf is not None else csrf_of(client.get(f"/p/{PROBLEM}").text)
    data = {"csrf": csrf, "part": part}
    if n is not None:
        data["n"] = str(n)
    return client.post(f"/p/{PROBLEM}/hint", data=data, headers=JSON)


def _answer(client, answer, part="E_K"):
    csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
    return client.post(f"/p/{PROBLEM}/answer", data={"csrf": csrf, "part": part,
                                                     "answer": answer}, headers=JSON)


def _rows(db_url: str, sql: str) -> list[tuple]:
    """The rows of ``sql`` read straight from the database (SQLite or PostgreSQL)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _csv(client, name):
    reply = client.get(f"/teacher/{name}")
    assert reply.status_code == 200
    return list(csv.DictReader(io.StringIO(reply.text)))


class TestOffer:
    def test_the_button_says_what_the_next_hint_costs(self, klass):
        """Before any hint: 'Show hint 1 of 3 (costs 10 % ...)'; after one, the hint, the next
        button and the share left (1 - 0.1 = 90 %)."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        page = alice.get(f"/p/{PROBLEM}").text
        assert "Show hint 1 of 3 (costs 10 % of this part&#39;s points)" in page
        reply = _hint(alice, n=1)
        assert reply.status_code == 200
        data = reply.json()
        assert (data["index"], data["shown"], data["total"]) == (1, 1, 3)
        assert data["label"] == "Hint 1 of 3" and data["html"].strip()
        assert data["button"] == "Show hint 2 of 3 (costs 10 % of this part's points)"
        assert "keeps 90 % of its score" in data["credit"]
        page = alice.get(f"/p/{PROBLEM}").text
        assert "Hint 1 of 3" in page and data["html"] in page
        assert "Show hint 2 of 3" in page and 'name="n" value="2"' in page

    def test_after_the_due_date_hints_cost_nothing(self, tmp_path):
        """Past the due date no answer is accepted, so the button names no cost."""
        app, tokens, _ = make_class(tmp_path, due=datetime.now(timezone.utc) - timedelta(1))
        page = signed_in(app, tokens["alice"]).get(f"/p/{PROBLEM}").text
        assert "Show hint 1 of 3 (no cost: this part is finished)" in page
        assert "costs 10 %" not in page
        app.state.web.db.close()

    def test_chinese_page(self, tmp_path):
        """The same offer from the Chinese catalog."""
        app, tokens, _ = make_class(tmp_path, lang="zh")
        alice = signed_in(app, tokens["alice"])
        assert "显示提示 1/3（扣本小题 10% 的分数）" in alice.get(f"/p/{PROBLEM}").text
        assert "只保留得分的 90%" in _hint(alice, n=1).json()["credit"]
        app.state.web.db.close()


class TestRecording:
    def test_hints_are_recorded_once_and_in_order(self, klass):
        """A hint asked twice is recorded once; one out of order (or past the last) is refused;
        the rows are hints 1, 2, 3 of alice's E_K."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        assert _hint(alice, n=1).json()["shown"] == 1
        again = _hint(alice, n=1)
        assert again.status_code == 200 and again.json()["shown"] == 1
        skipped = _hint(alice, n=3)
        assert skipped.status_code == 409 and "one at a time" in skipped.json()["error"]
        assert _hint(alice, n=2).json()["shown"] == 2
        assert _hint(alice).json()["shown"] == 3  # no n: the next one
        last = _hint(alice).json()
        assert last["shown"] == 3 and last["button"] == ""
        assert _hint(alice, n=4).status_code == 409
        db = app.state.web.db
        assert _rows(db.url, "SELECT student, assignment, problem, part, n FROM hints "
                             "ORDER BY id") == [("alice", ASSIGNMENT, PROBLEM, "E_K", n)
                                                for n in (1, 2, 3)]
        assert db.hints_shown("alice", ASSIGNMENT, PROBLEM, "formula") == 0
        assert db.hints_shown("bob", ASSIGNMENT, PROBLEM, "E_K") == 0

    def test_concurrent_requests_record_each_hint_once(self, tmp_path):
        """Eight threads each ask for hints 1, 2, 3 of the same part at once: three rows."""
        url = f"sqlite:///{tmp_path / 'class.db'}"
        db = ClassDB(url)
        start = threading.Barrier(8)
        results: list[int | None] = []

        def ask() -> None:
            start.wait()
            for n in (1, 2, 3):
                results.append(db.show_hint("alice", ASSIGNMENT, PROBLEM, "E_K", n, 3))

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 24 and None not in results
        assert _rows(url, "SELECT n FROM hints ORDER BY n") == [(1,), (2,), (3,)]
        assert db.hints_shown("alice", ASSIGNMENT, PROBLEM, "E_K") == 3
        db.close()

    def test_an_old_database_gets_the_new_table_and_column(self, tmp_path):
        """A database from before hints (no hints table, no submissions.hints): opening it adds
        both, and the old submission counts as made with no hint."""
        path = tmp_path / "old.db"
        with sqlite3.connect(path) as conn:
            conn.execute(
                "CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, uid VARCHAR(64) "
                "NOT NULL UNIQUE, student VARCHAR(200) NOT NULL, assignment VARCHAR(200) NOT NULL,"
                " problem VARCHAR(200) NOT NULL, part VARCHAR(200) NOT NULL, seq INTEGER NOT NULL,"
                " answer TEXT NOT NULL, score FLOAT NOT NULL, weight FLOAT NOT NULL, correct "
                "BOOLEAN NOT NULL, note VARCHAR(200) NOT NULL, feedback TEXT NOT NULL, level "
                "VARCHAR(16) NOT NULL, counted BOOLEAN NOT NULL, created FLOAT NOT NULL, "
                "CONSTRAINT one_seq UNIQUE (student, assignment, problem, part, seq))")
            conn.execute("INSERT INTO submissions (uid, student, assignment, problem, part, seq, "
                         "answer, score, weight, correct, note, feedback, level, counted, "
                         "created) VALUES ('u1', 'alice', 'a', 'p', 'x', 1, '1 mV', 1.0, 1.0, 1, "
                         "'', 'Right.', 'named', 1, 0)")
        db = ClassDB(f"sqlite:///{path}")
        (old,) = db.list_submissions()
        assert old.hints == 0 and old.score == 1.0
        assert db.show_hint("alice", "a", "p", "x", 1, 3) == 1
        db.close()
        db = ClassDB(f"sqlite:///{path}")  # opening again changes nothing
        assert db.hints_shown("alice", "a", "p", "x") == 1 and db.count() == 1
        db.close()


class TestCredit:
    def test_right_after_two_hints_scores_0_8(self, klass):
        """Two hints, then the right value: 1 point * (1 - 2 * 0.1) = 0.8; the feedback says
        the hints cost 20 %; the standing, gradebook and exports all show 0.8 and 2 hints."""
        app, tokens, teacher = klass
        alice = signed_in(app, tokens["alice"])
        _hint(alice, n=1)
        _hint(alice, n=2)
        verdict = _answer(alice, RIGHT).json()
        assert verdict["correct"] is True and math.isclose(verdict["score"], 0.8)
        assert math.isclose(verdict["earned"], 0.8) and verdict["hints"] == 2
        assert verdict["hint_note"] == ("Hints shown before this answer: 2. They cost 20 % of "
                                        "its score: it earns 0.8 of 1 points.")
        assert "Score: 0.8 / 6 points" == verdict["score_line"]
        page = alice.get(f"/p/{PROBLEM}").text
        assert "They cost 20 % of its score" in page
        (sub,) = app.state.web.db.list_submissions()
        assert (sub.hints, sub.correct) == (2, True) and math.isclose(sub.score, 0.8)
        desk = signed_in(app, teacher)
        book = desk.get("/teacher").text
        assert "0.8/3" in book and "hints on E_K: 2" in book
        assert [(r["student"], r["score"]) for r in _csv(desk, "grades.csv")] == [
            ("alice", "0.8"), ("bob", "0")]
        assert [(r["part"], r["score"], r["correct"], r["hints"])
                for r in _csv(desk, "answers.csv")] == [("E_K", "0.8", "true", "2")]
        assert [(r["part"], r["score"], r["hints"])
                for r in _csv(desk, "submissions.csv")] == [("E_K", "0.8", "2")]

    def test_only_hints_shown_before_an_answer_cost_it(self, klass):
        """Right with no hint: 1 point; a hint asked afterwards leaves that answer's 1 point;
        bob's hint on E_K costs alice nothing; a wrong answer after one hint then a right one:
        1 * (1 - 1 * 0.1) = 0.9."""
        app, tokens, teacher = klass
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        _hint(bob, n=1)
        first = _answer(alice, RIGHT).json()
        assert first["score"] == 1.0 and first["hint_note"] == ""
        assert first["hint_button"] == "Show hint 1 of 3 (no cost: this part is finished)"
        after = _hint(alice, "E_K", n=1).json()
        assert after["button"] == "Show hint 2 of 3 (no cost: this part is finished)"
        assert after["credit"] == ""
        assert "Show hint 2 of 3 (no cost" in alice.get(f"/p/{PROBLEM}").text
        _hint(alice, "formula", n=1)
        assert _answer(alice, "-50 mV", part="formula").json()["score"] == 0.0
        _hint(alice, "direction", n=1)
        right = _answer(alice, "out of the cell", part="direction").json()
        assert right["correct"] is True and math.isclose(right["score"], 0.9)
        book = {r["student"]: r["score"] for r in _csv(signed_in(app, teacher), "grades.csv")}
        assert book == {"alice": "1.9", "bob": "0"}  # 1 (E_K) + 0.9 (direction)

    def test_a_resent_answer_repeats_its_recorded_credit(self, klass):
        """The same submission id again returns the recorded 0.9 and note, recording nothing."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        _hint(alice, n=1)
        csrf = csrf_of(alice.get(f"/p/{PROBLEM}").text)
        data = {"csrf": csrf, "part": "E_K", "answer": RIGHT, "uid": "resent-hint-01"}
        first = alice.post(f"/p/{PROBLEM}/answer", data=data, headers=JSON).json()
        _hint(alice, n=2)
        again = alice.post(f"/p/{PROBLEM}/answer", data=data, headers=JSON).json()
        assert math.isclose(first["score"], 0.9) and math.isclose(again["score"], 0.9)
        assert again["hint_note"] == first["hint_note"] and "10 %" in first["hint_note"]
        assert app.state.web.db.count() == 1


class TestSetting:
    def test_off_hides_the_button_and_refuses(self, tmp_path):
        """hints=False: no hint button, the route answers 403 and records nothing."""
        app, tokens, teacher = make_class(tmp_path, hints=False)
        alice = signed_in(app, tokens["alice"])
        page = alice.get(f"/p/{PROBLEM}").text
        assert "Show hint" not in page and "hint-form" not in page
        reply = _hint(alice, n=1)
        assert reply.status_code == 403 and "not offered" in reply.json()["error"]
        assert app.state.web.db.all_hints() == {}
        assert "Hints are off." in signed_in(app, teacher).get("/teacher").text
        app.state.web.db.close()

    def test_class_file_key(self, tmp_path):
        """``hints: false`` in a class file is read; anything but true/false is refused."""
        (tmp_path / "class.yaml").write_text("roster: r.csv\nhints: false\n", encoding="utf-8")
        assert load_class_file(tmp_path / "class.yaml")["hints"] is False
        with pytest.raises(CliError, match="hints must be true or false, got 'no'"):
            ClassSettings(roster=tmp_path / "r.csv", assignment="a", problems=(), title="t",
                          hints="no")  # type: ignore[arg-type]


class TestGuards:
    def test_no_hint_without_a_session(self, klass):
        """Signed out: 401; nothing recorded."""
        app, _, _ = klass
        anonymous = TestClient(app, base_url=BASE)
        reply = anonymous.post(f"/p/{PROBLEM}/hint", data={"part": "E_K", "n": "1"},
                               headers=JSON)
        assert reply.status_code == 401
        assert app.state.web.db.all_hints() == {}

    def test_no_hint_without_the_csrf_token(self, klass):
        """alice's cookie with no token, or with bob's: 403; nothing recorded."""
        app, tokens, _ = klass
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        assert _hint(alice, n=1, csrf="").status_code == 403
        bob_csrf = csrf_of(bob.get(f"/p/{PROBLEM}").text)
        assert _hint(alice, n=1, csrf=bob_csrf).status_code == 403
        assert app.state.web.db.all_hints() == {}

    def test_the_teacher_gets_no_hint(self, klass):
        """The teacher's session is refused (403)."""
        app, _, teacher = klass
        desk = signed_in(app, teacher)
        csrf = csrf_of(desk.get("/teacher").text)
        reply = desk.post(f"/p/{PROBLEM}/hint", data={"csrf": csrf, "part": "E_K", "n": "1"},
                          headers=JSON)
        assert reply.status_code == 403 and app.state.web.db.all_hints() == {}
