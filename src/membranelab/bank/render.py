"""Statements and worked solutions of a variant as Markdown, HTML (MathJax-ready) and notebook cells.

* Markdown keeps TeX math as written (``$...$`` and ``$$...$$``).
* HTML is rendered with markdown-it-py and the dollarmath plugin: inline math becomes
  ``<span class="math inline">\\(...\\)</span>``, display math ``<div class="math display">\\[...\\]
  </div>``; ``standalone=True`` wraps the fragment in a full page that loads MathJax 3.
* :func:`notebook_cells` gives nbformat v4 cells: the statement, then per part its prompt and a code
  cell holding ``answer_<part> = ""`` (metadata ``membranelab: {problem, part, variant}``).

Figures (``{{figure:<id>}}``) are drawn with matplotlib (Agg) into ``figures_dir`` when it is given,
as ``<problem>-<variant key>-<figure>.png``; without it the caption stands in for the picture.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from membranelab.formulas import FORMULAS
from membranelab.physics.errata import source_errata

from .model import format_plain, format_sig
from .template import Placeholder, substitute
from .units import from_si
from .variants import Variant

__all__ = ["render_statement", "render_solution", "notebook_cells", "to_html", "html_page",
           "MATHJAX"]

#: Script tags that load MathJax 3 for ``\(..\)`` and ``\[..\]`` (put in full HTML pages).
MATHJAX = (
    '<script>window.MathJax = {tex: {inlineMath: [["\\\\(", "\\\\)"]], '
    'displayMath: [["\\\\[", "\\\\]"]]}};</script>\n'
    '<script id="MathJax-script" async '
    'src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>'
)

_FORMATS = ("markdown", "html")


def _math_renderer(content: str, options: dict[str, Any]) -> str:
    text = html.escape(content.strip())
    if options.get("display_mode"):
        return f'<div class="math display">\\[{text}\\]</div>\n'
    return f'<span class="math inline">\\({text}\\)</span>'


@lru_cache(maxsize=1)
def _html_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.use(dollarmath_plugin, double_inline=True, renderer=_math_renderer)


def to_html(markdown: str) -> str:
    """An HTML fragment of ``markdown``, math intact for MathJax (raw HTML is escaped)."""
    return _html_md().render(markdown)


def html_page(title: str, body_html: str) -> str:
    """A complete HTML page around ``body_html`` that loads MathJax."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n{MATHJAX}\n</head>\n<body>\n{body_html}"
            f"</body>\n</html>\n")


def formula_latex(name: str) -> str:
    """LaTeX of a formula of :data:`FORMULAS`, with the natural log written ``\\ln``."""
    return FORMULAS[name].latex.replace(r"\log{", r"\ln{")


def _erratum_text(eid: str) -> str:
    e = source_errata()[eid]
    stated = f" (stated: {format_plain(e.stated[0])} {e.stated[1]}" if e.stated else ""
    correct = (f"; correct: {format_plain(e.correct[0])} {e.correct[1]})" if e.correct
               else (")" if stated else ""))
    return (f"**Erratum `{e.id}`** ({e.document}). The document says: {e.claim}"
            f"{stated}{correct}. {e.why.strip()}")


def _resolver(variant: Variant, figures: dict[str, str]):
    problem = variant.problem
    answers = variant.answers()
    derived = {d.name: d for d in problem.derived}

    def resolve(ph: Placeholder) -> str:
        if ph.prefix == "formula":
            return formula_latex(ph.name)
        if ph.prefix == "erratum":
            return _erratum_text(ph.name)
        if ph.prefix == "figure":
            fig = next(f for f in problem.figures if f.id == ph.name)
            if ph.name in figures:
                return f"![{fig.caption}]({figures[ph.name]})"
            return f"*Figure: {fig.caption}*"
        name = ph.name
        if ph.unit is not None:
            return format_sig(from_si(variant.values[name], ph.unit), ph.sigfigs or 3)
        if name in problem.params:
            return problem.params[name].display(variant.params[name])
        if name in answers:
            ans = answers[name]
            if ans.kind == "symbolic":
                return formula_latex(problem.part(name).formula)
            if ans.kind == "numeric" and ph.sigfigs:
                return format_sig(ans.value, ph.sigfigs)
            return ans.text
        unit = derived[name].unit
        return format_sig(from_si(variant.values[name], unit), ph.sigfigs or 3)

    return resolve


_MATH_SPAN = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
_E_NOTATION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)e([+-]?)0*(\d+)(?![\w.])")


