"""``list``, ``show`` and ``render``: looking at problems without answering them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rich.console import Console
from rich.table import Table

from membranelab.app import bankapi
from membranelab.app.atomic import atomic_write_text
from membranelab.app.errors import CliError
from membranelab.app.termtext import plain, terminal_markdown
from membranelab.messages import gettext

__all__ = ["list_problems", "part_info", "render_files", "show_problem"]

#: File suffix written by ``render`` for each format.
SUFFIXES = {"markdown": ".md", "html": ".html", "notebook": ".ipynb"}


def part_info(part: Any, variant: Any = None) -> dict[str, Any]:
    """A part's public description (no answer); with ``variant``, its prompt's
    ``{{placeholders}}`` filled with that variant's numbers."""
    prompt = bankapi.fill(variant, part.prompt) if variant is not None else part.prompt
    return {"id": part.id, "kind": part.kind, "prompt": prompt, "unit": part.answer_kind.unit,
            "points": part.points, "choices": list(part.answer_kind.options),
            "hints": len(part.hints or ())}


def list_problems(bank: Any, console: Console, *, topic: str | None, as_json: bool,
                  lang: str = "en") -> int:
    """Print a table (or JSON list) of the bank's problems, titled in ``lang``."""
    problems = [p.localized(lang) for p in bankapi.select_problems(bank, topic, lang=lang)]
    if as_json:
        rows = [{"id": p.id, "title": p.title, "topic": p.topic,
                 "parts": [part.id for part in p.parts],
                 "points": sum(part.points for part in p.parts)} for p in problems]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    title = (gettext("browse.table_title_topic", lang, topic=topic) if topic
             else gettext("browse.table_title", lang))
    table = Table(title=plain(title))
    table.add_column(gettext("browse.col_id", lang), style="bold cyan", no_wrap=True)
    table.add_column(gettext("browse.col_title", lang))
    table.add_column(gettext("browse.col_topic", lang), style="magenta")
    table.add_column(gettext("browse.col_parts", lang), justify="right")
    table.add_column(gettext("browse.col_points", lang), justify="right")
    for p in problems:
        table.add_row(plain(p.id), plain(p.title), plain(p.topic), str(len(p.parts)),
                      f"{sum(part.points for part in p.parts):g}")
    console.print(table)
    return 0


def _describe(problem: Any, variant: Any, student: str | None, assignment: str,
              solution: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": problem.id, "title": problem.title, "topic": problem.topic,
        "student": student, "assignment": assignment if student else None,
        "variant": getattr(variant, "key", None),
        "params": dict(getattr(variant, "params", {})),
        "statement": bankapi.render("statement", variant, "markdown"),
        "parts": [part_info(p, variant) for p in problem.parts],
    }
    if solution:
        data["solution"] = bankapi.render("solution", variant, "markdown")
        data["answers"] = {pid: _answer_text(a) for pid, a in variant.answers().items()}
    return data


def _answer_text(answer: Any) -> str:
    for name in ("text", "display"):
        value = getattr(answer, name, None)
        if isinstance(value, str):
            return value
    return str(answer)


def show_problem(bank: Any, console: Console, problem_id: str, *, student: str | None,
                 assignment: str, solution: bool, as_json: bool, lang: str = "en") -> int:
    """Print one problem's statement (the student's variant if given), and its solution if
    asked, in ``lang``."""
    variant = bankapi.variant_for(bankapi.get_problem(bank, problem_id, lang), student, assignment,
                                  lang=lang)
    problem = variant.problem
    data = _describe(problem, variant, student, assignment, solution)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    who = (gettext("browse.variant_of", lang, student=student, assignment=assignment) if student
           else gettext("browse.canonical", lang))
    console.rule(f"[bold]{plain(problem.title)}[/] [dim]{plain(f'{problem.id} — {who}')}[/]")
    console.print(terminal_markdown(data["statement"]))
    if solution:
        console.rule(f"[bold green]{plain(gettext('browse.worked_solution', lang))}")
        console.print(terminal_markdown(data["solution"]))
    return 0


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


