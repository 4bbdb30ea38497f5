"""``render --lang zh``: pages declared zh-Hans with a CJK font stack, figures with Chinese labels
in a CJK font (or English labels when there is none), and the page as a reader sees it in
headless Chromium: a screenshot in tests/artifacts/ and the DOM after MathJax ran."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from membranelab.bank import fonts
from membranelab.bank.figures import draw_figures
from membranelab.bank.fonts import cjk_font, covers

from .conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "tests" / "artifacts"
MATHJAX = REPO / "src" / "membranelab" / "web" / "static" / "mathjax" / "tex-chtml.js"
PROBLEM = "nernst-potassium"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The Chinese HTML page (with solution and figure) of one problem, MathJax from the local
    copy so that the page renders offline."""
    from membranelab.cli import main

    out = tmp_path_factory.mktemp("site")
    args = ["--lang", "zh", "render", PROBLEM, "--format", "html", "--solution", "-o", str(out)]
    if MATHJAX.is_file():
        args += ["--mathjax", str(MATHJAX)]
    assert main(args) == 0
    return out


def test_page_declares_chinese(site):
    """lang="zh-Hans", the CJK font stack, Chinese title, headings and answers table."""
    page = (site / f"{PROBLEM}.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page
    assert '"Noto Sans CJK SC"' in page and "html:lang(zh-Hans)" in page
    assert "<title>钾离子的平衡电位</title>" in page
    assert "解答：钾离子的平衡电位" in page and "<th>小题</th><th>答案</th>" in page
    assert "← 全部题目" in page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in index and "钾离子的平衡电位" in index


@pytest.mark.cjk_font
def test_figure_has_chinese_labels_in_a_cjk_font(site):
    """The figure is the Chinese one, and the font matplotlib uses draws its caption."""
    from matplotlib import font_manager

    assert (site / f"{PROBLEM}-canonical-ek_vs_kout-zh.png").is_file()
    family = cjk_font()
    assert family is not None, "fonts-noto-cjk is installed by .ci/run"
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    assert covers(path, "随的变化每升高十倍约改变本变体")


def test_no_cjk_font_gives_english_figures(tmp_path, bank, monkeypatch):
    """Without a CJK font the figure keeps its English labels (no tofu boxes)."""
    monkeypatch.setattr("membranelab.bank.figures.cjk_font", lambda: None)
    variant = bank.problems[PROBLEM].variant(lang="zh")
    names = draw_figures(variant, tmp_path)
    assert names == {"ek_vs_kout": f"{PROBLEM}-canonical-ek_vs_kout.png"}


def test_missing_font_is_logged(monkeypatch, caplog):
    """When no family of the list is installed, cjk_font says so in the log and returns None."""
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font CJK",))
    fonts._cached.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="membranelab.bank.fonts"):
            assert cjk_font() is None
        assert "no CJK font for figures" in caplog.text
    finally:
        fonts._cached.cache_clear()


@pytest.mark.chromium
@pytest.mark.cjk_font
def test_screenshot_in_chromium(site):
    """Headless Chromium renders the page: MathJax typesets the formulas (mjx-container in the
    DOM), the Chinese text is there, and a screenshot lands in tests/artifacts/."""
    url = (site / f"{PROBLEM}.html").as_uri()
    common = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--virtual-time-budget=15000", "--window-size=1200,1600"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True,
                         timeout=600).stdout
    assert dom.count("<mjx-container") >= 10, "MathJax did not typeset the formulas"
    assert "能斯特方程" in dom and len(_CJK.findall(dom)) > 100
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "zh-nernst-potassium.png"
    shot.unlink(missing_ok=True)
    subprocess.run([*common, f"--screenshot={shot}", url], capture_output=True, timeout=600,
                   check=True)
    assert shot.is_file() and shot.stat().st_size > 50_000
    shutil.copy2(site / f"{PROBLEM}-canonical-ek_vs_kout-zh.png",
                 ARTIFACTS / "zh-nernst-potassium-figure.png")
