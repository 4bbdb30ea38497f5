"""The rendered-variant model and the format registry: one model, one module per format."""

from __future__ import annotations

import math

import pytest

from membranelab.bank.render import build, format_names, get_format, registry
from membranelab.bank.render.formats.html import answer_cell, html_number
from membranelab.bank.render.formats.markdown import answer_markdown
from membranelab.bank.view import MathView, QuantityView, TextView

# CODATA 2018 exact values, typed here (not taken from the code under test).
R, F = 8.314462618, 96485.33212


def test_model_of_the_canonical_potassium_problem(bank):
    """nernst-potassium, canonical ([K+]o 4 mM, [K+]i 140 mM, 37 °C, V_rest -70 mV)."""
    view = build(bank.problems["nernst-potassium"].variant("canonical"), solution=True)
    # RT/F at 310.15 K = 8.314462618 * 310.15 / 96485.33212 = 0.026727 V = 26.73 mV
    rt_f = R * 310.15 / F
    assert f"{rt_f * 1e3:.2f}" == "26.73"
    # E_K = 26.727 mV * ln(4/140) = 26.727 * (-3.5553) = -95.02 mV -> "-95.0" to 3 figures
    e_k = rt_f * math.log(4 / 140) * 1e3
    assert f"{e_k:.1f}" == "-95.0"
    assert view.title == "Potassium equilibrium potential" and view.lang == "en"
    assert "140" in view.body and "{{" not in view.body
    e, formula, direction = view.parts
    assert [p.letter for p in view.parts] == ["a", "b", "c"]
    assert (e.id, e.unit, e.options) == ("E_K", "mV", ())
    assert e.note == "(answer in mV, 3 significant figures)"
    assert e.hints[2] == "RT/F = 26.73 mV at 37 °C, so E_K = 26.73 mV × ln(4/140)."
    assert (formula.note, formula.unit) == (None, None)
    assert direction.prompt == "At a resting potential of -70 mV, which way is the net passive " \
                               "flux of K⁺?"
    assert direction.options == ("into the cell", "out of the cell", "no net flux")
    answers = {a.part_id: a.view for a in view.solution.answers}
    assert answers["E_K"] == QuantityView("-95.0", "mV")
    assert isinstance(answers["formula"], MathView) and "\\ln" in answers["formula"].latex
    # V_rest -70 mV is above E_K -95 mV: K+ leaves the cell
    assert answers["direction"] == TextView("out of the cell")
    # the figure is described (problems/nernst-potassium.md: E_K swept over [K+]o 1..20 mM, in
    # mV, for this variant's numbers), not drawn; without a place for it its caption stands in
    (figure,) = view.solution.figures
    assert (figure.id, figure.plan.plot.x, figure.plan.plot.x_range) == ("ek_vs_kout", "K_out",
                                                                          (1.0, 20.0))
    assert (figure.plan.plot.y, figure.plan.plot.unit) == (("E_K",), "mV")
    assert figure.plan.variant.params["K_out"] == 4 and figure.plan.lang == "en"
    assert figure.plan.file_name == "nernst-potassium-canonical-ek_vs_kout.png"
    assert "*Figure: E_K against [K+]o" in view.solution.body() and "![" not in \
        view.solution.body()


def test_statement_only_unless_asked(bank):
    """The solution is built only when asked (statements are built per student by the course)."""
    assert build(bank.problems["nernst-potassium"].variant("canonical")).solution is None


def test_same_numbers_in_another_language(bank):
    """A model in Chinese has the Chinese title and notes, and the same numbers."""
    variant = bank.problems["nernst-potassium"].variant("dana", "hw1")
    en, zh = build(variant, solution=True), build(variant, "zh", solution=True)
    assert zh.lang == "zh" and zh.title != en.title
    assert zh.solution.answers[0].view == en.solution.answers[0].view
    assert zh.parts[0].note != en.parts[0].note and "mV" in zh.parts[0].note


