"""Self-study in the browser, in-process: the problem list, a problem page, answering, hints,
the worked solution, the running score, and the progress file shared with `practice`."""

from __future__ import annotations

import html
import json
import math

import pytest
from starlette.testclient import TestClient

from membranelab.bank.render.model import topic_name
from membranelab.service.progress_store import ProgressStore
from membranelab.web import ServeConfig, create_app
from membranelab.web.config import PUBLISHED_PROGRESS

from .conftest import BASE, csrf_of

# The canonical variant of nernst-potassium (the source document's case): K_out = 4 mM,
# K_in = 140 mM, T = 37 C.  By hand: RT/F = 8.314462618 * 310.15 / 96485.33212 = 26.727 mV;
# E_K = 26.727 mV * ln(4/140) = 26.727 * (-3.5553) = -95.02 mV.  Using log10 instead of ln (a
# named mistake): 26.727 * (-1.5441) = -41.27 mV.
RT_F_MV = 8.314462618 * 310.15 / 96485.33212 * 1000
E_K_MV = RT_F_MV * math.log(4 / 140)
E_K_LOG10_MV = RT_F_MV * math.log10(4 / 140)


def test_hand_values():
    """The arithmetic in the comment above holds."""
    assert round(E_K_MV, 2) == -95.02 and round(E_K_LOG10_MV, 2) == -41.27


@pytest.fixture
def canonical(tmp_path, monkeypatch):
    """A self-study client whose student draws the canonical variant."""
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
    app = create_app(ServeConfig(published=True, lang="en",
                                 progress_path=tmp_path / "progress.json"))
    with TestClient(app, base_url=BASE) as client:
        yield client


def _answer(client, problem, part, answer, *, as_json=True, uid=None, csrf=None):
    page = client.get(f"/p/{problem}")
    data = {"csrf": csrf if csrf is not None else csrf_of(page.text), "part": part,
            "answer": answer}
    if uid:
        data["uid"] = uid
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post(f"/p/{problem}/answer", data=data, headers=headers)


class TestPages:
    def test_index_lists_every_problem_by_topic(self, study, bank):
        """The home page links every problem of the bank, under its topic."""
        page = study.get("/")
        assert page.status_code == 200
        for problem in bank.problems.values():
            assert f'href="/p/{problem.id}"' in page.text
        for topic in {p.topic for p in bank.problems.values()}:
            assert f"<h2>{topic_name(topic, 'en')}</h2>" in page.text

    def test_index_in_chinese(self, tmp_path, monkeypatch, bank):
        """In Chinese the home page lists every problem by its Chinese title, under the Chinese
        name of its topic (no English title, no topic id)."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        app = create_app(ServeConfig(student="alice", lang="zh",
                                     progress_path=tmp_path / "progress.json"))
        with TestClient(app, base_url=BASE) as client:
            page = client.get("/").text
        assert "<h2>钠钾泵</h2>" in page and "<h2>唐南平衡</h2>" in page
        for problem in bank.problems.values():
            zh = problem.localized("zh")
            assert f'href="/p/{problem.id}">{html.escape(zh.title)}</a>' in page
            assert zh.title != problem.title and problem.title not in page
            assert f"<h2>{problem.topic}</h2>" not in page

    def test_prompt_says_unit_and_figures(self, study):
        """Each numeric prompt on the page says the unit and the significant figures asked."""
        page = study.get("/p/nernst-potassium").text
        assert "(answer in mV, 3 significant figures)" in page

    def test_problem_page_shows_the_students_own_numbers(self, canonical):
        """The statement carries the variant's values as TeX for MathJax, one form per part."""
        page = canonical.get("/p/nernst-potassium")
        assert page.status_code == 200
        assert r"\([\mathrm{K^+}]_\text{in} = 140\)" in page.text
        assert r"\([\mathrm{K^+}]_\text{out} = 4\)" in page.text
        assert page.text.count('class="answer-form"') == 3
        assert 'src="/static/mathjax/tex-chtml.js"' in page.text
        assert "cdn" not in page.text.lower()

    def test_unknown_problem_is_404_page(self, study):
        """An unknown id is a page saying so, not a traceback."""
        page = study.get("/p/no-such-problem")
        assert page.status_code == 404
        assert "Traceback" not in page.text and "no such problem" in page.text.lower()

    def test_mathjax_is_served_locally(self, study):
        """The MathJax script and its fonts come from this server."""
        script = study.get("/static/mathjax/tex-chtml.js")
        assert script.status_code == 200 and b"MathJax" in script.content and b"3.2.2" in script.content
        font = study.get("/static/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff")
        assert font.status_code == 200 and font.content[:4] == b"wOFF"


