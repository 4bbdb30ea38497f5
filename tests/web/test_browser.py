"""End to end in headless Chromium: a student types a right answer, a typical mistake and a
malformed one and sees the right feedback; the math is typeset (MathJax's rendered DOM);
progress survives a restart; in class mode two students see different numbers; the teacher
exports.  Screenshots go to tests/artifacts/."""

from __future__ import annotations

import csv
import math
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from .browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, server, sign_in

pytestmark = pytest.mark.chromium

# Canonical nernst-potassium (K_out 4 mM, K_in 140 mM, 37 C), by hand:
# E_K = 8.314462618 * 310.15 / 96485.33212 * ln(4/140) = 26.727 mV * (-3.5553) = -95.02 mV;
# with log10 in place of ln (a named mistake): 26.727 * (-1.5441) = -41.27 mV.
E_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4 / 140) * 1000
E_K_LOG10 = 8.314462618 * 310.15 / 96485.33212 * math.log10(4 / 140) * 1000


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 1200})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


def _submit(page, part: str, answer: str, expect: str):
    page.fill(f"#answer-{part}", answer)
    page.click(f"#part-{part} button[type=submit]")
    page.wait_for_selector(f"#part-{part} .feedback.{expect}")
    return page.inner_text(f"#part-{part} .feedback")


def test_self_study_answers_and_math(browser, tmp_path):
    """Right, typical mistake, malformed: each with its feedback; statement and preview typeset."""
    assert round(E_K, 2) == -95.02 and round(E_K_LOG10, 2) == -41.27
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}
    with server(["--published"], env) as url:
        page = _page(browser)
        failed = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(f"{url}/p/nernst-potassium")
        page.wait_for_selector(".statement mjx-container")
        assert page.locator(".statement mjx-container").count() >= 2
        assert "140" in page.inner_text(".statement") and "4" in page.inner_text(".statement")
        page.screenshot(path=str(ARTIFACTS / "problem.png"), full_page=True)

        page.fill("#answer-E_K", "-95.0 mv")
        page.wait_for_selector("#part-E_K .preview")
        page.fill("#answer-E_K", "-95.0 mV")
        page.wait_for_selector("#part-E_K .preview mjx-container")
        assert "millivolt" in page.inner_text("#part-E_K .preview")

        malformed = _submit(page, "E_K", "-95,0.1 mV", "unread")
        assert page.inner_text("#part-E_K .tries").endswith("3")
        assert "column" in malformed.lower() or "number" in malformed.lower()
        mistake = _submit(page, "E_K", f"{E_K_LOG10:.1f} mV", "wrong")
        assert "log10" in mistake and page.inner_text("#part-E_K .tries").endswith("2")
        right = _submit(page, "E_K", f"{E_K:.1f} mV", "right")
        assert right.lower().startswith("correct")
        assert page.is_disabled("#answer-E_K")

        page.fill("#answer-formula", "R T/(z F) ln(c_out/c_in)")
        page.wait_for_selector("#part-formula .preview mjx-container")
        assert page.locator("#part-formula .preview mjx-container mjx-mfrac").count() >= 1
        _submit(page, "formula", "R T/(z F) ln(c_out/c_in)", "right")
        assert "Score: 2 / 2 points" in page.inner_text("#score-line")
        page.screenshot(path=str(ARTIFACTS / "feedback.png"), full_page=True)

        page.on("dialog", lambda dialog: dialog.accept())
        page.click("form.solution-form button")
        page.wait_for_selector(".solution-body mjx-container")
        page.wait_for_selector(".solution-body img")
        assert page.evaluate("document.querySelector('.solution-body img').naturalWidth") > 100
        page.screenshot(path=str(ARTIFACTS / "solution.png"), full_page=True)
        assert failed == []


def test_progress_survives_a_restart(browser, tmp_path):
    """Tries and points given before a restart are there after it (the practice store)."""
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}
    with server(["--published"], env) as url:
        page = _page(browser)
        page.goto(f"{url}/p/nernst-potassium")
        _submit(page, "E_K", f"{E_K_LOG10:.1f} mV", "wrong")
        page.check("#part-direction input[value='out of the cell']")
        page.click("#part-direction button[type=submit]")
        page.wait_for_selector("#part-direction .feedback.right")
    with server(["--published"], env) as url:
        page = _page(browser)
        page.goto(f"{url}/p/nernst-potassium")
        assert page.inner_text("#part-E_K .tries").endswith("2")
        assert page.is_disabled("#part-direction button[type=submit]")
        assert "Score: 1 / 2 points" in page.inner_text("#score-line")
        page.goto(url)
        assert "started" in page.inner_text("li.status-started")


