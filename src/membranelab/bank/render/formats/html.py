"""HTML fragments and pages, math left for MathJax 3; every tag is in a Jinja template
(``membranelab/bank/render/templates``, autoescaped as the web front end's and the report's).

Rendered from the Markdown format with markdown-it-py and the dollarmath plugin: inline math
becomes ``<span class="math inline">\\(...\\)</span>``, display math ``<div class="math display">
\\[...\\]</div>``.  Inside math only ``&``, ``<`` and ``>`` become entities; the TeX is otherwise
verbatim (Markdown emphasis, ``_``, ``*`` and backslash escapes do not apply there).  Raw HTML in
bank text is escaped; a hyphen right before a number in prose becomes a minus sign.  A solution's
answers are a table (numbers in e-notation as powers of ten), and an image alone in its paragraph
becomes a ``<figure>``: the figures are drawn here, by whatever ``figures=`` links them
(:class:`membranelab.bank.figures.FigureFolder`).  ``standalone=True`` wraps a fragment in a full
page (:func:`html_page`): a small stylesheet, and MathJax 3 loaded from the CDN or from any
``mathjax=`` URL (a local copy, for teachers without internet).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin

from membranelab.grading.numformat import MINUS, split_e
from membranelab.messages import gettext

from ...view import AnswerView, MathView, QuantityView, TextView
from ..model import FigureLinks, PageHeader, RenderedIndex, RenderedVariant
from ..registry import Format, register
from .markdown import rendered_solution, solution_body, statement_markdown

__all__ = ["HTML_LANG", "MATHJAX", "MATHJAX_URL", "PAGE_CSS", "Html", "answer_cell",
           "html_number", "html_page", "mathjax_tags", "to_html"]

#: Where full HTML pages load MathJax 3 from unless told otherwise.
MATHJAX_URL = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"

#: The ``lang`` attribute of a page in each language of the bank.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    """The HTML templates, autoescaped (a value becomes markup only as a ``Markup``)."""
    return jinja2.Environment(loader=jinja2.PackageLoader("membranelab.bank.render", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def _render(name: str, **context: Any) -> Markup:
    return Markup(_templates().get_template(name).render(**context))


def _macro(name: str) -> Any:
    """A macro of ``fragments.html`` (a callable returning Markup)."""
    return getattr(_templates().get_template("fragments.html").module, name)


def mathjax_tags(url: str | None = None) -> str:
    """Script tags that configure MathJax 3 for ``\\(..\\)`` and ``\\[..\\]`` and load it from
    ``url`` (default :data:`MATHJAX_URL`; the ``tex-chtml.js`` or ``tex-svg.js`` of any copy)."""
    return _render("mathjax.html", url=url or MATHJAX_URL)


#: Script tags that load MathJax 3 from the CDN (put in full HTML pages).
MATHJAX = mathjax_tags()

#: The stylesheet of full HTML pages (``templates/page.css``): a readable column, tables,
#: figures; wide math scrolls.
PAGE_CSS: str = _templates().loader.get_source(_templates(), "page.css")[0]  # type: ignore[union-attr]


def _tex_escape(content: str) -> Markup:
    """TeX for an HTML text node: only ``&``, ``<``, ``>`` become entities (MathJax reads the
    decoded text); quotes, backslashes and braces stay as written."""
    return Markup(html.escape(content.strip(), quote=False))


def _inline_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return str(_macro("math_inline")(_tex_escape(tokens[idx].content)))


def _display_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return str(_macro("math_display")(_tex_escape(tokens[idx].content)))


def _display_math_in_line(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return str(_macro("math_display_in_line")(_tex_escape(tokens[idx].content)))


_TEXT_MINUS = re.compile(r"(?<![\w.\-])-(?=\d)")


def _prose_text(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Prose (never math or code: those are tokens of their own): escaped, and a hyphen right
    before a number becomes a minus sign."""
    return _TEXT_MINUS.sub("\u2212", escapeHtml(tokens[idx].content))


def _lone_images(state: Any) -> None:
    """Core rule: a paragraph holding only an image becomes one ``figure`` token (rendered by
    the ``figure`` macro around markdown-it's own ``<img>``)."""
    tokens, out, i = state.tokens, [], 0
    while i < len(tokens):
        token = tokens[i]
        if (token.type == "paragraph_open" and not token.hidden and i + 2 < len(tokens)
                and tokens[i + 1].type == "inline" and tokens[i + 2].type == "paragraph_close"
                and [c.type for c in tokens[i + 1].children or ()] == ["image"]):
            figure = Token("figure", "", 0)
            figure.children, figure.block, figure.map = tokens[i + 1].children, True, token.map
            out.append(figure)
            i += 3
            continue
        out.append(token)
        i += 1
    state.tokens = out


