"""The class database's schema revisions (Alembic, :mod:`membranelab.web.migrate`), on SQLite
and (slow tier) PostgreSQL.

* A database made by the release before revisions existed (``data/classdb-a159ff6b9c3a.sql``,
  made by ``data/make_classdb_fixture.py`` from that commit's own server) is recognised as the
  baseline: every row kept, and its students are shown the same tries and points.
* A database made through the revisions has exactly the models' tables, columns, indexes and
  constraints (Alembic's autogenerate finds nothing to do), so a model changed without a
  revision fails here.
* A database newer than the code is refused, unchanged; a failed upgrade changes nothing; two
  processes opening a new database at once upgrade it once.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from membranelab.cli import main
from membranelab.errors import CliError
from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.db import ClassDB, metadata
from membranelab.web.migrate import HEAD, SCRIPTS

from .conftest import BASE, csrf_of, signed_in

DATA = Path(__file__).with_name("data")
RELEASE = "a159ff6b9c3a"
DUMP = DATA / f"classdb-{RELEASE}.sql"
PG_TABLES = DATA / f"classdb-{RELEASE}.postgresql.sql"
SHOWN = json.loads((DATA / f"classdb-{RELEASE}.json").read_text(encoding="utf-8"))
TABLES = ("students", "settings", "submissions", "hints", "regrades")
ROSTER = "student,name\nalice,Alice A\nbob,Bob B\nzhang,张伟\n"


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _release_database(url: str) -> None:
    """Make the database at ``url`` what the release left: its tables (SQLite: the dump itself;
    PostgreSQL: the release's DDL filled with the dump's rows, sequences where the release's
    inserts would have left them)."""
    dump = DUMP.read_text(encoding="utf-8")
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sa.make_url(url).database)
        conn.executescript(dump)
        conn.close()
        return
    memory = sqlite3.connect(":memory:")
    memory.executescript(dump)
    engine = _engine(url)
    with engine.begin() as conn:
        for statement in PG_TABLES.read_text(encoding="utf-8").split(";"):
            if "CREATE" in statement:
                conn.exec_driver_sql(statement)
        for name in TABLES:
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            cursor = memory.execute(f'SELECT * FROM "{name}"')
            columns = [d[0] for d in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor]
            if rows:
                conn.execute(table.insert(), rows)
            if "id" in columns:
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT max(id) FROM {name}))"))
    engine.dispose()
    memory.close()


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every class table, in primary-key order."""
    engine = _engine(url)
    with engine.connect() as conn:
        out = {name: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1"))]
               for name in TABLES}
    engine.dispose()
    return out


def _differences(url: str, target: sa.MetaData = metadata) -> list:
    """What Alembic's autogenerate would change to make the database match ``target``."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = _engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
        found = compare_metadata(context, target)
    engine.dispose()
    return found


def _versions(url: str) -> list[str]:
    engine = _engine(url)
    with engine.connect() as conn:
        found = [r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))]
    engine.dispose()
    return found


def _class_app(tmp_path: Path, url: str):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    klass = ClassSettings(roster=roster, assignment="ps1-equilibrium",
                          problems=("nernst-potassium", "nernst-sodium"), title="Problem set 1",
                          db_url=url, feedback="named", tries=3)
    return create_app(ServeConfig(klass=klass, lang="en"))


def _standing(app, student: str) -> dict:
    """What the pages show ``student`` (the functions the pages call), as the fixture's script
    recorded it from the release's server."""
    from membranelab.web.routes import part_states, score_of
    from membranelab.web.state import Session

    state, session = app.state.web, Session("student", student, "test")
    out: dict = {"parts": {}}
    for problem in state.problems:
        parts, _ = part_states(state, session, problem)
        for part_id, s in parts.items():
            out["parts"][f"{problem.id}/{part_id}"] = {
                "tries": s["tries"], "left": s["left"], "earned": s["earned"],
                "correct": s["correct"], "hints": s["hints"],
                "last_answer": s["last"]["answer"] if s["last"] else None}
    out["earned"], out["possible"] = score_of(state, session)
    return out


def _choices_first_try(app, shown: dict) -> dict:
    """What the release showed, with each choice part's tries left as the scoring policy
    gives them since: a choice earns only on its first try, so it has one try (none once
    tried), whatever the class's tries (issue 22)."""
    import copy

    out = copy.deepcopy(shown)
    problems = {p.id: p for p in app.state.web.problems}
    for student in out.values():
        for key, part_shown in student["parts"].items():
            problem_id, part_id = key.split("/")
            if problems[problem_id].part(part_id).answer_kind.options:
                part_shown["left"] = 0 if part_shown["tries"] else 1
    return out


