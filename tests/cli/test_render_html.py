"""``render --format html``: index.html, figures beside the pages, ``--mathjax``."""

from __future__ import annotations

import html
import re

import pytest

from membranelab.bank.render import MATHJAX_URL
from membranelab.bank.render.model import topic_name

from .conftest import PROBLEM


def _src(page: str) -> str:
    return re.search(r'<script id="MathJax-script" async src="([^"]*)"', page).group(1)


class TestIndex:
    def test_index_lists_every_problem(self, run, bank, tmp_path):
        """index.html links every problem's page by title, with its topic."""
        code, out, err = run("render", "--format", "html", "-o", str(tmp_path))
        assert code == 0, err
        assert f"wrote {len(bank.problems)} file(s) and index.html" in out
        index = (tmp_path / "index.html").read_text()
        links = re.findall(r'<a href="([^"]+)">', index)
        assert sorted(links) == sorted(f"{pid}.html" for pid in bank.problems)
        for problem in bank.problems.values():
            assert (tmp_path / f"{problem.id}.html").is_file()
            assert re.search(rf'<a href="{re.escape(problem.id)}\.html">[^<]+</a></td><td>'
                             rf"{re.escape(html.escape(topic_name(problem.topic)))}</td>", index), \
                problem.id
        page = (tmp_path / f"{PROBLEM}.html").read_text()
        assert '<a href="index.html">' in page

    def test_student_pages(self, run, tmp_path):
        """With --student the index links the student's pages and says whose they are."""
        run("render", PROBLEM, "--format", "html", "-o", str(tmp_path), "--student", "alice")
        index = (tmp_path / "index.html").read_text()
        assert f'href="{PROBLEM}-alice.html"' in index and "alice" in index

    def test_index_keeps_earlier_pages(self, run, bank, tmp_path):
        """Rendering one problem after another lists both in the index, not just the last."""
        first, second = sorted(bank.problems)[:2]
        run("render", first, "--format", "html", "-o", str(tmp_path))
        run("render", second, "--format", "html", "-o", str(tmp_path))
        links = re.findall(r'<a href="([^"]+)">', (tmp_path / "index.html").read_text())
        assert sorted(links) == [f"{first}.html", f"{second}.html"]

    def test_no_index_for_markdown(self, run, tmp_path):
        run("render", PROBLEM, "-o", str(tmp_path))
        assert not (tmp_path / "index.html").exists()


class TestFigures:
    @pytest.mark.slow
    def test_figures_referenced_exist(self, run, tmp_path):
        """With --solution every image a page links is a file beside it."""
        code, _, err = run("render", "hyperkalemia", "channel-noise", PROBLEM, "--format", "html",
                           "-o", str(tmp_path), "--solution", "--student", "alice")
        assert code == 0, err
        count = 0
        for page in tmp_path.glob("*-alice.html"):
            for src in re.findall(r'<img src="([^"]+)"', page.read_text()):
                assert (tmp_path / src).is_file(), (page.name, src)
                count += 1
        assert count == 3


class TestMathjaxOption:
    def test_default_is_the_cdn(self, run, tmp_path):
        run("render", PROBLEM, "--format", "html", "-o", str(tmp_path))
        assert _src((tmp_path / f"{PROBLEM}.html").read_text()) == MATHJAX_URL
        assert _src((tmp_path / "index.html").read_text()) == MATHJAX_URL

    @pytest.mark.parametrize("url", ["http://localhost:8000/mathjax/tex-chtml.js",
                                     "../mathjax/es5/tex-svg.js"])
    def test_url_or_missing_path_as_written(self, run, tmp_path, url):
        run("render", PROBLEM, "--format", "html", "-o", str(tmp_path), "--mathjax", url)
        assert _src((tmp_path / f"{PROBLEM}.html").read_text()) == url

    def test_local_file_outside_is_a_file_url(self, run, tmp_path):
        js = tmp_path / "mj" / "tex-chtml.js"
        js.parent.mkdir()
        js.write_text("// MathJax")
        out = tmp_path / "site"
        run("render", PROBLEM, "--format", "html", "-o", str(out), "--mathjax", str(js))
        assert _src((out / f"{PROBLEM}.html").read_text()) == js.resolve().as_uri()

    def test_local_file_inside_is_relative(self, run, tmp_path):
        js = tmp_path / "mathjax" / "es5" / "tex-chtml.js"
        js.parent.mkdir(parents=True)
        js.write_text("// MathJax")
        run("render", PROBLEM, "--format", "html", "-o", str(tmp_path), "--mathjax", str(js))
        assert _src((tmp_path / f"{PROBLEM}.html").read_text()) == "mathjax/es5/tex-chtml.js"

    def test_only_with_html(self, run, tmp_path):
        code, _, err = run("render", PROBLEM, "-o", str(tmp_path), "--mathjax", "x.js")
        assert code == 2 and "--format html" in err and err.count("\n") == 1

    def test_documented_in_help(self, run):
        code, out, _ = run("render", "--help")
        assert code == 0 and "--mathjax" in out and "tex-chtml.js" in out
