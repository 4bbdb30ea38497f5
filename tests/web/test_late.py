"""After the due date: the part says so; where the class's late rule takes late answers the
Check button becomes "Hand in late" and the answer is recorded as late (the rule's share of its
points, 0 by default) and shown to the teacher; without a rule nothing is taken.  Out of tries a
part says so too."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from membranelab.errors import CliError
from membranelab.web import ServeConfig, create_app
from membranelab.web.config import parse_late

from .conftest import BASE, csrf_of, make_class, signed_in
from .test_reload import section

# alice's nernst-potassium in ps1-equilibrium (K_out 4.5 mM, K_in 135 mM, 37 C), by hand:
# E_K = 26.727 mV * ln(4.5/135) = 26.727 * (-3.4012) = -90.90 mV (1 point).
ALICE_E_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4.5 / 135) * 1000
YESTERDAY = datetime.now(timezone.utc) - timedelta(days=1)


def _app(tmp_path, late, due=YESTERDAY, tries=2):
    app, tokens, teacher = make_class(tmp_path, due=due, tries=tries)
    config = app.state.web.config
    app.state.web.db.close()
    late_app = create_app(dataclasses.replace(config, klass=dataclasses.replace(
        config.klass, late=late)))
    return late_app, tokens, teacher


def _post(client, part, answer):
    csrf = csrf_of(client.get("/p/nernst-potassium").text)
    return client.post("/p/nernst-potassium/answer",
                       data={"csrf": csrf, "part": part, "answer": answer},
                       headers={"Accept": "application/json"})


def _button(part_html: str) -> tuple[str, bool]:
    match = re.search(r'<button type="submit" ?(disabled)?>([^<]*)</button>', part_html)
    assert match
    return match.group(2), match.group(1) == "disabled"


class TestPastDueWithoutLateRule:
    def test_by_default_a_late_answer_is_recorded_with_no_points(self, tmp_path):
        """A class that says nothing about late work: a late answer is recorded as late, earns
        nothing, and the teacher sees it (it used to be refused and lost)."""
        app, tokens, _ = _app(tmp_path, None)
        assert app.state.web.config.klass.late == 0.0
        data = _post(signed_in(app, tokens["alice"]), "E_K", f"{ALICE_E_K:.1f} mV").json()
        assert data["correct"] is True and data["score"] == 0.0
        [sub] = app.state.web.db.list_submissions()
        assert sub.late is True and sub.score == 0.0
        app.state.web.db.close()

    def test_the_part_says_so_and_takes_nothing(self, tmp_path):
        """Late work switched off (``late: false``): the part says the due date has passed, its
        button is disabled, and an answer sent anyway is refused and not recorded."""
        app, tokens, _ = _app(tmp_path, False)
        alice = signed_in(app, tokens["alice"])
        e_k = section(alice.get("/p/nernst-potassium").text, "E_K")
        assert "The due date has passed" in e_k and _button(e_k) == ("Check", True)
        assert _post(alice, "E_K", f"{ALICE_E_K:.1f} mV").status_code == 403
        assert app.state.web.db.count() == 0
        app.state.web.db.close()


class TestHandInLate:
    @pytest.fixture
    def late(self, tmp_path):
        app, tokens, teacher = _app(tmp_path, 0.0)
        yield app, tokens, teacher
        app.state.web.db.close()

    def test_the_button_says_hand_in_late(self, late):
        """Under a late rule the part says an answer is recorded late and earns 0 %."""
        app, tokens, _ = late
        e_k = section(signed_in(app, tokens["alice"]).get("/p/nernst-potassium").text, "E_K")
        assert _button(e_k) == ("Hand in late", False)
        assert "recorded as late and earns 0 % of its points" in e_k

    def test_a_late_answer_is_recorded_late_with_no_points(self, late):
        """A right answer handed in late: graded right, recorded late, 0 points, said so."""
        app, tokens, _ = late
        data = _post(signed_in(app, tokens["alice"]), "E_K", f"{ALICE_E_K:.1f} mV").json()
        assert data["correct"] is True and data["score"] == 0.0
        assert "Handed in late" in data["late_note"] and "(0 points)" in data["late_note"]
        [sub] = app.state.web.db.list_submissions()
        assert sub.late is True and sub.score == 0.0 and sub.correct is True

    def test_the_teacher_sees_it(self, late):
        """The gradebook cell lists the late answer; the submissions export marks it late."""
        app, tokens, teacher = late
        _post(signed_in(app, tokens["alice"]), "E_K", "-50 mV")
        staff = signed_in(app, teacher)
        page = staff.get("/teacher").text
        assert "late on E_K: 1" in page and "recorded as late, earning 0 %" in page
        rows = list(csv.DictReader(io.StringIO(staff.get("/teacher/submissions.csv").text)))
        assert [(r["student"], r["part"], r["late"]) for r in rows] == [("alice", "E_K", "true")]

    def test_a_page_after_a_late_answer(self, late):
        """The reloaded page shows the late answer's note and keeps the late button."""
        app, tokens, _ = late
        alice = signed_in(app, tokens["alice"])
        _post(alice, "E_K", "-50 mV")
        e_k = section(alice.get("/p/nernst-potassium").text, "E_K")
        assert "Handed in late" in e_k and _button(e_k) == ("Hand in late", False)


