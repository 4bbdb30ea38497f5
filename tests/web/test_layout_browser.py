"""Pages fit a phone: in headless Chromium at 320, 390 and 1280 px the page never scrolls
sideways (its scroll width is the viewport's), a displayed equation too wide for its box is set
smaller or scrolls inside its own box with its end reachable, and the typeset preview of a GHK
formula is legible at 390 px.  Screenshots go to tests/artifacts/ (layout-*.png)."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from .browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, server, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.chromium]

#: Worked solutions with the widest displayed equations of the bank (a fraction of sums of
#: products in warming-q10; the GHK equation).
WIDE = ("warming-q10", "ghk-permeability")
GHK = "R*T/F*ln((P_K*K_o + P_Na*Na_o + P_Cl*Cl_i)/(P_K*K_i + P_Na*Na_i + P_Cl*Cl_o))"

#: Per displayed equation: its box's width, the width its content needs, whether the box
#: scrolls, the equation's font size in px, and whether its right end lies inside the viewport.
_DISPLAYS = """() => Array.from(document.querySelectorAll('mjx-container[display="true"]')).map(c => {
  const box = c.closest('.math.display') || c;
  const math = c.querySelector('mjx-math');
  return {room: box.clientWidth, need: box.scrollWidth,
          scrolls: getComputedStyle(box).overflowX === 'auto',
          size: parseFloat(getComputedStyle(math).fontSize),
          right: box.getBoundingClientRect().right, width: window.innerWidth}; })"""
_SIDEWAYS = "[document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, width: int):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _no_sideways_scroll(page) -> None:
    scroll_width, inner_width = page.evaluate(_SIDEWAYS)
    assert scroll_width == inner_width


def _displays_fit(page) -> None:
    """Every displayed equation: inside the viewport; wider than its box only in a box that
    scrolls; never set below 70 % of the text around it."""
    displays = page.evaluate(_DISPLAYS)
    assert displays
    for d in displays:
        assert d["right"] <= d["width"] + 0.5
        assert d["need"] <= d["room"] + 1 or d["scrolls"]
        assert d["size"] >= 0.7 * 17 * 0.9  # body text 17 px; MathJax's own scale ~0.9 at least


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_worked_solutions_never_scroll_the_page(browser, tmp_path, width):
    """Problem pages and their worked solutions fit the width; wide equations keep to their box."""
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}
    with server(["--published"], env) as url:
        page = _page(browser, width)
        for problem in WIDE:
            page.goto(f"{url}/p/{problem}")
            page.wait_for_selector(".statement mjx-container")
            _no_sideways_scroll(page)
            page.click("form.solution-form button")
            page.wait_for_selector(".solution-body mjx-container")
            page.wait_for_function("document.querySelectorAll('.solution-body mjx-math').length"
                                   " > 0 && !document.querySelector('.solution-body .MathJax_Processing')")
            page.wait_for_timeout(300)  # the fitting runs after the typesetting's promise
            _no_sideways_scroll(page)
            _displays_fit(page)
            if width != 320:
                page.screenshot(path=str(ARTIFACTS / f"layout-{problem}-{width}.png"),
                                full_page=True)
        page.goto(url)
        _no_sideways_scroll(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_ghk_preview_is_legible(browser, tmp_path, width):
    """The typeset reading of a GHK formula: on its own line at body size or near it, within
    the width, the page not scrolling sideways."""
    env = {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}
    with server(["--published"], env) as url:
        page = _page(browser, width)
        page.goto(f"{url}/p/ghk-permeability")
        page.fill("#answer-formula", GHK)
        page.wait_for_selector("#part-formula .preview mjx-container mjx-mfrac")
        page.wait_for_timeout(300)
        _no_sideways_scroll(page)
        smallest, right, inner = page.evaluate("""() => {
            const glyphs = document.querySelectorAll('#part-formula .preview mjx-c');
            const box = document.querySelector('#part-formula .preview .tex');
            return [Math.min(...Array.from(glyphs, g => parseFloat(getComputedStyle(g).fontSize))),
                    box.getBoundingClientRect().right, window.innerWidth]; }""")
        # legible: its smallest letter (a concentration's subscript aside) at least 12 px on a
        # phone; the inline fractions of before set the concentrations at about 8 px
        assert smallest >= 12
        assert right <= inner
        page.locator("#part-formula").screenshot(path=str(ARTIFACTS / f"layout-preview-{width}.png"))


def test_class_pages_fit_a_phone(browser, tmp_path):
    """Class mode at 390 px: the problem page and the teacher's gradebook never scroll sideways."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'class.db'}"
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                    "-o", str(tokens_file), "--db", db], check=True, capture_output=True)
    tokens = {(r["role"], r["student"]): r["token"]
              for r in csv.DictReader(tokens_file.open(encoding="utf-8"))}
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db]
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en"}) as url:
        page = _page(browser, 390)
        sign_in(page, url, tokens[('student', 'alice')])
        page.goto(f"{url}/p/nernst-potassium")
        page.wait_for_selector(".statement mjx-container")
        _no_sideways_scroll(page)
        page.screenshot(path=str(ARTIFACTS / "layout-class-390.png"), full_page=True)
        teacher = _page(browser, 390)
        sign_in(teacher, url, tokens[('teacher', '')])
        teacher.wait_for_selector("table.grades")
        _no_sideways_scroll(teacher)
