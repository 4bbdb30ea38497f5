"""In headless Chromium, self-study and class mode: after answering, a reload and a server
restart show each part's last answer in its box, its verdict and feedback, the tries left and
the hints shown.  Screenshots: tests/artifacts/reload-*.png."""

from __future__ import annotations

import csv
import math
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from .browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, server, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.chromium]

# log10 in place of ln (a named mistake), by hand: RT/F at 37 C = 8.314462618 * 310.15 /
# 96485.33212 = 26.727 mV; the published nernst-potassium (K_out 4, K_in 140 mM):
# 26.727 * log10(4/140) = -41.27 mV; alice's in ps1-equilibrium (4.5, 135 mM): -39.48 mV.
RT_F = 8.314462618 * 310.15 / 96485.33212 * 1000
PUBLISHED_LOG10 = f"{RT_F * math.log10(4 / 140):.1f} mV"
ALICE_LOG10 = f"{RT_F * math.log10(4.5 / 135):.1f} mV"


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser):
    page = browser.new_context(viewport={"width": 1000, "height": 1200}).new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


def _work(page, hint_button_text: str | None = None):
    """A log10 mistake on E_K, an unreadable formula, one hint of E_K."""
    page.fill("#answer-E_K", page.evaluate("window.__answer"))
    page.click("#part-E_K button[type=submit]")
    page.wait_for_selector("#part-E_K .feedback.wrong")
    page.fill("#answer-formula", "R T/(z F) ln(c_out/")
    page.click("#part-formula button[type=submit]")
    page.wait_for_selector("#part-formula .feedback.unread")
    page.click("#part-E_K form.hint-form button")
    page.wait_for_selector("#part-E_K .hint[data-hint='1']")


def _check(page, answer: str, left: str):
    """What a fresh page shows of the work above."""
    page.wait_for_selector("#part-E_K .feedback.wrong")
    assert page.input_value("#answer-E_K") == answer
    assert "log10" in page.inner_text("#part-E_K .feedback")
    assert page.inner_text("#part-E_K .tries").endswith(left)
    assert page.locator("#part-E_K .hint[data-hint='1']").count() == 1
    assert page.input_value("#answer-formula") == "R T/(z F) ln(c_out/"
    assert page.locator("#part-formula .feedback.unread").count() == 1


def test_self_study_page_after_reload_and_restart(browser, tmp_path):
    """Self-study: the same page after a reload and after the server restarts."""
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}
    with server(["--published"], env) as url:
        page = _page(browser)
        page.goto(f"{url}/p/nernst-potassium")
        page.evaluate(f"window.__answer = {PUBLISHED_LOG10!r}")
        _work(page)
        page.reload()
        _check(page, PUBLISHED_LOG10, "2")
    with server(["--published"], env) as url:
        page = _page(browser)
        page.goto(f"{url}/p/nernst-potassium")
        _check(page, PUBLISHED_LOG10, "2")
        page.screenshot(path=str(ARTIFACTS / "reload-self-study.png"), full_page=True)


def test_class_page_after_reload_and_restart(browser, tmp_path):
    """Class mode: the same page after a reload and after the server restarts."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'class.db'}"
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                    "-o", str(tokens_file), "--db", db], check=True, capture_output=True)
    token = next(r["token"] for r in csv.DictReader(tokens_file.open(encoding="utf-8"))
                 if r["student"] == "alice")
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db]
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}
    with server(args, env) as url:
        page = _page(browser)
        sign_in(page, url, token)
        page.goto(f"{url}/p/nernst-potassium")
        page.evaluate(f"window.__answer = {ALICE_LOG10!r}")
        _work(page)
        page.reload()
        _check(page, ALICE_LOG10, "2")
    with server(args, env) as url:
        page = _page(browser)
        sign_in(page, url, token)
        page.goto(f"{url}/p/nernst-potassium")
        _check(page, ALICE_LOG10, "2")
        page.screenshot(path=str(ARTIFACTS / "reload-class.png"), full_page=True)
