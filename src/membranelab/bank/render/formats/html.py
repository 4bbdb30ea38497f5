"""HTML fragments and pages, math left for MathJax 3.

Rendered from the Markdown format with markdown-it-py and the dollarmath plugin: inline math
becomes ``<span class="math inline">\\(...\\)</span>``, display math ``<div class="math display">
\\[...\\]</div>``.  Inside math only ``&``, ``<`` and ``>`` become entities; the TeX is otherwise
verbatim (Markdown emphasis, ``_``, ``*`` and backslash escapes do not apply there).  Raw HTML in
bank text is escaped.  A solution's answers are a table (numbers in e-notation as powers of ten),
and an image alone in its paragraph becomes a ``<figure>``.  ``standalone=True`` wraps a fragment
in a full page (:func:`html_page`): a small stylesheet, and MathJax 3 loaded from the CDN or from
any ``mathjax=`` URL (a local copy, for teachers without internet).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from membranelab.grading.numformat import MINUS, split_e
from membranelab.messages import gettext

from ...view import AnswerView, MathView, QuantityView, TextView
from ..model import RenderedVariant
from ..registry import Format, register
from .markdown import rendered_solution, solution_body, statement_markdown

__all__ = ["HTML_LANG", "MATHJAX", "MATHJAX_URL", "PAGE_CSS", "Html", "answer_cell",
           "html_number", "html_page", "mathjax_tags", "to_html"]

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


def html_number(text: str) -> str:
    """A number for HTML prose: e-notation as a power of ten, a minus sign for a leading hyphen."""
    parts = split_e(text)
    if parts:
        mantissa, exponent = parts
        text = f"{mantissa}\u2009×\u200910<sup>{exponent.replace('-', MINUS)}</sup>"
    else:
        text = html.escape(text)
    return MINUS + text[1:] if text.startswith("-") else text


def answer_cell(answer: AnswerView, lang: str) -> str:
    """A reference answer as a table cell (``<td>...</td>``)."""
    if isinstance(answer, QuantityView):
        unit = "" if answer.unit is None else f"\u00a0{html.escape(answer.unit)}"
        return f'<td class="value">{html_number(answer.number)}{unit}</td>'
    if isinstance(answer, MathView):
        typed = html.escape(gettext("render.typed", lang, text="\x00")).replace(
            "\x00", f"<code>{html.escape(answer.typed)}</code>")
        return (f'<td><span class="math inline">\\({_tex_escape(answer.latex)}'
                f'\\)</span><br><span class="meta">{typed}</span></td>')
    if isinstance(answer, TextView):
        return f"<td>{html.escape(answer.text)}</td>"
    raise TypeError(f"no HTML for {type(answer).__name__}")


def _answers_table(view: RenderedVariant) -> str:
    lang = view.lang
    rows = [f"<tr><td>({a.letter})</td>{answer_cell(a.view, lang)}</tr>"
            for a in rendered_solution(view).answers]
    head = (f'<h2 id="answers">{html.escape(gettext("render.answers", lang))}</h2>\n'
            f'<table class="answers">\n<thead><tr><th>{html.escape(gettext("render.part", lang))}'
            f'</th><th>{html.escape(gettext("render.answer", lang))}</th></tr></thead>\n<tbody>\n')
    return head + "\n".join(rows) + "\n</tbody>\n</table>\n"


@register
class Html(Format):
    """HTML (``.html``): fragments, or full pages with ``standalone=True`` (MathJax from
    ``mathjax=``, default the CDN)."""

    name = "html"
    suffix = ".html"

    def statement(self, view: RenderedVariant, *, standalone: bool = False,
                  mathjax: str | None = None, **options: Any) -> str:
        body = to_html(statement_markdown(view))
        return (html_page(view.title, body, mathjax=mathjax, lang=view.lang) if standalone
                else body)

    def solution(self, view: RenderedVariant, *, standalone: bool = False,
                 mathjax: str | None = None, **options: Any) -> str:
        body = to_html(solution_body(view)) + _answers_table(view)
        return (html_page(rendered_solution(view).title, body, mathjax=mathjax, lang=view.lang)
                if standalone else body)

    def document(self, view: RenderedVariant, *, mathjax: str | None = None, nav: str = "",
                 meta: str = "", **options: Any) -> str:
        """A full page: ``nav`` (HTML) above the statement, ``meta`` (HTML) under its title, the
        solution after a rule when ``view`` has one."""
        body = self.statement(view)
        if view.solution is not None:
            body += "\n<hr>\n" + self.solution(view)
        head, sep, rest = body.partition("</h1>\n")
        body = f"{head}{sep}{meta}{rest}" if sep else meta + body
        return html_page(view.title, nav + body, mathjax=mathjax, lang=view.lang)