def _with_header(page_body: str, problem: Any, student: str | None, assignment: str,
                 lang: str = "en") -> str:
    """A link back to index.html above the page, its topic and variant under the title."""
    who = (gettext("browse.variant_of", lang, student=student, assignment=assignment) if student
           else gettext("browse.canonical", lang))
    topic = gettext("browse.topic_meta", lang, topic=problem.topic)
    meta = (f'<p class="meta">{html.escape(topic)} · {html.escape(who)} · '
            f"<code>{html.escape(problem.id)}</code></p>\n")
    head, sep, rest = page_body.partition("</h1>\n")
    body = f"{head}{sep}{meta}{rest}" if sep else meta + page_body
    back = html.escape(gettext("browse.all_problems", lang))
    return f'<nav><a href="index.html">{back}</a></nav>\n{body}'


def _index_page(entries: list[tuple[Any, str]], student: str | None, assignment: str,
                solution: bool, mathjax: str | None, lang: str = "en") -> str:
    """index.html: every rendered problem, by topic, linked by title."""
    def _(key: str, **params: Any) -> str:
        return html.escape(gettext(key, lang, **params))

    who = (_("browse.index_variants_of", student=student, assignment=assignment) if student
           else _("browse.index_canonical"))
    rows = []
    for problem, name in sorted(entries, key=lambda e: (e[0].topic, e[0].title.lower())):
        points = sum(part.points for part in problem.parts)
        rows.append(f'<tr><td><a href="{html.escape(quote(name))}">{html.escape(problem.title)}'
                    f"</a></td><td>{html.escape(problem.topic)}</td><td><code>"
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
    return bankapi.html_page(gettext("browse.index_title", lang), body, mathjax=mathjax,
                             lang=lang)


def _page_name(problem: Any, student: str | None, suffix: str) -> str:
    """File name of a problem's page: id, the student's slug when not canonical, suffix."""
    return problem.id + (f"-{_slug(student)}" if student else "") + suffix


def _write(target: Path, text: str) -> None:
    try:
        atomic_write_text(target, text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}") from None


def render_files(bank: Any, console: Console, *, ids: list[str], fmt: str, out_dir: Path,
                 student: str | None, assignment: str, solution: bool,
                 mathjax: str | None = None, lang: str = "en") -> int:
    """Write each problem's statement (and solution) as Markdown, HTML or a notebook into out_dir.

    HTML pages load MathJax from ``mathjax`` (see :func:`mathjax_url`; default the CDN) and
    ``index.html`` lists the pages written, with titles and topics.
    """
    if mathjax and fmt != "html":
        raise CliError("--mathjax only applies with --format html")
    problems = ([bankapi.get_problem(bank, i, lang) for i in ids] if ids
                else list(bank.problems.values()))
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"{out_dir}: exists and is not a directory")
    mathjax = mathjax_url(mathjax, out_dir)
    suffix = SUFFIXES[fmt]
    written = []
    for problem in problems:
        variant = bankapi.variant_for(problem, student, assignment, lang=lang)
        shown = variant.problem  # in the page's language
        name = _page_name(problem, student, suffix)
        target = out_dir / name
        if fmt == "notebook":
            from membranelab.notebooks.writer import problem_notebook

            text = problem_notebook(shown, variant, solution=solution, lang=lang)
        else:
            text = bankapi.render("statement", variant, fmt)
            if solution:  # figures are linked relative to the page: draw them beside it
                sol = bankapi.render("solution", variant, fmt, figures_dir=out_dir)
                text += ("\n<hr>\n" if fmt == "html" else "\n\n---\n\n") + sol
            if fmt == "html":
                text = bankapi.html_page(shown.title,
                                         _with_header(text, shown, student, assignment, lang),
                                         mathjax=mathjax, lang=lang)
        _write(target, text)
        written.append((problem, name))
    if fmt == "html":  # the index lists this run's pages and those of earlier runs beside them
        listed = [(p.localized(lang), _page_name(p, student, suffix))
                  for p in bank.problems.values()
                  if (out_dir / _page_name(p, student, suffix)).is_file()]
        _write(out_dir / "index.html",
               _index_page(listed, student, assignment, solution, mathjax, lang))
    key = "browse.wrote_index" if fmt == "html" else "browse.wrote"
    console.print(gettext(key, lang, n=len(written), dir=out_dir), markup=False, highlight=False)
    return 0
