"""Statements and worked solutions of a variant as Markdown, HTML (MathJax-ready) and notebook cells.

* Markdown keeps TeX math as written (``$...$`` and ``$$...$$``).
* HTML is rendered with markdown-it-py and the dollarmath plugin: inline math becomes
  ``<span class="math inline">\\(...\\)</span>``, display math ``<div class="math display">\\[...\\]
  </div>``.  Inside math only ``&``, ``<`` and ``>`` become entities; the TeX is otherwise verbatim
  (Markdown emphasis, ``_``, ``*`` and backslash escapes do not apply there).  ``standalone=True``
  wraps the fragment in a full page (:func:`html_page`): a small stylesheet, and MathJax 3 loaded
  from the CDN or from any ``mathjax=`` URL (a local copy, for teachers without internet).
* In HTML a solution's answers are a table (numbers in e-notation as powers of ten), and an image
  alone in its paragraph becomes a ``<figure>``.
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

from membranelab.formulas import formula_latex
from membranelab.messages import gettext
from membranelab.physics.errata import source_errata
from membranelab.physics.units import from_si, is_dimensionless

from .errata_text import erratum_text
from .model import format_plain, format_sig
from .template import Placeholder, substitute
from .variants import Variant
from .view import MathView, QuantityView

__all__ = ["render_statement", "render_solution", "notebook_cells", "to_html", "html_page",
           "mathjax_tags", "MATHJAX", "MATHJAX_URL", "PAGE_CSS"]

#: Where full HTML pages load MathJax 3 from unless told otherwise.
MATHJAX_URL = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"

_MATHJAX_CONFIG = ('<script>window.MathJax = {tex: {inlineMath: [["\\\\(", "\\\\)"]], '
                   'displayMath: [["\\\\[", "\\\\]"]]}};</script>')


def mathjax_tags(url: str | None = None) -> str:
    """Script tags that configure MathJax 3 for ``\\(..\\)`` and ``\\[..\\]`` and load it from
    ``url`` (default :data:`MATHJAX_URL`; the ``tex-chtml.js`` or ``tex-svg.js`` of any copy)."""
    src = html.escape(url or MATHJAX_URL, quote=True)
    return f'{_MATHJAX_CONFIG}\n<script id="MathJax-script" async src="{src}"></script>'


#: Script tags that load MathJax 3 from the CDN (put in full HTML pages).
MATHJAX = mathjax_tags()

_SANS = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif'
# Simplified-Chinese pages (lang="zh-Hans"): Noto CJK / Source Han (Linux, Debian fonts-noto-cjk),
# then the system fonts of macOS and Windows; Latin letters and digits keep the Latin font.
_CJK_SANS = ('system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Source Han Sans SC", '
             '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif')
_CJK_SERIF = ('Georgia, "Times New Roman", "Noto Serif CJK SC", "Source Han Serif SC", '
              '"Songti SC", SimSun, "Noto Sans CJK SC", serif')

#: The ``lang`` attribute of a page in each language of the bank.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}

#: The stylesheet of full HTML pages: a readable column, tables, figures; wide math scrolls.
PAGE_CSS = f"""\
body {{ max-width: 46rem; margin: 2rem auto 4rem; padding: 0 1.25rem; color: #1d1d1f;
       background: #fff; font: 17px/1.6 Georgia, "Times New Roman", serif; }}
h1, h2, h3, nav, .meta, th {{ font-family: {_SANS}; }}
h1 {{ font-size: 1.6rem; line-height: 1.25; margin: 1.25rem 0 0.5rem; }}
h2 {{ font-size: 1.25rem; line-height: 1.3; margin: 1.75rem 0 0.5rem; }}
nav, .meta {{ font-size: 0.9rem; color: #555; }}
a {{ color: #0b5cad; }}
hr {{ border: 0; border-top: 1px solid #ccc; margin: 2.5rem 0; }}
code {{ font-size: 0.88em; background: #f3f3f5; padding: 0.05em 0.3em; border-radius: 3px; }}
.math.display {{ display: block; overflow-x: auto; overflow-y: hidden; margin: 1rem 0; }}
figure {{ margin: 1.5rem 0; text-align: center; }}
figure img {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }}
th, td {{ border: 1px solid #d0d0d7; padding: 0.35rem 0.7rem; text-align: left;
         vertical-align: top; }}
th {{ background: #f3f3f5; font-weight: 600; }}
tbody tr:nth-child(even) {{ background: #fafafc; }}
td.value, td code {{ white-space: nowrap; }}
html:lang(zh-Hans) body {{ font-family: {_CJK_SERIF}; line-height: 1.75; }}
html:lang(zh-Hans) h1, html:lang(zh-Hans) h2, html:lang(zh-Hans) h3, html:lang(zh-Hans) nav,
html:lang(zh-Hans) .meta, html:lang(zh-Hans) th {{ font-family: {_CJK_SANS}; }}
"""

_FORMATS = ("markdown", "html")


def _tex_escape(content: str) -> str:
    """TeX for an HTML text node: only ``&``, ``<``, ``>`` become entities (MathJax reads the
    decoded text); quotes, backslashes and braces stay as written."""
    return html.escape(content.strip(), quote=False)


def _inline_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f'<span class="math inline">\\({_tex_escape(tokens[idx].content)}\\)</span>'


def _display_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f'<div class="math display">\\[{_tex_escape(tokens[idx].content)}\\]</div>\n'


def _display_math_in_line(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    # ``$$..$$`` inside a paragraph: a block-level span (a <div> may not sit in a <p>)
    return f'<span class="math display">\\[{_tex_escape(tokens[idx].content)}\\]</span>'


@lru_cache(maxsize=1)
def _html_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(dollarmath_plugin, double_inline=True, allow_labels=False)
    # One wrapper per formula (the plugin's own rules nest a second one around a renderer's).
    md.add_render_rule("math_inline", _inline_math)
    md.add_render_rule("math_inline_double", _display_math_in_line)
    md.add_render_rule("math_block", _display_math)
    return md


_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_HTML_MATH_SPLIT = re.compile(r"(\\\(.*?\\\)|\\\[.*?\\\])", re.S)
_TEXT_MINUS = re.compile(r"(?<![\w.\-])-(?=\d)")
_IMAGE_PARAGRAPH = re.compile(r"<p>(<img [^>]*>)</p>")


def _prose_minus(fragment: str) -> str:
    """A hyphen right before a number in prose becomes a minus sign (math, code and tags kept)."""
    out, in_code = [], 0
    for piece in _TAG_SPLIT.split(fragment):
        if piece.startswith("<"):
            low = piece.lower()
            if low.startswith(("<code", "<pre")):
                in_code += 1
            elif low.startswith(("</code", "</pre")):
                in_code = max(0, in_code - 1)
            out.append(piece)
        elif in_code:
            out.append(piece)
        else:
            out.append("".join(seg if i % 2 else _TEXT_MINUS.sub("\u2212", seg)
                               for i, seg in enumerate(_HTML_MATH_SPLIT.split(piece))))
    return "".join(out)


def to_html(markdown: str) -> str:
    """An HTML fragment of ``markdown``, math intact for MathJax (raw HTML is escaped); an image
    alone in its paragraph becomes a ``<figure>``."""
    fragment = _IMAGE_PARAGRAPH.sub(r'<figure class="figure">\1</figure>',
                                    _html_md().render(markdown))
    return _prose_minus(fragment)


def html_page(title: str, body_html: str, *, mathjax: str | None = None, lang: str = "en") -> str:
    """A complete HTML page around ``body_html``: the stylesheet, and MathJax 3 loaded from
    ``mathjax`` (default :data:`MATHJAX_URL`); ``lang`` (``en``/``zh``) sets the page's language
    (``zh``: ``lang="zh-Hans"``, a CJK font stack)."""
    return (f'<!DOCTYPE html>\n<html lang="{HTML_LANG.get(lang, "en")}">\n<head>\n'
            f'<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{PAGE_CSS}</style>\n"
            f"{mathjax_tags(mathjax)}\n</head>\n<body>\n{body_html}</body>\n</html>\n")


#: Units an erratum's values print with their symbol.
_UNIT_SYMBOLS = {"angstrom": "Å", "degC": "°C", "um": "µm", "uM": "µM"}


def _erratum_text(eid: str, lang: str = "en") -> str:
    e = source_errata()[eid]
    words = erratum_text(eid, lang)

    def value(pair: tuple[float, str]) -> str:
        unit = "" if is_dimensionless(pair[1]) else f" {_UNIT_SYMBOLS.get(pair[1], pair[1])}"
        return f"{format_plain(pair[0])}{unit}"

    numbers = [gettext("render.erratum.stated", lang, value=value(e.stated))] if e.stated else []
    numbers += ([gettext("render.erratum.correct", lang, value=value(e.correct))]
                if e.correct else [])
    values = gettext("render.erratum.list_separator", lang).join(numbers)
    if numbers and words.quantity:
        values = gettext("render.erratum.quantity", lang, quantity=words.quantity, values=values)
    title = e.source.title_zh if lang == "zh" else e.source.title
    section = e.section_zh if lang == "zh" else e.section
    source = (gettext("render.erratum.source_section", lang, title=title, section=section)
              if section else gettext("render.erratum.source", lang, title=title))
    quote = gettext("render.erratum.quote", lang, quote=words.quote.strip()) if words.quote else ""
    key = "render.erratum.numbers" if numbers else "render.erratum"
    return gettext(key, lang, source=source, quote=quote, claim=words.claim, values=values,
                   why=words.why.strip())


def _resolver(variant: Variant, figures: dict[str, str]):
    problem = variant.problem
    lang = problem.lang
    answers = variant.answers()
    derived = {d.name: d for d in problem.derived}

    def resolve(ph: Placeholder) -> str:
        if ph.prefix == "formula":
            return formula_latex(ph.name)
        if ph.prefix == "erratum":
            return _erratum_text(ph.name, lang)
        if ph.prefix == "figure":
            fig = next(f for f in problem.figures if f.id == ph.name)
            if ph.name in figures:
                return f"![{fig.caption}]({figures[ph.name]})"
            return f"*{gettext('render.figure', lang, caption=fig.caption)}*"
        name = ph.name
        if ph.unit is not None:
            return format_sig(from_si(variant.values[name], ph.unit), ph.sigfigs or 3)
        if name in problem.params:
            return problem.params[name].display(variant.params[name])
        if name in answers:
            part = problem.part(name)
            return part.answer_kind.placeholder(part, answers[name], ph.sigfigs)
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


def fill_text(variant: Variant, template: str, figures: dict[str, str] | None = None) -> str:
    """``template`` (a prompt, hint or body) with every ``{{placeholder}}`` filled for ``variant``;
    numbers in e-notation that land inside math are typeset as powers of ten."""
    return _tex_numbers(substitute(template, _resolver(variant, figures or {})))



def _letter(i: int) -> str:
    return chr(ord("a") + i)


def _part_markdown(variant: Variant, i: int) -> str:
    part = variant.problem.parts[i]
    lang = variant.problem.lang
    lines = [f"**({_letter(i)})** {fill_text(variant, part.prompt)}"]
    note = part.answer_kind.prompt_note(lang)
    if note:
        lines[0] += f" *{note}*"
    lines.extend(f"   - {c}" for c in part.answer_kind.options)
    return "\n".join(lines)


def _statement_markdown(variant: Variant) -> str:
    problem = variant.problem
    parts = "\n\n".join(_part_markdown(variant, i) for i in range(len(problem.parts)))
    return f"# {problem.title}\n\n{fill_text(variant, problem.body).strip()}\n\n{parts}\n"


def _check_fmt(fmt: str) -> None:
    if fmt not in _FORMATS:
        raise ValueError(f"fmt must be one of {_FORMATS}, got {fmt!r}")


def render_statement(variant: Variant, fmt: str = "markdown", *, standalone: bool = False,
                     mathjax: str | None = None) -> str:
    """The statement of ``variant`` (body and parts) as Markdown or HTML (``standalone``: a full
    page loading MathJax from ``mathjax``, default the CDN)."""
    _check_fmt(fmt)
    text = _statement_markdown(variant)
    if fmt == "markdown":
        return text
    body = to_html(text)
    return (html_page(variant.problem.title, body, mathjax=mathjax, lang=variant.problem.lang)
            if standalone else body)


def _answers_markdown(variant: Variant) -> str:
    lang = variant.problem.lang
    lines = [f"## {gettext('render.answers', lang)}", ""]
    for i, part in enumerate(variant.problem.parts):
        view = part.answer_kind.answer_view(part, variant.answers()[part.id], lang)
        if isinstance(view, QuantityView):
            text = view.number if view.unit is None else f"{view.number} {view.unit}"
        elif isinstance(view, MathView):
            typed = gettext("render.typed", lang, text=f"`{view.typed}`")
            text = f"${view.latex}$ ({typed})"
        else:
            text = view.text
        lines.append(f"- ({_letter(i)}) {text}")
    return "\n".join(lines) + "\n"


_E_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)e([+-]?)0*(\d+)$")


def _html_number(text: str) -> str:
    """A number for HTML prose: e-notation as a power of ten, a minus sign for a leading hyphen."""
    m = _E_NUMBER.match(text.strip())
    if m:
        sign = "\u2212" if m.group(2) == "-" else ""
        text = f"{m.group(1)}\u2009×\u200910<sup>{sign}{m.group(3)}</sup>"
    else:
        text = html.escape(text)
    return "\u2212" + text[1:] if text.startswith("-") else text


def _answers_html(variant: Variant) -> str:
    lang = variant.problem.lang
    rows = []
    for i, part in enumerate(variant.problem.parts):
        view = part.answer_kind.answer_view(part, variant.answers()[part.id], lang)
        if isinstance(view, QuantityView):
            unit = "" if view.unit is None else f"\u00a0{html.escape(view.unit)}"
            cell = f'<td class="value">{_html_number(view.number)}{unit}</td>'
        elif isinstance(view, MathView):
            typed = html.escape(gettext("render.typed", lang, text="\x00")).replace(
                "\x00", f"<code>{html.escape(view.typed)}</code>")
            cell = (f'<td><span class="math inline">\\({_tex_escape(view.latex)}'
                    f'\\)</span><br><span class="meta">{typed}</span></td>')
        else:
            cell = f"<td>{html.escape(view.text)}</td>"
        rows.append(f"<tr><td>({_letter(i)})</td>{cell}</tr>")
    head = (f'<h2 id="answers">{html.escape(gettext("render.answers", lang))}</h2>\n'
            f'<table class="answers">\n<thead><tr><th>{html.escape(gettext("render.part", lang))}'
            f'</th><th>{html.escape(gettext("render.answer", lang))}</th></tr></thead>\n<tbody>\n')
    return head + "\n".join(rows) + "\n</tbody>\n</table>\n"


def render_solution(variant: Variant, fmt: str = "markdown", figures_dir: str | Path | None = None,
                    *, standalone: bool = False, mathjax: str | None = None) -> str:
    """The worked solution of ``variant`` with its numbers, as Markdown or HTML.

    With ``figures_dir`` the solution's figures are drawn there (PNG) and linked by file name
    relative to that folder (write the page into the same folder).  In HTML the answers are a
    table; ``standalone`` gives a full page loading MathJax from ``mathjax`` (default the CDN).
    """
    _check_fmt(fmt)
    figures: dict[str, str] = {}
    if figures_dir is not None and variant.problem.figures:
        from .figures import draw_figures

        figures = draw_figures(variant, Path(figures_dir))
    problem = variant.problem
    title = gettext("render.solution_title", problem.lang, title=problem.title)
    text = f"# {title}\n\n{fill_text(variant, problem.solution, figures).strip()}\n"
    if fmt == "markdown":
        return f"{text}\n{_answers_markdown(variant)}"
    body = to_html(text) + _answers_html(variant)
    return (html_page(title, body, mathjax=mathjax, lang=problem.lang) if standalone
            else body)


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
        hint = part.answer_kind.cell_hint(problem.lang)
        comment = gettext("render.cell_comment", problem.lang, letter=_letter(i), hint=hint)
        cells.append(nbf.new_code_cell(f"# {comment}\nanswer_{part.id} = \"\"", metadata=pm))
    return cells