def test_class_mode_two_students_and_the_teacher(browser, tmp_path):
    """alice and bob see their own numbers; the teacher's export lists both submissions."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\nbob,Bob\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'class.db'}"
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                    "-o", str(tokens_file), "--db", db], check=True, capture_output=True)
    tokens = {(r["role"], r["student"]): r["token"]
              for r in csv.DictReader(tokens_file.open(encoding="utf-8"))}
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db, "--tries", "2"]
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}) as url:
        statements = {}
        for student in ("alice", "bob"):
            page = _page(browser)
            sign_in(page, url, tokens[('student', student)])
            assert student in page.inner_text("header")
            page.goto(f"{url}/p/nernst-potassium")
            page.wait_for_selector(".statement mjx-container")
            statements[student] = page.inner_text(".statement")
            _submit(page, "E_K", "-50 mV", "wrong")
            page.screenshot(path=str(ARTIFACTS / f"class-{student}.png"), full_page=True)
        assert statements["alice"] != statements["bob"]
        assert "4.5" in statements["alice"] and "7.5" in statements["bob"]
        anonymous = _page(browser)
        anonymous.goto(f"{url}/p/nernst-potassium")
        assert anonymous.locator(".statement").count() == 0
        teacher = _page(browser)
        sign_in(teacher, url, tokens[('teacher', '')])
        teacher.wait_for_selector("table.grades")
        # the first table is the marks (the class report's tables below share its style)
        rows = teacher.locator("table.grades").first.locator("tbody tr")
        assert rows.count() == 2
        for index, student in enumerate(("alice", "bob")):
            cells = rows.nth(index).inner_text().split("\t")
            # nernst-potassium (3 parts): 0 of 3 after one wrong E_K; one part answered
            assert cells[0].startswith(student) and cells[1] == "0/3" and cells[-1] == "1"
        teacher.screenshot(path=str(ARTIFACTS / "teacher.png"), full_page=True)


# alice's nernst-potassium in ps1-equilibrium (K_out 4.5 mM, K_in 135 mM, 37 C), by hand:
# E_K = 26.727 mV * ln(4.5/135) = 26.727 * (-3.4012) = -90.90 mV; every part 1 point, 3 hints
# at the default cost 0.1: after two hints a right answer earns 1 * (1 - 2 * 0.1) = 0.8.
ALICE_E_K = 8.314462618 * 310.15 / 96485.33212 * math.log(4.5 / 135) * 1000
CLASS_HINT_TEXT = {
    "en": {"first": "Show hint 1 of 3 (costs 10 % of this part's points)",
           "third": "Show hint 3 of 3 (costs 10 % of this part's points)",
           "label": "Hint 2 of 3", "credit": "keeps 80 % of its score",
           "note": "They cost 20 % of its score: it earns 0.8 of 1 points.",
           "free": "Show hint 3 of 3 (no cost: this part is finished)"},
    "zh": {"first": "显示提示 1/3（扣本小题 10% 的分数）",
           "third": "显示提示 3/3（扣本小题 10% 的分数）",
           "label": "提示 2/3", "credit": "只保留得分的 80%",
           "note": "扣除得分的 20%：本次得 0.8 / 1 分。",
           "free": "显示提示 3/3（不扣分：本小题已结束）"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_class_mode_hints_at_their_cost(browser, tmp_path, lang):
    """A student asks for two hints (the button says what each costs), then answers right: the
    feedback says the hints cost 20 % and the teacher's gradebook shows 0.8 and the hints."""
    text = CLASS_HINT_TEXT[lang]
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'class.db'}"
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                    "-o", str(tokens_file), "--db", db], check=True, capture_output=True)
    tokens = {(r["role"], r["student"]): r["token"]
              for r in csv.DictReader(tokens_file.open(encoding="utf-8"))}
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db]
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": lang}) as url:
        page = _page(browser)
        sign_in(page, url, tokens[('student', 'alice')])
        page.goto(f"{url}/p/nernst-potassium")
        page.wait_for_selector(".statement mjx-container")
        button = page.locator("#part-E_K form.hint-form button")
        assert button.inner_text() == text["first"]
        button.click()
        page.wait_for_selector("#part-E_K .hint[data-hint='1']")
        button.click()
        page.wait_for_selector("#part-E_K .hint[data-hint='2']")
        assert text["label"] in page.inner_text("#part-E_K .hints")
        assert button.inner_text() == text["third"]
        assert text["credit"] in page.inner_text("#part-E_K .hint-credit")
        page.screenshot(path=str(ARTIFACTS / f"class-hints-{lang}-asked.png"), full_page=True)
        feedback = _submit(page, "E_K", f"{ALICE_E_K:.1f} mV", "right")
        assert text["note"] in feedback
        assert button.inner_text() == text["free"]
        assert page.locator("#part-E_K .hint-credit").is_hidden()
        page.screenshot(path=str(ARTIFACTS / f"class-hints-{lang}.png"), full_page=True)
        teacher = _page(browser)
        sign_in(teacher, url, tokens[('teacher', '')])
        cell = teacher.locator("table.grades tbody tr").first.locator("td").nth(1)
        assert cell.inner_text().startswith("0.8/3") and cell.get_attribute("data-hints") == "2"
        teacher.screenshot(path=str(ARTIFACTS / f"teacher-hints-{lang}.png"), full_page=True)
