"""Make the class-database fixture of the migration tests (run once, with the release to keep).

    PYTHONPATH=src python tests/web/data/make_classdb_fixture.py tests/web/data [COMMIT]

(``COMMIT``: the commit of the code on ``PYTHONPATH`` when it is not the checkout's HEAD, e.g. a
``git archive`` of the release unpacked elsewhere)

writes, from the code on ``PYTHONPATH`` (the release whose databases later code must read):

* ``classdb-<commit>.sql``: a text dump (``sqlite3``'s ``iterdump``) of a class-mode SQLite
  database made by that release's own server: three rostered students (one with a Chinese name)
  signed in with fixed tokens (:data:`TOKENS`, their SHA-256 hashes stored as the release stores
  them), answers posted through ``POST /p/{problem}/answer`` (right, wrong, unreadable, a
  re-sent one), hints shown through ``POST /p/{problem}/hint``, one submission regraded
  (``ClassDB.regrade``, as ``membranelab regrade --class-db`` does), so every table has rows;
* ``classdb-<commit>.postgresql.sql``: the tables as that release creates them on PostgreSQL
  (its ``metadata.create_all``, compiled for PostgreSQL: ``CREATE TABLE`` and ``CREATE INDEX``),
  for the PostgreSQL run of the migration test, which fills them with the dump's rows;
* ``classdb-<commit>.json``: what that server showed each student (per part: tries, tries
  left, points earned, right or not, hints shown, the latest answer; the assignment's points
  earned and possible), read by the same functions the pages use, for the test to compare with
  what a later server shows from the upgraded database.

The scenario (who answered what) is :data:`SCENARIO`; ``tests/web/test_migrations.py`` states its
consequences by hand (tries, points) beside the recorded ones.
"""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from starlette.testclient import TestClient

from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.db import ClassDB
from membranelab.web.security import hash_token

BASE = "http://127.0.0.1"
ASSIGNMENT = "ps1-equilibrium"
PROBLEMS = ("nernst-potassium", "nernst-sodium")
ROSTER = "student,name\nalice,Alice A\nbob,Bob B\nzhang,张伟\n"
#: Fixed sign-in tokens (test data only: this database serves nobody).
TOKENS = {"alice": "fixture-alice-" + "a" * 40, "bob": "fixture-bob-" + "b" * 40,
          "zhang": "fixture-zhang-" + "c" * 40, "teacher": "fixture-teacher-" + "d" * 40}
#: alice's nernst-potassium variant: K_out 4.5 mM, K_in 135 mM, 37 C (tests/web/test_classmode.py)
ALICE_E_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4.5 / 135) * 1000
#: (student, action, part, answer or hint number); every action on nernst-potassium.
SCENARIO = (
    ("alice", "answer", "E_K", "-60 mV"),                 # wrong: 1 try
    ("alice", "hint", "E_K", 1),                          # one hint shown: credit 0.9
    ("alice", "answer", "E_K", f"{ALICE_E_K:.1f} mV"),    # right after one hint: 0.9 point
    ("alice", "answer", "formula", "R*T/(z*F)*ln(c_out/c_in)"),  # right, no hint: 1 point
    ("bob", "answer", "E_K", "minus eighty"),             # unreadable: stored, no try
    ("bob", "answer", "E_K", "-55 mV"),                   # wrong: 1 try
    ("bob", "answer", "E_K", "-56 mV"),                   # wrong: 2 tries
    ("zhang", "hint", "E_K", 1),
    ("zhang", "hint", "E_K", 2),                          # two hints, no answer
    ("zhang", "answer", "direction", "out of the cell"),  # a choice part
)


def _csrf(client: TestClient, problem: str) -> str:
    import re

    page = client.get(f"/p/{problem}").text
    return re.search(r'<meta name="csrf" content="([0-9a-f]*)">', page).group(1)


def _signed_in(app, token: str) -> TestClient:
    import re

    client = TestClient(app, base_url=BASE)
    page = client.get(f"/login?token={token}", follow_redirects=False)
    fields = dict(re.findall(r'<input type="hidden" name="(csrf|token)" value="([^"]*)">',
                             page.text))
    if fields:  # a release with a same-site confirmation of the link
        client.post("/login", data=fields, follow_redirects=False)
    return client


