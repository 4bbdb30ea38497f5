"""Per-student extensions of the due date and the try limit in the class file (issue 23)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from membranelab.errors import CliError
from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.config import Extension, load_class_file, parse_extensions
from membranelab.web.db import ClassDB
from membranelab.web.roster import issue_tokens, read_roster

from .conftest import ASSIGNMENT, BASE, PROBLEMS, csrf_of, signed_in

PAST = datetime.now(timezone.utc) - timedelta(days=1)
LATER = datetime.now(timezone.utc) + timedelta(days=3)


class TestParse:
    def test_class_file_extensions(self, tmp_path):
        """A class file's extensions: a student's own due date and/or try limit."""
        path = tmp_path / "class.yaml"
        path.write_text("roster: roster.csv\nassignment: ps1-equilibrium\ntries: 2\n"
                        "extensions:\n  alice: {due: 2026-12-04T23:59:00+08:00, tries: 5}\n"
                        "  bob: {tries: 4}\n  carol: {due: 2026-12-05}\n", encoding="utf-8")
        got = parse_extensions(load_class_file(path)["extensions"])
        # 23:59 at +08:00 is 15:59 UTC; a date alone is the end of that day, UTC
        assert got == {
            "alice": Extension(due=datetime(2026, 12, 4, 15, 59, tzinfo=timezone.utc), tries=5),
            "bob": Extension(due=None, tries=4),
            "carol": Extension(due=datetime(2026, 12, 5, 23, 59, 59, tzinfo=timezone.utc)),
        }

    @pytest.mark.parametrize(("data", "match"), [
        (["alice"], "expected a mapping of student id"),
        ({"alice": 5}, r"extensions\.alice: expected a mapping with due and/or tries"),
        ({"alice": {"tries": 3, "hints": False}}, "unknown keys hints; known: due, tries"),
        ({"alice": {"tries": 0}}, r"extensions\.alice\.tries must be a whole number"),
        ({"alice": {"tries": True}}, r"extensions\.alice\.tries must be a whole number"),
        ({"alice": {"due": "next friday"}}, r"extensions\.alice\.due 'next friday' is not ISO"),
    ])
    def test_malformed_extensions_are_refused(self, data, match):
        """Each mistake in an extension is a one-line error naming the student and the key."""
        with pytest.raises(CliError, match=match):
            parse_extensions(data)

    def test_settings_answer_per_student(self):
        """due_for / tries_for: the student's extension, else the class's."""
        klass = ClassSettings(roster="r.csv", assignment=ASSIGNMENT, problems=PROBLEMS,
                              title="t", tries=2, due=PAST,
                              extensions={"bob": Extension(due=LATER, tries=4)})
        assert (klass.tries_for("bob"), klass.tries_for("alice")) == (4, 2)
        assert klass.is_past_due(student="alice") and not klass.is_past_due(student="bob")


def _class(tmp_path, extensions):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice A\nbob,Bob B\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'class.db'}"
    db = ClassDB(url)
    rows = issue_tokens(db, read_roster(roster), base_url=BASE)
    db.close()
    klass = ClassSettings(roster=roster, assignment=ASSIGNMENT, problems=PROBLEMS, title="PS1",
                          db_url=url, tries=2, due=PAST, extensions=extensions)
    return ServeConfig(klass=klass, lang="en"), {r[1]: r[3] for r in rows if r[0] == "student"}


def _answer(client, answer):
    csrf = csrf_of(client.get("/p/nernst-potassium").text)
    return client.post("/p/nernst-potassium/answer", headers={"Accept": "application/json"},
                       data={"csrf": csrf, "part": "E_K", "answer": answer})


class TestServer:
    def test_an_extended_student_answers_after_the_due_date_with_more_tries(self, tmp_path):
        """Past the class's due date alice's answer is late (recorded, no points); bob,
        extended, has 4 tries on time, then none."""
        config, tokens = _class(tmp_path, {"bob": Extension(due=LATER, tries=4)})
        app = create_app(config)
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        late = _answer(alice, "-50 mV")
        assert late.status_code == 200 and late.json()["score"] == 0.0
        assert [s.late for s in app.state.web.db.list_submissions(student="alice")] == [True]
        lefts = [_answer(bob, "-50 mV").json()["left"] for _ in range(4)]
        assert lefts == [3, 2, 1, 0]
        assert _answer(bob, "-50 mV").status_code == 409
        home = bob.get("/").text
        assert "Tries per part: 4." in home and LATER.isoformat(timespec="minutes") in home
        assert "Tries per part: 2." in alice.get("/").text
        app.state.web.db.close()

    def test_extensions_of_students_not_on_the_roster_are_refused(self, tmp_path):
        """An extension naming nobody on the roster is a start-up error (a typo, surely)."""
        config, _ = _class(tmp_path, {"carol": Extension(tries=4)})
        with pytest.raises(CliError, match="not on the roster .*roster.csv: carol"):
            create_app(config)