def _figure(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    image = Markup(self.renderInline(tokens[idx].children, options, env))
    return str(_macro("figure")(image))


@lru_cache(maxsize=1)
def _html_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(dollarmath_plugin, double_inline=True, allow_labels=False)
    # One wrapper per formula (the plugin's own rules nest a second one around a renderer's).
    md.add_render_rule("math_inline", _inline_math)
    md.add_render_rule("math_inline_double", _display_math_in_line)
    md.add_render_rule("math_block", _display_math)
    md.add_render_rule("text", _prose_text)
    md.core.ruler.push("lone_images", _lone_images)
    md.add_render_rule("figure", _figure)
    return md


def to_html(markdown: str) -> str:
    """An HTML fragment of ``markdown``, math intact for MathJax (raw HTML is escaped); an image
    alone in its paragraph becomes a ``<figure>``."""
    return _html_md().render(markdown)


def html_page(title: str, body_html: str, *, mathjax: str | None = None, lang: str = "en") -> str:
    """A complete HTML page around ``body_html``: the stylesheet, and MathJax 3 loaded from
    ``mathjax`` (default :data:`MATHJAX_URL`); ``lang`` (``en``/``zh``) sets the page's language
    (``zh``: ``lang="zh-Hans"``, a CJK font stack)."""
    return _render("page.html", title=title, body=Markup(body_html),
                   html_lang=HTML_LANG.get(lang, "en"), url=mathjax or MATHJAX_URL)


def _number(text: str) -> dict[str, Any]:
    """A number for HTML prose, cut for the ``number`` macro: a leading minus, the mantissa, and
    the power of ten of e-notation (None without)."""
    parts = split_e(text)
    mantissa, exponent = parts if parts else (text, None)
    return {"minus": mantissa.startswith("-"), "mantissa": mantissa.removeprefix("-"),
            "exponent": None if exponent is None else exponent.replace("-", MINUS)}


def html_number(text: str) -> str:
    """A number for HTML prose: e-notation as a power of ten, a minus sign for a leading hyphen."""
    return str(_macro("number")(_number(text)))


def _cell(answer: AnswerView, lang: str) -> dict[str, Any]:
    """What the ``answer_cell`` macro shows of a reference answer."""
    if isinstance(answer, QuantityView):
        return {"kind": "quantity", "number": _number(answer.number), "unit": answer.unit}
    if isinstance(answer, MathView):
        before, _, after = gettext("render.typed", lang, text="\x00").partition("\x00")
        return {"kind": "math", "tex": _tex_escape(answer.latex), "typed": answer.typed,
                "before": before, "after": after}
    if isinstance(answer, TextView):
        return {"kind": "text", "text": answer.text}
    raise TypeError(f"no HTML for {type(answer).__name__}")


def answer_cell(answer: AnswerView, lang: str) -> str:
    """A reference answer as a table cell."""
    return str(_macro("answer_cell")(_cell(answer, lang)))


def _answers(view: RenderedVariant) -> dict[str, Any]:
    lang = view.lang
    return {"headings": {"answers": gettext("render.answers", lang),
                         "part": gettext("render.part", lang),
                         "answer": gettext("render.answer", lang)},
            "rows": [{"letter": a.letter, "cell": _cell(a.view, lang)}
                     for a in rendered_solution(view).answers]}


@register
class Html(Format):
    """HTML (``.html``): fragments, or full pages with ``standalone=True`` (MathJax from
    ``mathjax=``, default the CDN); a solution's figures drawn by ``figures=``."""

    name = "html"
    suffix = ".html"
    shows_figures = True
    takes_mathjax = True
    index_name = "index.html"

    def statement(self, view: RenderedVariant, *, standalone: bool = False,
                  mathjax: str | None = None, **options: Any) -> str:
        body = to_html(statement_markdown(view))
        return (html_page(view.title, body, mathjax=mathjax, lang=view.lang) if standalone
                else body)

    def solution(self, view: RenderedVariant, *, standalone: bool = False,
                 mathjax: str | None = None, figures: FigureLinks | None = None,
                 **options: Any) -> str:
        body = _render("solution.html", body=Markup(to_html(solution_body(view, figures))),
                       **_answers(view))
        return (html_page(rendered_solution(view).title, body, mathjax=mathjax, lang=view.lang)
                if standalone else str(body))

    def document(self, view: RenderedVariant, *, mathjax: str | None = None,
                 header: PageHeader | None = None, figures: FigureLinks | None = None,
                 **options: Any) -> str:
        """A full page: ``header`` (a link back, a meta line under the title) around the
        statement, then the solution after a rule when ``view`` has one."""
        solution = (None if view.solution is None
                    else Markup(self.solution(view, figures=figures)))
        body = _render("document.html", header=header,
                       heading=Markup(to_html(f"# {view.title}\n")),
                       statement=Markup(to_html(statement_markdown(view, title=False))),
                       solution=solution)
        return html_page(view.title, body, mathjax=mathjax, lang=view.lang)

    def index(self, listing: RenderedIndex, *, mathjax: str | None = None,
              **options: Any) -> str:
        return html_page(listing.title, _render("index.html", index=listing), mathjax=mathjax,
                         lang=listing.lang)
