"""Rendering: statements and solutions carry the variant's numbers, HTML keeps the math."""

import re

import nbformat
import pytest

from membranelab.bank import notebook_cells, render_solution, render_statement


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
        assert "doc000-ek-117-3" in text and "-85" in text and "-97.9" in text

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
    def test_cells_validate(self, bank):
        """The cells form a valid nbformat v4 notebook with one answer cell per part."""
        v = bank.problems["chord-conductance"].variant("gil", "hw1")
        cells = notebook_cells(v)
        nb = nbformat.v4.new_notebook(cells=cells)
        nbformat.validate(nb)
        code = [c for c in cells if c.cell_type == "code"]
        assert [c.metadata["membranelab"]["part"] for c in code] == [p.id for p in v.problem.parts]
        assert "{{" not in "".join(c.source for c in cells)


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