def _standing(app, student: str) -> dict:
    from membranelab.web.routes import part_states, score_of
    from membranelab.web.state import Session

    state = app.state.web
    session = Session("student", student, "fixture")
    out: dict = {"parts": {}}
    for problem in state.problems:
        parts, _ = part_states(state, session, problem)
        for part_id, s in parts.items():
            last = s["last"]
            out["parts"][f"{problem.id}/{part_id}"] = {
                "tries": s["tries"], "left": s["left"], "earned": s["earned"],
                "correct": s["correct"], "hints": s["hints"],
                "last_answer": last["answer"] if last else None}
    earned, possible = score_of(state, session)
    out["earned"], out["possible"] = earned, possible
    return out


def _postgresql_ddl() -> str:
    """The release's ``metadata.create_all`` on PostgreSQL, as SQL text."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    from membranelab.web.db import metadata

    dialect = postgresql.dialect()
    out = []
    for table in metadata.sorted_tables:
        out.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
        out.extend(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";"
                   for index in sorted(table.indexes, key=lambda i: i.name or ""))
    return "\n\n".join(out) + "\n"


def make(directory: Path, commit: str | None = None) -> Path:
    """Make the fixture in ``directory`` (``commit``: of the code on the path; default: the
    checkout's HEAD); returns the dump's path."""
    if commit is None:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, check=True, timeout=30).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp, "roster.csv")
        roster.write_text(ROSTER, encoding="utf-8")
        path = Path(tmp, "class.db")
        url = f"sqlite:///{path}"
        db = ClassDB(url)
        for student, name in (("alice", "Alice A"), ("bob", "Bob B"), ("zhang", "张伟")):
            db.set_student(student, name, hash_token(TOKENS[student]))
        db.set_setting("teacher_token_hash", hash_token(TOKENS["teacher"]))
        db.close()
        klass = ClassSettings(roster=roster, assignment=ASSIGNMENT, problems=PROBLEMS,
                              title="Problem set 1", db_url=url, feedback="named", tries=3)
        app = create_app(ServeConfig(klass=klass, lang="en"))
        with TestClient(app, base_url=BASE):
            clients = {s: _signed_in(app, TOKENS[s]) for s in ("alice", "bob", "zhang")}
            for student, action, part, value in SCENARIO:
                client = clients[student]
                data = {"csrf": _csrf(client, "nernst-potassium"), "part": part}
                if action == "hint":
                    data["n"] = str(value)
                else:
                    data["answer"] = str(value)
                reply = client.post(f"/p/nernst-potassium/{action}", data=data,
                                    headers={"Accept": "application/json"})
                assert reply.status_code == 200, (student, action, reply.text)
            db = app.state.web.db
            first = db.list_submissions(student="bob")[1]  # bob's "-55 mV", regraded to half
            db.regrade([(first, 0.5, False, first.note, first.feedback)], when=1.8e9)
            shown = {s: _standing(app, s) for s in ("alice", "bob", "zhang")}
            db.close()
        conn = sqlite3.connect(path)
        dump = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    target = directory / f"classdb-{commit}.sql"
    target.write_text(f"-- class-mode SQLite database made by membranelab at commit {commit}\n"
                      f"-- by tests/web/data/make_classdb_fixture.py (see its docstring)\n"
                      + dump, encoding="utf-8")
    (directory / f"classdb-{commit}.postgresql.sql").write_text(
        f"-- the class-mode tables as membranelab at commit {commit} creates them on PostgreSQL\n"
        + _postgresql_ddl(), encoding="utf-8")
    (directory / f"classdb-{commit}.json").write_text(
        json.dumps({"commit": commit, "tokens": TOKENS, "shown": shown}, ensure_ascii=False,
                   indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(make(Path(sys.argv[1] if len(sys.argv) > 1 else "."),
               sys.argv[2] if len(sys.argv) > 2 else None))
