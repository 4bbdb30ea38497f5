"""The static site of ``membranelab render``: one page per problem, a document of any of the
bank's output formats (Markdown, HTML, a read-only notebook, terminal text:
:mod:`membranelab.bank.render`) written into a folder, and for a format that has one (HTML's
``index.html``) an index listing every page there by topic.  This module decides what a page and
the index say; the format lays them out (HTML in its templates).

Pages show a student's variant (``--student``) or the canonical one, with the worked solution when
asked; HTML pages load MathJax from the CDN or from ``--mathjax`` (see :func:`mathjax_url`).
Every file is written atomically (:func:`membranelab.atomic.atomic_write_text`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from membranelab.atomic import atomic_write_text
from membranelab.bank.figures import FigureFolder
from membranelab.bank.render.model import IndexEntry, PageHeader, RenderedIndex, topic_name
from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.messages.oserror import os_reason
from membranelab.service.problems import variant_for

if TYPE_CHECKING:
    from membranelab.bank import Bank, Problem, Variant

__all__ = ["index_page", "mathjax_url", "page_name", "problem_page", "site_index", "write_site"]


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
            lang: str = "en") -> PageHeader:
    """A page's link back to the index and its meta line (topic, variant, id)."""
    who = (gettext("browse.variant_of", lang, student=student, assignment=assignment) if student
           else gettext("browse.canonical", lang))
    topic = gettext("browse.topic_meta", lang, topic=topic_name(problem.topic, lang))
    return PageHeader(back=gettext("browse.all_problems", lang), href="index.html",
                      meta=(topic, who), problem_id=problem.id)


def site_index(entries: Sequence[tuple[Problem, str]], student: str | None, assignment: str,
               solution: bool, lang: str = "en") -> RenderedIndex:
    """The index of a site: every (problem, page file name) of ``entries``, by topic."""
    who = (gettext("browse.index_variants_of", lang, student=student, assignment=assignment)
           if student else gettext("browse.index_canonical", lang))
    count = (gettext("browse.index_count_one", lang) if len(entries) == 1
             else gettext("browse.index_count", lang, n=len(entries)))
    summary = (who, gettext("browse.index_with_solutions", lang), count) if solution else (
        who, count)
    rows = tuple(
        IndexEntry(href=quote(name), title=problem.title,
                   topic=topic_name(problem.topic, lang), problem_id=problem.id,
                   parts=len(problem.parts),
                   points=f"{sum(part.points for part in problem.parts):g}")
        for problem, name in sorted(entries, key=lambda e: (e[0].topic, e[0].title.lower())))
    columns = tuple(gettext(key, lang) for key in ("browse.col_problem", "browse.col_topic",
                                                   "browse.col_id", "browse.col_parts",
                                                   "browse.col_points"))
    return RenderedIndex(title=gettext("browse.index_title", lang), lang=lang, summary=summary,
                         columns=columns, entries=rows)


def index_page(entries: Sequence[tuple[Problem, str]], student: str | None, assignment: str,
               solution: bool, mathjax: str | None, lang: str = "en",
               fmt: str = "html") -> str:
    """The index of ``entries`` in the format ``fmt`` (HTML: index.html)."""
    from membranelab.bank.render import get_format

    return get_format(fmt).index(site_index(entries, student, assignment, solution, lang),
                                 mathjax=mathjax)


def page_name(problem: Problem, student: str | None, suffix: str) -> str:
    """File name of a problem's page: id, the student's slug when not canonical, suffix."""
    return problem.id + (f"-{_slug(student)}" if student else "") + suffix


def problem_page(variant: Variant, fmt: str, *, student: str | None, assignment: str,
                 solution: bool, mathjax: str | None, figures_dir: Path,
                 lang: str = "en") -> str:
    """One problem's page, the document of the format ``fmt``: its statement, then its worked
    solution if ``solution`` (a format that shows figures draws them into ``figures_dir``, beside
    the page that links them)."""
    from membranelab.bank.render import build, get_format

    view = build(variant, solution=solution)
    header = _header(variant.problem, student, assignment, lang)  # in the page's language
    return get_format(fmt).document(view, mathjax=mathjax, header=header,
                                    figures=FigureFolder(figures_dir))


def _write(target: Path, text: str) -> None:
    try:
        atomic_write_text(target, text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise CliError("cli.cannot_write", path=str(target), reason=os_reason(exc)) from None


def write_site(bank: Bank, problems: Sequence[Problem], out_dir: Path, *, fmt: str,
               student: str | None, assignment: str, solution: bool,
               mathjax: str | None = None, lang: str = "en") -> list[str]:
    """Write each of ``problems``' pages into ``out_dir``; returns the names written.

    In HTML, ``index.html`` lists this run's pages and those of earlier runs beside them (every
    problem of ``bank`` whose page is in ``out_dir``); ``mathjax`` as :func:`mathjax_url` reads it.
    """
    from membranelab.bank.render import get_format

    layout = get_format(fmt)
    mathjax = mathjax_url(mathjax, out_dir)
    suffix = layout.suffix
    written = []
    for problem in problems:
        variant = variant_for(problem, student, assignment, lang=lang)
        name = page_name(problem, student, suffix)
        _write(out_dir / name, problem_page(variant, fmt, student=student, assignment=assignment,
                                            solution=solution, mathjax=mathjax,
                                            figures_dir=out_dir, lang=lang))
        written.append(name)
    if layout.index_name is not None:
        listed = [(p.localized(lang), page_name(p, student, suffix))
                  for p in bank.problems.values()
                  if (out_dir / page_name(p, student, suffix)).is_file()]
        _write(out_dir / layout.index_name,
               index_page(listed, student, assignment, solution, mathjax, lang, fmt))
    return written
