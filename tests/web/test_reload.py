"""A page shows what was stored: each part's last answer in its box, its verdict and feedback,
the tries left and the hints shown, after a reload and after a restart (a new app on the same
progress file or database), in self-study and in class mode."""

from __future__ import annotations

import html
import json
import math
import re

from starlette.testclient import TestClient

from membranelab.service.progress_store import ProgressStore
from membranelab.web import ServeConfig, create_app
from membranelab.web.config import PUBLISHED_PROGRESS

from .conftest import BASE, csrf_of, make_class, signed_in

# Canonical nernst-potassium (K_out 4 mM, K_in 140 mM, 37 C), by hand:
# RT/F = 8.314462618 * 310.15 / 96485.33212 = 26.727 mV; with log10 for ln (a named mistake):
# 26.727 mV * log10(4/140) = 26.727 * (-1.5441) = -41.27 mV.
E_K_LOG10 = 8.314462618 * 310.15 / 96485.33212 * math.log10(4 / 140) * 1000
# alice's nernst-potassium in ps1-equilibrium (K_out 4.5 mM, K_in 135 mM, 37 C), log10 for ln:
# 26.727 mV * log10(4.5/135) = 26.727 * (-1.4771) = -39.48 mV.
ALICE_LOG10 = 8.314462618 * 310.15 / 96485.33212 * math.log10(4.5 / 135) * 1000


def test_hand_values():
    """The arithmetic above."""
    assert round(E_K_LOG10, 2) == -41.27 and round(ALICE_LOG10, 2) == -39.48


def section(page: str, part: str) -> str:
    """The HTML of one part's section."""
    match = re.search(rf'<section class="part[^"]*" id="part-{part}".*?</section>', page, re.S)
    assert match, f"no section for {part}"
    return match.group(0)


def feedback_of(part_html: str) -> tuple[str, str]:
    """(verdict class, text) of a part's feedback box."""
    match = re.search(r'<div class="feedback ?([a-z ]*)"[^>]*>(.*?)</div>', part_html, re.S)
    assert match
    return match.group(1).strip(), html.unescape(re.sub(r"<[^>]+>", " ", match.group(2)))


def box_value(part_html: str) -> str:
    match = re.search(r'<input class="answer"[^>]*value="([^"]*)"', part_html)
    assert match
    return html.unescape(match.group(1))


def _post(client, part, answer, problem="nernst-potassium"):
    csrf = csrf_of(client.get(f"/p/{problem}").text)
    return client.post(f"/p/{problem}/answer", data={"csrf": csrf, "part": part, "answer": answer},
                       headers={"Accept": "application/json"})


def _study(tmp_path, lang="en"):
    return create_app(ServeConfig(published=True, lang=lang,
                                  progress_path=tmp_path / "progress.json"))


