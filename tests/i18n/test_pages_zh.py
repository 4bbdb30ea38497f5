"""The browser's pages under ``serve --lang zh``, in class mode and in self-study: every text a
person reads on them (the page text, the titles, labels and confirmations in attributes, the
answers' feedback, the JSON endpoints' errors) carries no English sentence (see :mod:`.latin`;
ids, units, symbols and the student's own text aside)."""

from __future__ import annotations

import html
import re

import pytest
from starlette.testclient import TestClient

from membranelab.web import ServeConfig, create_app
from tests.web.conftest import BASE, PROBLEMS, csrf_of, make_class, signed_in

from .latin import english_words
from .test_commands_zh import IDS

PROBLEM = PROBLEMS[0]
#: What the student types here (echoed back in the feedback: the student's own text), and the
#: roster's names of the students and the class's title (the teacher's data, shown as written).
TYPED = ("-95 mV", "流出细胞", "hello", "-80 kg", "(", "Alice A", "Bob B", "Problem set 1")
#: The attributes whose text a person reads (a tooltip, a screen reader's label, a dialog).
READ_ATTRIBUTES = re.compile(
    r'\b(?:title|aria-label|placeholder|alt|data-no-server|data-confirm)="([^"]*)"')


def _ids_out(text: str) -> str:
    """``text`` without ids (as whole words: a part id inside a word is not one) or typed text."""
    for name in TYPED:
        text = text.replace(name, " ")
    for name in IDS:
        text = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(name)}(?![A-Za-z0-9_-])", " ", text)
    return text


def _read(page: str) -> str:
    """What a person reads on a page: its text outside scripts and styles, and the texts of
    :data:`READ_ATTRIBUTES`."""
    said = " ".join(READ_ATTRIBUTES.findall(page))
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(f"{said} {body}")


class _Scan:
    """Collects what each page or reply says; ``found``: (what, English words, text)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, list[str], str]] = []
        self.seen = 0

    def page(self, what: str, response) -> None:
        text = (_read(response.text) if "html" in response.headers.get("content-type", "")
                else _json_text(response.json()))
        self.text(what, text)

    def text(self, what: str, text: str) -> None:
        words = english_words(_ids_out(text))
        self.seen += bool(text.strip())
        if words:
            self.found.append((what, words, text[:400]))


def _json_text(data) -> str:
    """The sentences of a JSON reply (``feedback``, ``error``, ``message``, ``read``...)."""
    if isinstance(data, dict):
        return " ".join(_json_text(v) for k, v in data.items()
                        if k not in ("note", "message_id", "part", "problem", "kind", "tex",
                                     "status", "params", "student", "assignment", "level",
                                     "lang", "csrf"))
    if isinstance(data, list):
        return " ".join(_json_text(v) for v in data)
    return data if isinstance(data, str) else ""


def _answer(client, scan: _Scan, what: str, part: str, answer: str, *, as_json: bool = True):
    csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
    headers = {"Accept": "application/json"} if as_json else {}
    reply = client.post(f"/p/{PROBLEM}/answer", headers=headers,
                        data={"csrf": csrf, "part": part, "answer": answer})
    scan.page(f"{what}: {answer}", reply)


def _student_pages(client, scan: _Scan, mode: str) -> None:
    """A student's walk: the index, a problem, answers right, wrong and unreadable (JSON and
    a form's page), a hint, the preview, the solution (asked, then shown), a page that is not
    there."""
    scan.page(f"{mode} index", client.get("/"))
    scan.page(f"{mode} problem", client.get(f"/p/{PROBLEM}"))
    for answer in ("hello", "(", "-80 kg"):
        _answer(client, scan, mode, "E_K", answer)
    _answer(client, scan, mode, "E_K", "-95 mV", as_json=False)
    _answer(client, scan, mode, "direction", "流出细胞")
    csrf = csrf_of(client.get(f"/p/{PROBLEM}").text)
    scan.page(f"{mode} hint", client.post(f"/p/{PROBLEM}/hint",
                                          headers={"Accept": "application/json"},
                                          data={"csrf": csrf, "part": "E_K"}))
    for text in ("-95 mV", "hello", "("):
        scan.page(f"{mode} preview {text}", client.post(
            "/api/preview", json={"problem": PROBLEM, "part": "E_K", "answer": text},
            headers={"X-CSRF-Token": csrf}))
    scan.page(f"{mode} solution asked", client.get(f"/p/{PROBLEM}/solution"))
    scan.page(f"{mode} solution", client.post(f"/p/{PROBLEM}/solution", data={"csrf": csrf}))
    scan.page(f"{mode} problem after", client.get(f"/p/{PROBLEM}"))
    scan.page(f"{mode} missing page", client.get("/p/no-such-problem"))


def test_class_mode_pages(tmp_path):
    """Class mode: sign-in (a bad link, the confirmation), the student's pages, the teacher's
    page, and /api/grade's refusals and verdicts."""
    scan = _Scan()
    app, tokens, teacher = make_class(tmp_path, lang="zh")
    try:
        with TestClient(app, base_url=BASE) as client:
            scan.page("bad link", client.get("/login?token=not-a-token"))
            scan.page("sign-in", client.get(f"/login?token={tokens['alice']}"))
            scan.page("not signed in", client.get(f"/p/{PROBLEM}"))
            for body, headers in (({}, {}), ({"problem": PROBLEM}, {
                    "Authorization": f"Bearer {teacher}"}), ({
                    "problem": PROBLEM, "part": "E_K", "student": "alice",
                    "assignment": "ps1-equilibrium", "answer": "hello"}, {
                    "Authorization": f"Bearer {teacher}"})):
                scan.page(f"api {body}", client.post("/api/grade", json=body, headers=headers))
        with signed_in(app, tokens["alice"]) as client:
            _student_pages(client, scan, "class")
        with signed_in(app, teacher) as client:
            scan.page("teacher", client.get("/teacher"))
    finally:
        app.state.web.db.close()
    assert scan.found == [], '\n'.join(map(str, scan.found))
    assert scan.seen >= 20


@pytest.mark.parametrize("published", [False, True])
def test_self_study_pages(tmp_path, monkeypatch, published):
    """Self-study (a student's own numbers, and the lecture notes' numbers): the same walk."""
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
    scan = _Scan()
    config = (ServeConfig(published=True, lang="zh", progress_path=tmp_path / "p.json")
              if published else
              ServeConfig(student="alice", lang="zh", progress_path=tmp_path / "p.json"))
    with TestClient(create_app(config), base_url=BASE) as client:
        _student_pages(client, scan, "self-study")
    assert scan.found == [], '\n'.join(map(str, scan.found))
    assert scan.seen >= 10
