"""Rendering: statements and solutions carry the variant's numbers, HTML keeps the math."""

import re

import nbformat
import pytest

from membranelab.bank import render_solution, render_statement
from membranelab.bank.render import build, get_format


def _variants(bank):
    for problem in bank:
        yield problem.variant("canonical")
        yield problem.variant("dana", "hw1")


class TestMarkdown:
    def test_no_unreplaced_placeholders(self, bank):
        """No {{...}} survives in any statement or solution."""
        for v in _variants(bank):
            assert "{{" not in render_statement(v)
            assert "{{" not in render_solution(v)

    def test_statement_has_the_variants_numbers(self, bank):
        """Every parameter the body mentions appears with this variant's value."""
        for v in _variants(bank):
            text = render_statement(v)
            for name, param in v.problem.params.items():
                if f"{{{{{name}}}}}" in v.problem.body:
                    assert param.display(v.params[name]) in text, (v.problem.id, name)

    def test_solution_has_the_answers(self, bank):
        """The solution shows every numeric and choice answer of this variant."""
        for v in _variants(bank):
            text = render_solution(v)
            for ans in v.answers().values():
                if ans.kind != "symbolic":
                    assert ans.text in text, (v.problem.id, ans.part_id)

    def test_variant_numbers_differ(self, bank):
        """Two students' statements differ."""
        p = bank.problems["nernst-potassium"]
        a = render_statement(p.variant("erin", "hw1"))
        b = render_statement(p.variant("frank", "hw1"))
        assert a != b

    def test_erratum_expanded(self, bank):
        """The doc000 solution explains the document's -85 mV."""
        text = render_solution(bank.problems["nernst-doc000-table"].variant("canonical"))
        assert "Ion distribution and the resting membrane potential" in text
        assert "-85" in text and "-97.9" in text
        assert "doc000-ek-117-3" not in text and ".txt" not in text

    @pytest.mark.parametrize(("eid", "lang", "start"), [
        ("doc000-ek-117-3", "en", "**Erratum** ("), ("doc001-ecl-rounding", "en", "**Note** ("),
        ("doc000-ek-117-3", "zh", "**勘误**（"), ("doc001-chord-ek-89", "zh", "**注**（"),
    ])
    def test_notes_are_not_called_errata(self, eid, lang, start):
        """An erratum of kind note is headed Note (注), an error Erratum (勘误)."""
        from membranelab.bank.render.fill import erratum_paragraph

        assert erratum_paragraph(eid, lang).startswith(start)

    def test_erratum_values_typeset(self):
        """A small value reads 1.86 × 10⁻⁵, and in Chinese with a true minus sign and mmol/L."""
        from membranelab.bank.render.fill import erratum_paragraph

        assert "correct 1.86 × 10⁻⁵" in erratum_paragraph("doc000-massive-k-efflux", "en")
        zh = erratum_paragraph("doc000-table-not-electroneutral", "zh")
        assert "讲义值 147 mmol/L" in zh
        assert "讲义值 −85 mV" in erratum_paragraph("doc000-ek-117-3", "zh")

    def test_bad_format(self, bank):
        """An unknown format is a ValueError."""
        with pytest.raises(ValueError, match="fmt must be one of"):
            render_statement(bank.problems["nernst-potassium"].variant("canonical"), fmt="pdf")


class TestHtml:
    def test_math_for_mathjax(self, bank):
        """Inline and display math become MathJax-ready spans and divs."""
        v = bank.problems["nernst-potassium"].variant("canonical")
        html = render_solution(v, fmt="html")
        assert '<span class="math inline">\\(' in html
        assert '<div class="math display">\\[' in html
        assert "$" not in re.sub(r"<[^>]+>", "", html)

    def test_standalone_page_loads_mathjax(self, bank):
        """A full page includes the MathJax script tag."""
        v = bank.problems["ghk-permeability"].variant("canonical")
        page = render_statement(v, fmt="html", standalone=True)
        assert page.startswith("<!DOCTYPE html>") and "mathjax@3" in page
        assert "<table>" in page

    def test_html_escapes_raw_html(self, bank):
        """Raw HTML in a file is not passed through."""
        from membranelab.bank.render import to_html

        assert "<script>" not in to_html("<script>alert(1)</script>")