class TestSelfStudy:
    def _work(self, client):
        """A typical mistake on E_K, an unreadable formula, the right choice, one hint."""
        assert _post(client, "E_K", f"{E_K_LOG10:.1f} mV").json()["note"] == "mistake.log10"
        assert _post(client, "formula", "R T/(z F) ln(c_out/").json()["counted"] is False
        assert _post(client, "direction", "out of the cell").json()["correct"] is True
        csrf = csrf_of(client.get("/p/nernst-potassium").text)
        client.post("/p/nernst-potassium/hint", data={"csrf": csrf, "part": "E_K"},
                    headers={"Accept": "application/json"})

    def _check(self, page: str):
        e_k = section(page, "E_K")
        assert box_value(e_k) == f"{E_K_LOG10:.1f} mV"
        verdict, text = feedback_of(e_k)
        assert verdict == "wrong" and "log10" in text
        assert 'data-left="2"' in e_k and "Tries left: 2" in e_k
        assert 'data-hint="1"' in e_k and 'data-hint="2"' not in e_k
        formula = section(page, "formula")
        assert box_value(formula) == "R T/(z F) ln(c_out/"
        assert feedback_of(formula)[0] == "unread" and 'data-left="3"' in formula
        direction = section(page, "direction")
        assert re.search(r'value="out of the cell" checked disabled', direction)
        assert feedback_of(direction)[0] == "right"

    def test_a_reload_shows_the_stored_answers(self, tmp_path, monkeypatch):
        """After answering, the page (a reload) shows each answer, verdict, tries and hints."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            self._work(client)
            self._check(client.get("/p/nernst-potassium").text)

    def test_a_restart_shows_the_stored_answers(self, tmp_path, monkeypatch):
        """A new server on the same progress file shows the same page."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            self._work(client)
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            self._check(client.get("/p/nernst-potassium").text)

    def test_feedback_rendered_again_in_the_pages_language(self, tmp_path, monkeypatch):
        """The verdict is stored, not its sentence: a Chinese server words the English try."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            _post(client, "E_K", f"{E_K_LOG10:.1f} mV")
        with TestClient(_study(tmp_path, "zh"), base_url=BASE) as client:
            verdict, text = feedback_of(section(client.get("/p/nernst-potassium").text, "E_K"))
        assert verdict == "wrong" and "你似乎用了 log10" in text

    def test_out_of_tries_shows_the_expected_answer_again(self, tmp_path, monkeypatch):
        """A part finished without being right shows the expected answer after a reload."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            for answer in ("-41.3 mV", "-50 mV", "-60 mV"):
                _post(client, "E_K", answer)
            e_k = section(client.get("/p/nernst-potassium").text, "E_K")
        assert box_value(e_k) == "-60 mV" and 'class="expected"' in e_k
        assert "-95" in feedback_of(e_k)[1].replace("\u2212", "-")
        assert re.search(r'<button type="submit"[^>]*disabled', e_k)

    def test_a_damaged_last_answer_costs_only_itself(self, tmp_path, monkeypatch):
        """A stored last answer of the wrong shape is dropped; tries and scores stay."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            _post(client, "E_K", "-41.3 mV")
            _post(client, "direction", "out of the cell")
        path = tmp_path / "progress.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = data["students"][PUBLISHED_PROGRESS]["problems"]["nernst-potassium"]
        entry["last"]["E_K"] = {"answer": 5, "result": []}
        path.write_text(json.dumps(data), encoding="utf-8")
        progress = ProgressStore(path).get(PUBLISHED_PROGRESS, "nernst-potassium")
        assert set(progress.last) == {"direction"} and progress.tries == {"E_K": 1, "direction": 1}
        with TestClient(_study(tmp_path), base_url=BASE) as client:
            page = client.get("/p/nernst-potassium").text
        assert feedback_of(section(page, "E_K"))[0] == ""
        assert 'data-left="2"' in section(page, "E_K")
        assert feedback_of(section(page, "direction"))[0] == "right"


class TestClassMode:
    def _check(self, page: str):
        e_k = section(page, "E_K")
        assert box_value(e_k) == f"{ALICE_LOG10:.1f} mV"
        verdict, text = feedback_of(e_k)
        assert verdict == "wrong" and "log10" in text
        assert 'data-left="1"' in e_k
        assert 'data-hint="1"' in e_k
        formula = section(page, "formula")
        assert feedback_of(formula)[0] == "unread" and 'data-left="2"' in formula

    def test_a_reload_and_a_restart_show_the_stored_answers(self, tmp_path):
        """Class mode: the same after a reload and on a new app over the same database."""
        app, tokens, _ = make_class(tmp_path)
        client = signed_in(app, tokens["alice"])
        csrf = csrf_of(client.get("/p/nernst-potassium").text)
        client.post("/p/nernst-potassium/hint", data={"csrf": csrf, "part": "E_K", "n": "1"},
                    headers={"Accept": "application/json"})
        assert _post(client, "E_K", f"{ALICE_LOG10:.1f} mV").json()["note"] == "mistake.log10"
        assert _post(client, "formula", "R T/(z F) ln(c_out/").json()["counted"] is False
        self._check(client.get("/p/nernst-potassium").text)
        client.close()
        app.state.web.db.close()
        restarted = create_app(app.state.web.config)
        try:
            client = signed_in(restarted, tokens["alice"])
            self._check(client.get("/p/nernst-potassium").text)
        finally:
            restarted.state.web.db.close()