class TestReleaseDatabase:
    """A database made by the release before revisions (a159ff6), upgraded to the head."""

    def test_recognised_as_the_baseline_every_row_kept(self, class_db_url):
        """Opening it records the baseline, drops and rewrites nothing, and leaves a schema the
        models match; opening again changes nothing."""
        _release_database(class_db_url)
        before = _rows(class_db_url)
        assert [len(before[t]) for t in TABLES] == [3, 2, 7, 3, 1]
        db = ClassDB(class_db_url)
        assert (db.schema.before, db.schema.after, db.schema.recognised) == (None, HEAD, True)
        db.close()
        assert _rows(class_db_url) == before
        assert _versions(class_db_url) == [HEAD]
        assert _differences(class_db_url) == []
        again = ClassDB(class_db_url)
        assert not again.schema.changed and again.schema.before == HEAD
        again.close()
        assert _rows(class_db_url) == before

    def test_students_are_shown_the_same(self, class_db_url, tmp_path):
        """After the upgrade the server shows each student what the release showed (tries,
        tries left, points, hints, last answer per part); by hand: alice 1 + 0.9 points
        (E_K right on the second try after one hint: 1 x (1 - 0.1)), bob 0.5 (his first wrong
        E_K regraded to half; his unreadable answer cost no try), zhang 1 (two hints shown on
        E_K, no answer there)."""
        _release_database(class_db_url)
        app = _class_app(tmp_path, class_db_url)
        try:
            shown = {s: _standing(app, s) for s in ("alice", "bob", "zhang")}
            assert shown == _choices_first_try(app, SHOWN["shown"])
            alice_e_k = shown["alice"]["parts"]["nernst-potassium/E_K"]
            assert (alice_e_k["tries"], alice_e_k["earned"], alice_e_k["hints"]) == (2, 0.9, 1)
            bob_e_k = shown["bob"]["parts"]["nernst-potassium/E_K"]
            assert (bob_e_k["tries"], bob_e_k["left"], bob_e_k["earned"]) == (2, 1, 0.5)
            assert shown["zhang"]["parts"]["nernst-potassium/E_K"]["hints"] == 2
            assert [shown[s]["earned"] for s in ("alice", "bob", "zhang")] == pytest.approx(
                [1.9, 0.5, 1.0])
            assert {shown[s]["possible"] for s in shown} == {6.0}
        finally:
            app.state.web.db.close()

    def test_a_student_signs_in_and_answers_on(self, class_db_url, tmp_path):
        """alice signs in with her token of the release, sees her score and tries left, and a
        new answer is recorded after the release's rows (id 8, her first try of the part)."""
        _release_database(class_db_url)
        app = _class_app(tmp_path, class_db_url)
        try:
            with TestClient(app, base_url=BASE):
                alice = signed_in(app, SHOWN["tokens"]["alice"])
                page = alice.get("/p/nernst-potassium").text
                assert re.search(r'id="score-line">Score: 1\.9 / 6 points<', page)
                # a choice earns on its first try only (the scoring policy): one try left
                assert re.findall(r'class="tries" data-left="(\d+)"', page) == ["1", "2", "1"]
                reply = alice.post("/p/nernst-potassium/answer", data={
                    "csrf": csrf_of(page), "part": "direction", "answer": "out of the cell"},
                    headers={"Accept": "application/json"})
                assert reply.status_code == 200
            (new,) = [s for s in app.state.web.db.list_submissions(student="alice")
                      if s.part == "direction"]
            assert new.seq == 1 and new.correct
            rows = _rows(class_db_url)["submissions"]
            assert len(rows) == 8 and rows[-1][0] == 8
        finally:
            app.state.web.db.close()


    def test_an_older_release_database_gets_what_it_lacks(self, tmp_path):
        """A database of a release before hints and regrades (no such tables, no
        submissions.hints or .late, no index): the baseline adds them, every submission kept
        (made with no hint, not late), and the models match."""
        url = f"sqlite:///{tmp_path / 'class.db'}"
        _release_database(url)
        conn = sqlite3.connect(tmp_path / "class.db")
        conn.executescript("DROP TABLE hints; DROP TABLE regrades; "
                           "DROP INDEX ix_submissions_student; "
                           "ALTER TABLE submissions DROP COLUMN hints; "
                           "ALTER TABLE submissions DROP COLUMN late;")
        old = conn.execute("SELECT * FROM submissions ORDER BY id").fetchall()
        conn.close()
        db = ClassDB(url)
        assert db.schema.recognised
        subs = db.list_submissions()
        db.close()
        assert [(s.uid, s.answer, s.score) for s in subs] == [(r[1], r[7], r[8]) for r in old]
        assert {(s.hints, s.late) for s in subs} == {(0, False)}
        assert _differences(url) == []