def test_each_atom_in_markdown_and_html():
    """Formats branch on the atom's type: a number with and without a unit, math, text."""
    assert answer_markdown(QuantityView("-95.0", "mV"), "en") == "-95.0 mV"
    assert answer_markdown(QuantityView("1.23e-5", None), "en") == "1.23e-5"
    assert answer_markdown(MathView(r"\frac{a}{b}", "a/b"), "en") == r"$\frac{a}{b}$ (typed: `a/b`)"
    assert answer_markdown(TextView("into the cell"), "en") == "into the cell"
    assert answer_cell(QuantityView("-95.0", "µM"), "en") == \
        '<td class="value">\u221295.0\u00a0µM</td>'
    assert answer_cell(TextView("a < b"), "en") == "<td>a &lt; b</td>"
    with pytest.raises(TypeError):
        answer_markdown("-95.0", "en")  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "html"), [
    ("-1.5e-07", "\u22121.5\u2009×\u200910<sup>\u22127</sup>"),
    ("2e+05", "2\u2009×\u200910<sup>5</sup>"),
    ("-95.0", "\u221295.0"),
    ("a<b", "a&lt;b"),
])
def test_html_number(text, html):
    assert html_number(text) == html


def test_builtin_formats_are_registered():
    assert {"html", "markdown", "notebook"} <= set(format_names())
    assert get_format("html").suffix == ".html"
    with pytest.raises(ValueError, match="fmt must be one of"):
        get_format("pdf")


def test_a_new_format_is_one_class_and_the_cli_offers_it(bank, tmp_path):
    """A format registered by itself is listed, chosen by ``render --format`` and writes its
    documents with its suffix, without any other module edited."""
    @registry.register
    class Plain(registry.Format):
        name = "plain"
        suffix = ".txt"

        def statement(self, view, **options):
            return f"{view.title}\n" + "\n".join(f"{p.letter}) {p.prompt}" for p in view.parts)

        def solution(self, view, **options):
            return "\n".join(f"{a.letter}) {answer_markdown(a.view, view.lang)}"
                             for a in view.solution.answers)

        def document(self, view, **options):
            text = self.statement(view)
            return text + ("\n" + self.solution(view) if view.solution else "")

    try:
        assert "plain" in format_names()
        from membranelab.cli import main

        assert main(["render", "nernst-potassium", "--format", "plain", "--solution",
                     "-o", str(tmp_path)]) == 0
    finally:
        registry.unregister("plain")
    assert "plain" not in format_names()
    text = (tmp_path / "nernst-potassium.txt").read_text(encoding="utf-8")
    assert text.startswith("Potassium equilibrium potential\na) Compute")
    assert "a) -95.0 mV" in text and "c) out of the cell" in text


def test_a_format_needs_a_name_and_a_suffix():
    with pytest.raises(ValueError, match="needs a name"):
        registry.register(type("Nameless", (registry.Format,), {}))
    format_names()  # the built-in formats loaded
    with pytest.raises(ValueError, match="output format 'html' is already registered"):
        registry.register(type("Other", (registry.Format,), {"name": "html", "suffix": ".h"}))


def _format_name_comparisons(source: str) -> list[int]:
    """Lines of ``source`` that compare a format (a variable or attribute named ``fmt``,
    ``format``, ``*_format`` or ``layout.name``) with a format's name: ``fmt == "html"``,
    ``args.format in ("html", "notebook")``.  (A notebook cell's ``"markdown"`` type is not a
    format.)"""
    import ast

    names = set(format_names())

    def is_format(node: ast.AST) -> bool:
        name = node.id if isinstance(node, ast.Name) else (
            node.attr if isinstance(node, ast.Attribute) else "")
        return name in ("fmt", "format", "name") or name.endswith(("_fmt", "_format"))

    def is_format_name(node: ast.AST) -> bool:
        items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
        return any(isinstance(i, ast.Constant) and i.value in names for i in items)

    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Compare)
            and any(is_format(a) and is_format_name(b) or is_format(b) and is_format_name(a)
                    for a, b in zip((node.left, *node.comparators[:-1]), node.comparators,
                                    strict=True))]


def test_nothing_branches_on_a_formats_name():
    """Callers ask a format what it does (shows_figures, takes_mathjax, index_name), never
    which one it is: no module of the package compares a format with a format's name."""
    from pathlib import Path

    import membranelab

    assert _format_name_comparisons(
        'if fmt == "html": pass\nok = args.format in ("terminal",)\n'
        'k = "html" != layout.name\ncell = c.get("cell_type") in ("code", "markdown")\n'
    ) == [1, 2, 3]
    package = Path(membranelab.__file__).parent
    found = [f"{path.relative_to(package)}:{line}" for path in sorted(package.rglob("*.py"))
             for line in _format_name_comparisons(path.read_text("utf-8"))]
    assert found == []