def _tex_numbers(text: str) -> str:
    """Numbers in e-notation inside ``$...$`` / ``$$...$$`` typeset as a x 10^{b}."""
    def one_span(span: re.Match[str]) -> str:
        return _E_NOTATION.sub(
            lambda m: rf"{m.group(1)} \times 10^{{{'-' if m.group(2) == '-' else ''}{m.group(3)}}}",
            span.group(0))

    return _MATH_SPAN.sub(one_span, text)


def unit_text(unit: str) -> str:
    """A unit as a reader sees it in Markdown: products with a middle dot (J/(K·s))."""
    return unit.replace("*", "·")


def fill_text(variant: Variant, template: str, figures: dict[str, str] | None = None) -> str:
    """``template`` (a prompt, hint or body) with every ``{{placeholder}}`` filled for ``variant``;
    numbers in e-notation that land inside math are typeset as powers of ten."""
    return _tex_numbers(substitute(template, _resolver(variant, figures or {})))


def _dimensionless(unit: str | None) -> bool:
    return unit in (None, "", "1", "dimensionless")


def _letter(i: int) -> str:
    return chr(ord("a") + i)


def _part_markdown(variant: Variant, i: int) -> str:
    part = variant.problem.parts[i]
    lines = [f"**({_letter(i)})** {fill_text(variant, part.prompt)}"]
    if part.kind == "numeric":
        lines[0] += (" *(a pure number)*" if _dimensionless(part.unit)
                     else f" *(answer in {unit_text(part.unit)})*")
    elif part.kind == "choice":
        lines.extend(f"   - {c}" for c in part.choices)
    return "\n".join(lines)


def _statement_markdown(variant: Variant) -> str:
    problem = variant.problem
    parts = "\n\n".join(_part_markdown(variant, i) for i in range(len(problem.parts)))
    return f"# {problem.title}\n\n{fill_text(variant, problem.body).strip()}\n\n{parts}\n"


def _check_fmt(fmt: str) -> None:
    if fmt not in _FORMATS:
        raise ValueError(f"fmt must be one of {_FORMATS}, got {fmt!r}")


def render_statement(variant: Variant, fmt: str = "markdown", *, standalone: bool = False) -> str:
    """The statement of ``variant`` (body and parts) as Markdown or HTML."""
    _check_fmt(fmt)
    text = _statement_markdown(variant)
    if fmt == "markdown":
        return text
    body = to_html(text)
    return html_page(variant.problem.title, body) if standalone else body


def _answers_markdown(variant: Variant) -> str:
    lines = ["## Answers", ""]
    for i, part in enumerate(variant.problem.parts):
        ans = variant.answers()[part.id]
        if ans.kind == "numeric":
            text = ans.text if _dimensionless(ans.unit) else f"{ans.text} {unit_text(ans.unit)}"
        elif ans.kind == "symbolic":
            text = f"${formula_latex(part.formula)}$ (typed: `{ans.text}`)"
        else:
            text = ans.text
        lines.append(f"- ({_letter(i)}) {text}")
    return "\n".join(lines) + "\n"


def render_solution(variant: Variant, fmt: str = "markdown", figures_dir: str | Path | None = None,
                    *, standalone: bool = False) -> str:
    """The worked solution of ``variant`` with its numbers, as Markdown or HTML.

    With ``figures_dir`` the solution's figures are drawn there (PNG) and linked by file name
    relative to that folder (write the page into the same folder).
    """
    _check_fmt(fmt)
    figures: dict[str, str] = {}
    if figures_dir is not None and variant.problem.figures:
        from .figures import draw_figures

        figures = draw_figures(variant, Path(figures_dir))
    problem = variant.problem
    text = (f"# Solution: {problem.title}\n\n{fill_text(variant, problem.solution, figures).strip()}"
            f"\n\n{_answers_markdown(variant)}")
    if fmt == "markdown":
        return text
    body = to_html(text)
    return html_page(f"Solution: {problem.title}", body) if standalone else body


def notebook_cells(variant: Variant) -> list:
    """nbformat v4 cells: the statement, then per part a prompt cell and an answer code cell."""
    import nbformat.v4 as nbf

    problem = variant.problem
    meta = {"problem": problem.id, "variant": variant.key}
    cells = [nbf.new_markdown_cell(f"# {problem.title}\n\n{fill_text(variant, problem.body).strip()}",
                                   metadata={"membranelab": dict(meta)})]
    for i, part in enumerate(problem.parts):
        pm = {"membranelab": dict(meta, part=part.id)}
        cells.append(nbf.new_markdown_cell(_part_markdown(variant, i), metadata=pm))
        hint = "a number with its unit" if part.kind == "numeric" else (
            "a formula" if part.kind == "symbolic" else "one of the choices, as written")
        cells.append(nbf.new_code_cell(f"# Part ({_letter(i)}): {hint}\nanswer_{part.id} = \"\"",
                                       metadata=pm))
    return cells
