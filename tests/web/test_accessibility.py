"""Accessibility of the student pages (issue 23): axe-core (vendored, tests/web/vendor) run in
headless Chromium on every page a student sees, in self-study and class mode, in English and
Chinese, before and after answering; no violation of serious or critical impact."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from .browser import (
    ARTIFACTS,
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    axe_violations,
    server,
    sign_in,
)

pytestmark = [pytest.mark.slow, pytest.mark.chromium]

#: sha256 of the vendored axe.min.js (axe-core 4.14.1 from the npm registry).
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, width: int = 1000):
    page = browser.new_context(viewport={"width": width, "height": 1200}).new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


def _check(page, name: str, failures: dict[str, list[str]]) -> None:
    found = axe_violations(page)
    if found:
        failures[name] = found
        page.screenshot(path=str(ARTIFACTS / f"axe-{name}.png"), full_page=True)


def _answer(page, part: str, answer: str) -> None:
    page.fill(f"#answer-{part}", answer)
    page.click(f"#part-{part} button[type=submit]")
    page.wait_for_selector(f"#part-{part} .feedback:not(:empty)")


def test_the_vendored_axe_is_the_released_file():
    """The vendored axe.min.js is axe-core 4.14.1 as the npm registry ships it."""
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


def test_axe_finds_a_planted_violation(browser):
    """The check can fail: an image without alternative text is a critical violation."""
    page = _page(browser)
    page.set_content("<html lang='en'><head><title>t</title></head><body><main>"
                     "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></main></body></html>")
    assert any(v.startswith("image-alt (critical)") for v in axe_violations(page))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_self_study_pages(browser, tmp_path, lang):
    """The problem list, a problem before and after answers and a hint, and the solution's
    confirmation, at a desktop and a phone width."""
    failures: dict[str, list[str]] = {}
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": lang}
    with server(["--student", "alice"], env) as url:
        for width in (1000, 390):
            page = _page(browser, width)
            page.goto(f"{url}/")
            _check(page, f"study-{lang}-{width}-index", failures)
            page.goto(f"{url}/p/nernst-potassium")
            page.wait_for_selector(".statement mjx-container")
            _check(page, f"study-{lang}-{width}-problem", failures)
            if width == 1000:
                _answer(page, "E_K", "-50 mV")
                _answer(page, "formula", "R*T/(z*F")
                page.locator("#part-E_K form.hint-form button").click()
                page.wait_for_selector("#part-E_K .hint")
                _check(page, f"study-{lang}-{width}-answered", failures)
            page.goto(f"{url}/p/nernst-potassium/solution")
            _check(page, f"study-{lang}-{width}-confirm", failures)
    assert not failures, failures


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_class_pages(browser, tmp_path, lang):
    """The sign-in form, a link's confirmation, the assignment and a problem after an answer and
    a hint, in class mode."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'class.db'}"
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                    "-o", str(tokens_file), "--db", db], check=True, capture_output=True)
    token = next(r["token"] for r in csv.DictReader(tokens_file.open(encoding="utf-8"))
                 if r["student"] == "alice")
    failures: dict[str, list[str]] = {}
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db,
            "--due", "2099-01-01"]
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": lang}) as url:
        page = _page(browser)
        page.goto(f"{url}/login")
        _check(page, f"class-{lang}-login", failures)
        page.goto(f"{url}/login?token={token}")
        _check(page, f"class-{lang}-confirm", failures)
        sign_in(page, url, token)
        _check(page, f"class-{lang}-index", failures)
        page.goto(f"{url}/p/nernst-potassium")
        page.wait_for_selector(".statement mjx-container")
        _check(page, f"class-{lang}-problem", failures)
        page.locator("#part-E_K form.hint-form button").click()
        page.wait_for_selector("#part-E_K .hint")
        _answer(page, "E_K", "-50 mV")
        _check(page, f"class-{lang}-answered", failures)
    assert not failures, failures