class TestNotebook:
    def test_document_validates(self, bank):
        """The notebook format's document is a valid nbformat v4 notebook: title, statement,
        solution, every placeholder filled."""
        v = bank.problems["chord-conductance"].variant("gil", "hw1")
        layout = get_format("notebook")
        nb = nbformat.reads(layout.document(build(v, solution=True)), as_version=4)
        nbformat.validate(nb)
        sources = [c.source for c in nb.cells]
        assert [c.cell_type for c in nb.cells] == ["markdown"] * 3
        assert sources[1] == render_statement(v)
        assert sources[2].endswith(render_solution(v))
        assert "{{" not in "".join(sources)


class TestFigures:
    def test_sweep_and_noise_figures(self, bank, tmp_path):
        """Figures are drawn into the folder and linked from the solution."""
        for pid in ("hyperkalemia", "channel-noise"):
            v = bank.problems[pid].variant("canonical")
            text = render_solution(v, figures_dir=tmp_path)
            pngs = sorted(tmp_path.glob(f"{pid}-*.png"))
            assert pngs and all(p.stat().st_size > 1000 for p in pngs)
            assert f"]({pngs[0].name})" in text

    def test_without_folder_caption_only(self, bank):
        """Without a folder the caption stands in for the figure."""
        text = render_solution(bank.problems["hyperkalemia"].variant("canonical"))
        assert "*Figure: " in text and "![" not in text


# -- HTML for MathJax: every page of the bank, both variants ----------------------------------

_MD_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
_HTML_MATH = re.compile(r'<(span|div) class="math (inline|display)">(\\\(|\\\[)(.*?)(\\\)|\\\])'
                        r"</\1>", re.S)


def _html_pages(bank):
    for v in _variants(bank):
        yield v, render_statement(v), render_statement(v, fmt="html")
        yield v, render_solution(v), render_solution(v, fmt="html")


def _math_contents(html_text):
    return [m.group(4) for m in _HTML_MATH.finditer(html_text)]