class TestModelsMatchTheRevisions:
    def test_a_new_database_has_the_models_schema(self, class_db_url):
        """Made through the revisions, it has every table, column, type, default, index and
        constraint of the models, and no other."""
        ClassDB(class_db_url).close()
        assert _versions(class_db_url) == [HEAD]
        assert _differences(class_db_url) == []

    def test_a_model_changed_without_a_revision_is_found(self, class_db_url):
        """A column added to the models (and a string made longer) without a revision: the
        comparison names both."""
        ClassDB(class_db_url).close()
        changed = sa.MetaData()
        for table in metadata.tables.values():
            table.to_metadata(changed)
        changed.tables["students"].append_column(sa.Column("email", sa.String(200)))
        changed.tables["settings"].c.key.type = sa.String(128)
        found = _differences(class_db_url, changed)
        assert [d[0] for d in found if isinstance(d, tuple)] == ["add_column"]
        assert [d[0][0] for d in found if isinstance(d, list)] == ["modify_type"]

    def test_head_is_alembics_head(self):
        """migrate.HEAD (what opening compares with) is the newest revision of the scripts."""
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(SCRIPTS))
        assert ScriptDirectory.from_config(config).get_heads() == [HEAD]


class TestRefusals:
    def test_a_newer_database_is_refused_unchanged(self, class_db_url, capsys):
        """A database at a revision this code does not know is refused with one line naming
        it, by opening and by `serve upgrade-db` (exit 2), and nothing in it changes."""
        ClassDB(class_db_url).close()
        engine = _engine(class_db_url)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
            conn.execute(sa.text("DROP INDEX ix_regrades_uid"))  # as if a newer release did
        engine.dispose()
        before = _rows(class_db_url)
        with pytest.raises(CliError, match=r"schema revision 0099, which this membranelab does "
                                           r"not know \(its newest is 0001\)") as caught:
            ClassDB(class_db_url)
        assert caught.value.key == "classdb.too_new"
        assert "课堂数据库" in caught.value.text("zh")
        assert main(["serve", "upgrade-db", "--db", class_db_url]) == 2
        err = capsys.readouterr().err
        assert "0099" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert _versions(class_db_url) == ["0099"] and _rows(class_db_url) == before
        assert "ix_regrades_uid" not in {
            i["name"] for i in sa.inspect(_engine(class_db_url)).get_indexes("regrades")}

    def test_a_failed_upgrade_changes_nothing(self, class_db_url, monkeypatch):
        """The baseline failing at its last step (an index) leaves no table and no revision:
        the upgrade is one transaction."""
        import alembic.op

        def broken(*_args, **_kwargs):
            raise RuntimeError("disk full (test)")

        monkeypatch.setattr(alembic.op, "create_index", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            ClassDB(class_db_url)
        engine = _engine(class_db_url)
        assert sa.inspect(engine).get_table_names() == []
        engine.dispose()
        monkeypatch.undo()
        ClassDB(class_db_url).close()
        assert _differences(class_db_url) == []


class TestUpgradeCommand:
    def test_upgrade_db_recognises_then_has_nothing_to_do(self, tmp_path, capsys):
        """`serve upgrade-db` on the release's database says it recognised it, then that it is
        current; in Chinese with --lang zh."""
        url = f"sqlite:///{tmp_path / 'class.db'}"
        _release_database(url)
        assert main(["serve", "upgrade-db", "--db", url]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "made before schema revisions were recorded" in out and "0001" in out
        assert main(["--lang", "zh", "serve", "upgrade-db", "--db", url]) == 0
        assert "已是最新的结构版本（0001）" in " ".join(capsys.readouterr().out.split())

    def test_upgrade_db_takes_the_class_files_database(self, tmp_path, capsys):
        """--config CLASS.yaml: the database its `db` names."""
        url = f"sqlite:///{tmp_path / 'from-config.db'}"
        (tmp_path / "class.yaml").write_text(f"db: {url}\n", encoding="utf-8")
        assert main(["serve", "upgrade-db", "--config", str(tmp_path / "class.yaml")]) == 0
        assert "Created the class database" in " ".join(capsys.readouterr().out.split())
        assert _versions(url) == [HEAD]

    def test_serve_says_it_upgraded_on_start(self, tmp_path, capsys, monkeypatch):
        """`serve --class` on the release's database upgrades it before listening and says so."""
        import uvicorn

        url = f"sqlite:///{tmp_path / 'class.db'}"
        _release_database(url)
        roster = tmp_path / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
        assert main(["serve", "--class", str(roster), "--assignment", "ps1-equilibrium",
                     "--db", url, "--no-browser"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "made before schema revisions were recorded" in out
        assert _versions(url) == [HEAD]


def test_processes_opening_a_new_database_at_once_upgrade_it_once(class_db_url):
    """Two processes open the same new database at the same moment: both succeed, one
    revision row, the models' schema (the upgrade holds the database's write lock)."""
    code = ("import sys, alembic.command; from membranelab.web.db import ClassDB; "
            "print('ready', flush=True); sys.stdin.read(); ClassDB(sys.argv[1]).close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, class_db_url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        assert [proc.stdout.readline() for proc in procs] == ["ready\n"] * 2
        for proc in procs:  # every process has imported what it needs: go
            proc.stdin.close()
        codes = [proc.wait(timeout=120) for proc in procs]
        errors = [proc.stderr.read()[-2000:] for proc in procs]
    finally:
        for proc in procs:
            proc.kill()
    assert codes == [0, 0], errors
    assert _versions(class_db_url) == [HEAD]
    assert _differences(class_db_url) == []