def test_a_late_rule_share(tmp_path):
    """late: 0.5: a right late answer to a 1-point part earns 1 * 0.5 = 0.5 points."""
    app, tokens, _ = _app(tmp_path, 0.5)
    data = _post(signed_in(app, tokens["alice"]), "E_K", f"{ALICE_E_K:.1f} mV").json()
    assert data["score"] == 0.5 and "0.5 points" in data["late_note"]
    assert "Score: 0.5 / 6 points" in data["score_line"]  # two problems of 3 parts, 1 point each
    app.state.web.db.close()


def test_before_the_due_date_answers_are_not_late(tmp_path):
    """Under a late rule, an answer before the due date is an ordinary one."""
    app, tokens, _ = _app(tmp_path, 0.0, due=datetime.now(timezone.utc) + timedelta(days=1))
    data = _post(signed_in(app, tokens["alice"]), "E_K", f"{ALICE_E_K:.1f} mV").json()
    assert data["score"] == 1.0 and data["late_note"] == ""
    assert app.state.web.db.list_submissions()[0].late is False
    app.state.web.db.close()


class TestOutOfTries:
    def test_class_part_says_no_tries_left(self, tmp_path):
        """Out of tries (even under a late rule) the part says so and its button is disabled."""
        app, tokens, _ = _app(tmp_path, 0.0, due=None, tries=1)
        alice = signed_in(app, tokens["alice"])
        data = _post(alice, "E_K", "-50 mV").json()
        assert data["status_line"] == "No tries left for this part." and data["closed"]
        e_k = section(alice.get("/p/nernst-potassium").text, "E_K")
        assert "No tries left for this part." in e_k and _button(e_k)[1] is True
        app.state.web.db.close()

    def test_self_study_part_says_no_tries_left(self, tmp_path, monkeypatch):
        """Self-study: after three wrong tries the part says it has none left."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        app = create_app(ServeConfig(published=True, lang="en",
                                     progress_path=tmp_path / "progress.json"))
        with TestClient(app, base_url=BASE) as client:
            for answer in ("-50 mV", "-60 mV", "-70 mV"):
                data = _post(client, "E_K", answer).json()
            assert data["status_line"] == "No tries left for this part."
            assert "No tries left for this part." in section(
                client.get("/p/nernst-potassium").text, "E_K")


class TestParseLate:
    @pytest.mark.parametrize("value,share", [(None, 0.0), (False, None), ("false", None),
                                             (0, 0.0), (0.5, 0.5), ("50%", 0.5), ("1", 1.0)])
    def test_values(self, value, share):
        """A share from 0 to 1 (or a percentage); absent: 0 (recorded, no points); false: no
        late answers."""
        assert parse_late(value) == share

    @pytest.mark.parametrize("value", [1.5, -0.1, "half", True])
    def test_bad_values(self, value):
        """Anything else is a one-line error naming the value."""
        with pytest.raises(CliError, match="late must be the share"):
            parse_late(value)
