"""The static site of ``membranelab render``: one page per problem, a document of any of the
bank's output formats (Markdown, HTML, a read-only notebook, terminal text:
:mod:`membranelab.bank.render`) written into a folder, and for HTML an ``index.html`` listing every
page there by topic.

Pages show a student's variant (``--student``) or the canonical one, with the worked solution when
asked; HTML pages load MathJax from the CDN or from ``--mathjax`` (see :func:`mathjax_url`).
Every file is written atomically (:func:`membranelab.atomic.atomic_write_text`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from membranelab.atomic import atomic_write_text
from membranelab.bank.render.model import topic_name
from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.service.problems import variant_for

if TYPE_CHECKING:
    from membranelab.bank import Bank, Problem, Variant

__all__ = ["index_page", "mathjax_url", "page_name", "problem_page", "write_site"]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "x"


def mathjax_url(value: str | None, out_dir: Path) -> str | None:
    """Where rendered pages load MathJax from: None (the CDN); a URL as written; an existing file
    inside ``out_dir`` as a link relative to the pages, elsewhere as a ``file://`` URL; any other
    path as written (resolved by the browser relative to the pages)."""
    if not value:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        return value  # http:, https:, file:, data: ...
    path = Path(value).expanduser()
    if not path.is_file():
        return value
    try:
        return path.resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def _header(problem: Problem, student: str | None, assignment: str,
            lang: str = "en") -> tuple[str, str]:
    """A page's navigation (a link back to index.html) and its meta line (topic, variant, id),
    as HTML."""
    who = (gettext("browse.variant_of", lang, student=student, assignment=assignment) if student
           else gettext("browse.canonical", lang))
    topic = gettext("browse.topic_meta", lang, topic=topic_name(problem.topic, lang))
    meta = (f'<p class="meta">{html.escape(topic)} · {html.escape(who)} · '
            f"<code>{html.escape(problem.id)}</code></p>\n")
    back = html.escape(gettext("browse.all_problems", lang))
    return f'<nav><a href="index.html">{back}</a></nav>\n', meta


def index_page(entries: Sequence[tuple[Problem, str]], student: str | None, assignment: str,
               solution: bool, mathjax: str | None, lang: str = "en") -> str:
    """index.html: every (problem, page file name) of ``entries``, by topic, linked by title."""
    from membranelab.bank.render import html_page

    def _(key: str, **params: Any) -> str:
        return html.escape(gettext(key, lang, **params))

    who = (_("browse.index_variants_of", student=student, assignment=assignment) if student
           else _("browse.index_canonical"))
    rows = []
    for problem, name in sorted(entries, key=lambda e: (e[0].topic, e[0].title.lower())):
        points = sum(part.points for part in problem.parts)
        rows.append(f'<tr><td><a href="{html.escape(quote(name))}">{html.escape(problem.title)}'
                    f"</a></td><td>{html.escape(topic_name(problem.topic, lang))}</td><td><code>"
                    f"{html.escape(problem.id)}</code></td><td>{len(problem.parts)}</td>"
                    f"<td>{points:g}</td></tr>")
    with_solutions = f" · {_('browse.index_with_solutions')}" if solution else ""
    count = (_("browse.index_count_one") if len(entries) == 1
             else _("browse.index_count", n=len(entries)))
    head = "".join(f"<th>{_(key)}</th>" for key in ("browse.col_problem", "browse.col_topic",
                                                    "browse.col_id", "browse.col_parts",
                                                    "browse.col_points"))
    body = (f"<h1>{_('browse.index_title')}</h1>\n"
            f'<p class="meta">{who}{with_solutions} · {count}</p>\n'
            f'<table class="index">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>\n")
    return html_page(gettext("browse.index_title", lang), body, mathjax=mathjax, lang=lang)


def page_name(problem: Problem, student: str | None, suffix: str) -> str:
    """File name of a problem's page: id, the student's slug when not canonical, suffix."""
    return problem.id + (f"-{_slug(student)}" if student else "") + suffix


def problem_page(variant: Variant, fmt: str, *, student: str | None, assignment: str,
                 solution: bool, mathjax: str | None, figures_dir: Path,
                 lang: str = "en") -> str:
    """One problem's page, the document of the format ``fmt``: its statement, then its worked
    solution if ``solution`` (figures drawn into ``figures_dir``, beside the page that links them,
    when the format links figures)."""
    from membranelab.bank.render import build, get_format

    layout = get_format(fmt)
    view = build(variant, solution=solution,
                 figures_dir=figures_dir if layout.links_figures else None)
    nav, meta = _header(variant.problem, student, assignment, lang)  # in the page's language
    return layout.document(view, mathjax=mathjax, nav=nav, meta=meta)


def _write(target: Path, text: str) -> None:
    try:
        atomic_write_text(target, text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise CliError("cli.cannot_write", path=str(target), reason=exc.strerror or str(exc)) from None


def write_site(bank: Bank, problems: Sequence[Problem], out_dir: Path, *, fmt: str,
               student: str | None, assignment: str, solution: bool,
               mathjax: str | None = None, lang: str = "en") -> list[str]:
    """Write each of ``problems``' pages into ``out_dir``; returns the names written.

    In HTML, ``index.html`` lists this run's pages and those of earlier runs beside them (every
    problem of ``bank`` whose page is in ``out_dir``); ``mathjax`` as :func:`mathjax_url` reads it.
    """
    from membranelab.bank.render import get_format

    mathjax = mathjax_url(mathjax, out_dir)
    suffix = get_format(fmt).suffix
    written = []
    for problem in problems:
        variant = variant_for(problem, student, assignment, lang=lang)
        name = page_name(problem, student, suffix)
        _write(out_dir / name, problem_page(variant, fmt, student=student, assignment=assignment,
                                            solution=solution, mathjax=mathjax,
                                            figures_dir=out_dir, lang=lang))
        written.append(name)
    if fmt == "html":
        listed = [(p.localized(lang), page_name(p, student, suffix))
                  for p in bank.problems.values()
                  if (out_dir / page_name(p, student, suffix)).is_file()]
        _write(out_dir / "index.html",
               index_page(listed, student, assignment, solution, mathjax, lang))
    return written