class TestAnswering:
    def test_right_answer(self, canonical):
        """-95.0 mV is right for the canonical variant, and earns the part's point."""
        reply = _answer(canonical, "nernst-potassium", "E_K", "-95.0 mV")
        data = reply.json()
        assert reply.status_code == 200
        assert data["correct"] is True and data["score"] == 1.0 and data["counted"]
        assert data["finished"] is True and data["score_line"] == "Score: 1 / 1 points"

    def test_typical_mistake_is_named(self, canonical):
        """log10 in place of ln gives -41.3 mV: wrong, a try spent, the mistake named."""
        data = _answer(canonical, "nernst-potassium", "E_K", "-41.3 mV").json()
        assert data["correct"] is False and data["counted"] is True
        assert data["note"] == "mistake.log10"
        assert "log" in data["feedback"].lower()
        assert data["tries"] == 1 and data["left"] == 2

    def test_malformed_answer_costs_no_try(self, canonical):
        """Text that cannot be read gets its message and leaves the tries alone."""
        data = _answer(canonical, "nernst-potassium", "E_K", "minus ninety-five").json()
        assert data["correct"] is False and data["counted"] is False
        assert data["tries"] == 0 and data["left"] == 3
        assert "number" in data["feedback"].lower()

    def test_typographic_minus_arrives_intact(self, canonical):
        """A minus sign (U+2212) and a micro-sized space survive the form encoding."""
        data = _answer(canonical, "nernst-potassium", "E_K", "\u221295.0\u2009mV").json()
        assert data["correct"] is True

    def test_choice_part(self, canonical):
        """At V_rest = -70 mV above E_K = -95 mV, K+ flows out of the cell."""
        assert _answer(canonical, "nernst-potassium", "direction", "out of the cell"
                       ).json()["correct"] is True

    def test_formula_part(self, canonical):
        """The Nernst formula typed as on paper is right."""
        data = _answer(canonical, "nernst-potassium", "formula", "R*T/(z*F)*ln(c_out/c_in)"
                       ).json()
        assert data["correct"] is True

    def test_out_of_tries_shows_the_answer_and_refuses_more(self, canonical):
        """After three wrong tries the expected value is shown; a fourth is refused (409)."""
        for answer in ("-41.3 mV", "-50 mV", "-60 mV"):
            data = _answer(canonical, "nernst-potassium", "E_K", answer).json()
        assert data["finished"] is True and "-95" in data["expected"].replace("\u2212", "-")
        refused = _answer(canonical, "nernst-potassium", "E_K", "-95.0 mV")
        assert refused.status_code == 409 and refused.json()["refused"] is True

    def test_form_without_script_gets_the_page_with_feedback(self, canonical):
        """A plain form POST (no JavaScript) returns the problem page with the verdict."""
        page = _answer(canonical, "nernst-potassium", "E_K", "-41.3 mV", as_json=False)
        assert page.status_code == 200
        assert 'class="feedback wrong"' in page.text and "log" in page.text.lower()

    def test_unknown_part_is_404(self, study):
        """A part id the problem does not have is refused."""
        assert _answer(study, "nernst-potassium", "nope", "1 mV").status_code == 404


class TestCsrfAndBounds:
    def test_answer_without_csrf_is_refused(self, study):
        """A POST without the page's CSRF token is refused (403) and records nothing."""
        reply = study.post("/p/nernst-potassium/answer",
                           data={"part": "E_K", "answer": "-90 mV"},
                           headers={"Accept": "application/json"})
        assert reply.status_code == 403
        assert study.app.state.web.study.states(
            study.app.state.web.problem("nernst-potassium"))[0]["E_K"].tries == 0

    def test_answer_with_forged_csrf_is_refused(self, study):
        """A made-up CSRF token is refused."""
        assert _answer(study, "nernst-potassium", "E_K", "-90 mV", csrf="0" * 64
                       ).status_code == 403

    def test_too_long_answer_is_refused(self, study):
        """An answer over the limit is refused with 413 before grading."""
        reply = _answer(study, "nernst-potassium", "E_K", "1" * 2001)
        assert reply.status_code == 413
        assert "too long" in reply.json()["message"]

    def test_too_large_body_is_refused(self, study):
        """A body over 16 KiB is refused (413) whatever the route."""
        reply = study.post("/api/grade", content=b"x" * 20_000,
                           headers={"Content-Type": "application/json"})
        assert reply.status_code == 413

    def test_other_host_header_is_refused(self, tmp_path, monkeypatch):
        """Self-study answers only to localhost names (no DNS rebinding)."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        app = create_app(ServeConfig(student="alice", lang="en", progress_path=tmp_path / "p.json"))
        with TestClient(app, base_url="http://evil.example") as client:
            assert client.get("/").status_code == 400

    def test_security_headers(self, study):
        """Pages forbid inline scripts, framing and referrers."""
        headers = study.get("/").headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


class TestHintsAndSolution:
    def test_hints_one_at_a_time(self, study, bank):
        """Each hint request shows the next hint; the count is saved."""
        problem = next(p for p in bank.problems.values() if any(part.hints for part in p.parts))
        part = next(part for part in problem.parts if part.hints)
        csrf = csrf_of(study.get(f"/p/{problem.id}").text)
        reply = study.post(f"/p/{problem.id}/hint", data={"csrf": csrf, "part": part.id},
                           headers={"Accept": "application/json"})
        assert reply.status_code == 200
        assert reply.json()["index"] == 1 and reply.json()["total"] == len(part.hints)
        page = study.get(f"/p/{problem.id}")
        assert f"Hint 1 of {len(part.hints)}" in page.text

    def test_solution_needs_confirmation(self, canonical):
        """GET asks first; only a confirmed POST reveals it, and later answers earn nothing."""
        ask = canonical.get("/p/nernst-potassium/solution")
        assert ask.status_code == 200 and 'value="yes"' in ask.text
        assert "Solution:" not in ask.text
        csrf = csrf_of(ask.text)
        shown = canonical.post("/p/nernst-potassium/solution",
                               data={"csrf": csrf, "confirm": "yes"},
                               headers={"Accept": "application/json"})
        assert shown.status_code == 200 and "Solution:" in shown.json()["html"]
        data = _answer(canonical, "nernst-potassium", "E_K", "-95.0 mV").json()
        assert data["correct"] is True and data["earned"] == 0.0

    def test_solution_figures_are_served(self, canonical):
        """The worked solution's figures are drawn and served as PNG."""
        csrf = csrf_of(canonical.get("/p/nernst-potassium").text)
        html = canonical.post("/p/nernst-potassium/solution", data={"csrf": csrf, "confirm": "yes"},
                              headers={"Accept": "application/json"}).json()["html"]
        src = html.split('<img src="', 1)[1].split('"', 1)[0]
        assert src.startswith("/figures/")
        image = canonical.get(src)
        assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert canonical.get("/figures/..%2Fetc%2Fpasswd.png").status_code == 404


