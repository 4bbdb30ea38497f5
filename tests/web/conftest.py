"""Fixtures for the web server tests: a self-study app and a class-mode app, each on its own
temporary progress file or database, driven in-process by Starlette's TestClient."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from membranelab.bank import load_bank
from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.db import ClassDB
from membranelab.web.roster import issue_tokens, read_roster

BASE = "http://127.0.0.1"
ASSIGNMENT = "ps1-equilibrium"
PROBLEMS = ("nernst-potassium", "nernst-sodium")


@pytest.fixture(scope="session")
def bank():
    return load_bank()


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its <meta name="csrf">."""
    match = re.search(r'<meta name="csrf" content="([0-9a-f]*)">', html)
    assert match, "page has no csrf meta tag"
    return match.group(1)


@pytest.fixture
def study(tmp_path, monkeypatch):
    """A self-study client for student alice (progress in tmp_path/progress.json)."""
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
    app = create_app(ServeConfig(student="alice", lang="en",
                                 progress_path=tmp_path / "progress.json"))
    with TestClient(app, base_url=BASE) as client:
        yield client


def make_class(tmp_path: Path, *, tries: int = 2, due=None, feedback: str = "named",
               hints: bool = True, lang: str = "en", db_url: str | None = None):
    """A class app over a two-student roster; returns (app, tokens by student, teacher token).
    ``db_url``: the class database (default SQLite in tmp_path/class.db)."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice A\nbob,Bob B\n", encoding="utf-8")
    url = db_url or f"sqlite:///{tmp_path / 'class.db'}"
    db = ClassDB(url)
    rows = issue_tokens(db, read_roster(roster), base_url=BASE)
    db.close()
    tokens = {r[1]: r[3] for r in rows if r[0] == "student"}
    teacher = next(r[3] for r in rows if r[0] == "teacher")
    klass = ClassSettings(roster=roster, assignment=ASSIGNMENT, problems=PROBLEMS,
                          title="Problem set 1", db_url=url, feedback=feedback, tries=tries,
                          due=due, hints=hints)
    return create_app(ServeConfig(klass=klass, lang=lang)), tokens, teacher


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the session (skipped, saying why, where there is none)."""
    from .pg import postgres_server

    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.slow,
                                                                pytest.mark.postgres])])
def class_db_url(request, tmp_path):
    """The class database of a test: SQLite, and (slow tier) PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'class.db'}"
    from .pg import new_database

    return new_database(request.getfixturevalue("postgres"), f"t_{tmp_path.name.lower()}"[:60])


@pytest.fixture
def klass(tmp_path, class_db_url):
    app, tokens, teacher = make_class(tmp_path, db_url=class_db_url)
    yield app, tokens, teacher
    app.state.web.db.close()


def page_answer(client: TestClient, part: str, answer: str, *,
                problem: str = "nernst-potassium") -> dict:
    """Answer one part on the problem's page as its script does (the form with the page's
    CSRF token, JSON asked for): the reply's fields (the test fails on any status but 200)."""
    csrf = csrf_of(client.get(f"/p/{problem}").text)
    reply = client.post(f"/p/{problem}/answer", headers={"Accept": "application/json"},
                        data={"csrf": csrf, "part": part, "answer": answer})
    assert reply.status_code == 200, reply.text
    return reply.json()


def login_form(html: str) -> dict[str, str]:
    """The hidden fields of the sign-in confirmation form (csrf, token)."""
    fields = dict(re.findall(r'<input type="hidden" name="(csrf|token)" value="([^"]*)">', html))
    assert "csrf" in fields, "page has no sign-in form"
    return fields


def signed_in(app, token: str) -> TestClient:
    """A client that followed its personal link and confirmed it (the cookie is set)."""
    client = TestClient(app, base_url=BASE)
    page = client.get(f"/login?token={token}", follow_redirects=False)
    assert page.status_code == 200
    response = client.post("/login", data=login_form(page.text), follow_redirects=False)
    assert response.status_code == 303
    return client