class TestHtmlMath:
    def test_every_formula_reaches_mathjax_verbatim(self, bank):
        """Each $...$ / $$...$$ of the Markdown is one MathJax span or div in the HTML, its TeX
        unchanged (dollarmath leaves \\frac, _, * alone; only &, <, > are entities)."""
        import html as html_mod

        for v, md, page in _html_pages(bank):
            expected = [(a or b).strip() for a, b in _MD_MATH.findall(md)]
            got = [html_mod.unescape(t) for t in _math_contents(page)]
            assert got == expected, v.problem.id

    def test_no_raw_tex_or_placeholders_in_prose(self, bank):
        """Outside math: no $, no {{, no TeX command; no nested math wrappers."""
        for v, _, page in _html_pages(bank):
            assert "{{" not in page and "}}" not in _HTML_MATH.sub("", page), v.problem.id
            prose = re.sub(r"<[^>]+>", "", _HTML_MATH.sub("", page))
            assert "$" not in prose, v.problem.id
            assert not re.search(r"\\[A-Za-z]+", prose), (v.problem.id, prose)
            assert 'class="math inline"><span' not in page
            assert 'class="math block"' not in page

    def test_tex_not_escaped_into_entities(self, bank):
        """Inside math only &lt; &gt; &amp; appear; no tags, quotes stay quotes, braces balance."""
        for v, _, page in _html_pages(bank):
            for tex in _math_contents(page):
                assert not re.search(r"&(?!lt;|gt;|amp;)", tex), (v.problem.id, tex)
                assert "<" not in tex, (v.problem.id, tex)
                plain = tex.replace(r"\{", "").replace(r"\}", "")
                assert plain.count("{") == plain.count("}"), (v.problem.id, tex)

    def test_markdown_specials_inside_math(self):
        """Underscores, stars, backslashes and primes inside math survive Markdown."""
        from membranelab.bank.render import to_html

        out = to_html(r"Let $a_1 * b_2 = \frac{x}{y}$ and $V_m' < 3$ hold, *really*."
                      "\n\n$$ I_{Cl} = g_{Cl}(V_m - E_{Cl}) $$\n")
        assert r'<span class="math inline">\(a_1 * b_2 = \frac{x}{y}\)</span>' in out
        assert r'<span class="math inline">\(V_m' + "' &lt; 3" + r'\)</span>' in out
        assert r'<div class="math display">\[I_{Cl} = g_{Cl}(V_m - E_{Cl})\]</div>' in out
        assert "<em>really</em>" in out

    def test_prose_minus_but_not_in_math_or_code(self):
        """A hyphen before a number in prose becomes a minus sign; math and code are untouched."""
        from membranelab.bank.render import to_html

        out = to_html("a shift of -5.81 mV, $x = -3$, `-7`, doc000-ek-117-3")
        assert "\u22125.81" in out and r"\(x = -3\)" in out and "<code>-7</code>" in out
        assert "doc000-ek-117-3" in out

    def test_answers_table(self, bank):
        """The HTML answers are a table; e-notation is a power of ten there."""
        v = bank.problems["energetics-entropy"].variant("canonical")
        page = render_solution(v, fmt="html")
        assert '<table class="answers">' in page and page.count("<tr>") == 1 + len(v.problem.parts)
        assert "10<sup>\u221213</sup>" in page and "e-13" not in page


class TestHtmlPage:
    def test_default_mathjax_is_the_cdn(self):
        from membranelab.bank.render import MATHJAX_URL, html_page

        page = html_page("t", "<p>x</p>")
        assert f'src="{MATHJAX_URL}"' in page and "<style>" in page and "max-width" in page

    def test_mathjax_url_honoured(self, bank):
        """``mathjax=`` replaces the CDN (escaped as an attribute)."""
        from membranelab.bank.render import MATHJAX_URL

        v = bank.problems["nernst-potassium"].variant("canonical")
        page = render_solution(v, fmt="html", standalone=True, mathjax="mj/tex-svg.js?a=1&b=2")
        assert 'src="mj/tex-svg.js?a=1&amp;b=2"' in page and MATHJAX_URL not in page

    def test_figures_exist_beside_the_page(self, bank, tmp_path):
        """Every <img> of an HTML solution is a file in figures_dir, inside a <figure>."""
        for pid in ("hyperkalemia", "channel-noise"):
            page = render_solution(bank.problems[pid].variant("canonical"), fmt="html",
                                   figures_dir=tmp_path)
            srcs = re.findall(r'<img src="([^"]+)"', page)
            assert srcs, pid
            for src in srcs:
                assert "/" not in src and (tmp_path / src).is_file()
                assert f'<figure class="figure"><img src="{src}"' in page


class TestFigureLabels:
    def test_names_become_mathtext(self):
        from membranelab.bank.figures import axis_label, caption_text

        assert axis_label("E_K_high") == r"$E_{\mathrm{K,high}}$"
        assert axis_label("V") == "$V$"
        assert caption_text("V_m against [K+]o") == r"$V_{\mathrm{m}}$ against [K+]o"


def test_erratum_paragraphs_are_well_formed():
    """Every erratum paragraph balances its brackets and names its quantity before the numbers."""
    from membranelab.bank.render.fill import erratum_paragraph
    from membranelab.physics import source_errata

    for eid, e in source_errata().items():
        text = erratum_paragraph(eid)
        assert text.count("(") == text.count(")"), eid
        assert "()" not in text, eid
        if e.stated or e.correct:
            assert e.quantity and f"({e.quantity} — " in text, eid