class TestSharedProgress:
    def test_browser_progress_is_practice_progress(self, canonical, tmp_path):
        """Answers given in the browser are in the practice store, where `practice` resumes."""
        _answer(canonical, "nernst-potassium", "E_K", "-95.0 mV")
        _answer(canonical, "nernst-potassium", "formula", "x+")  # unreadable: no try
        progress = ProgressStore(tmp_path / "progress.json").get(PUBLISHED_PROGRESS, "nernst-potassium")
        assert progress.tries == {"E_K": 1} and progress.scores == {"E_K": 1.0}
        assert progress.part == 1 and progress.done is False
        raw = json.loads((tmp_path / "progress.json").read_text())
        assert raw["version"] == 1

    def test_practice_progress_shows_in_the_browser(self, tmp_path, monkeypatch):
        """Progress saved by the terminal (the store) is what the page shows."""
        store = ProgressStore(tmp_path / "progress.json")
        store.get("alice", "nernst-sodium").tries["E_Na"] = 2
        store.save()
        app = create_app(ServeConfig(student="alice", lang="en",
                                 progress_path=tmp_path / "progress.json"))
        with TestClient(app, base_url=BASE) as client:
            page = client.get("/p/nernst-sodium")
            assert "Tries left: 1" in page.text
            assert 'class="status-started"' in client.get("/").text


class TestOrderAndFailures:
    def test_problems_in_teaching_order(self, study, bank):
        """Within a topic the list follows the bank's `order` (lowest first)."""
        page = study.get("/").text
        for topic in {p.topic for p in bank.problems.values()}:
            mine = sorted((p for p in bank.problems.values() if p.topic == topic),
                          key=lambda p: p.order)
            positions = [page.index(f'href="/p/{p.id}"') for p in mine]
            assert positions == sorted(positions), topic

    def test_internal_failure_is_an_incident_not_a_traceback(self, tmp_path, monkeypatch,
                                                             caplog):
        """A bug while grading gives the student an incident id; the log has the traceback."""
        import membranelab.web.answering as answering

        def broken(*args):
            raise RuntimeError("boom in grading")

        monkeypatch.setattr(answering, "_grade", broken)
        app = create_app(ServeConfig(student="alice", lang="en", progress_path=tmp_path / "p.json"))
        with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
            reply = _answer(client, "nernst-potassium", "E_K", "-90 mV")
        assert reply.status_code == 500
        incident = reply.json()["incident"]
        assert incident in reply.json()["error"] and "boom" not in reply.text
        assert any(incident in r.getMessage() and r.exc_info for r in caplog.records)


class TestChinese:
    def test_pages_in_chinese(self, tmp_path):
        """--lang zh: the interface from the zh catalog, the statement from the Chinese overlay,
        the same numbers; a Chinese choice is graded right."""
        app = create_app(ServeConfig(published=True, lang="zh",
                                     progress_path=tmp_path / "p.json"))
        with TestClient(app, base_url=BASE) as client:
            page = client.get("/p/nernst-potassium").text
            assert '<html lang="zh-Hans">' in page and "检查" in page and "剩余机会：3" in page
            assert r"_\text{in} = 140\)" in page and "钾" in page
            csrf = csrf_of(page)
            choice = "流出细胞"  # "out of the cell": V_rest -70 mV lies above E_K -95 mV
            reply = client.post("/p/nernst-potassium/answer", headers={"Accept": "application/json"},
                                data={"csrf": csrf, "part": "direction", "answer": choice})
            assert reply.json()["correct"] is True and "得分" in reply.json()["score_line"]
