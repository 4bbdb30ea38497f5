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

__all__ = ["list_problems", "part_info", "render_files", "show_problem"]

#: File suffix written by ``render`` for each format.
SUFFIXES = {"markdown": ".md", "html": ".html", "notebook": ".ipynb"}


def part_info(part: Any, variant: Any = None) -> dict[str, Any]:
    """A part's public description (no answer); with ``variant``, its prompt's
    ``{{placeholders}}`` filled with that variant's numbers."""
    prompt = bankapi.fill(variant, part.prompt) if variant is not None else part.prompt
    return {"id": part.id, "kind": part.kind, "prompt": prompt, "unit": part.unit,
            "points": part.points, "choices": list(part.choices or ()),
            "hints": len(part.hints or ())}


def list_problems(bank: Any, console: Console, *, topic: str | None, as_json: bool) -> int:
    """Print a table (or JSON list) of the bank's problems."""
    problems = bankapi.select_problems(bank, topic)
    if as_json:
        rows = [{"id": p.id, "title": p.title, "topic": p.topic,
                 "parts": [part.id for part in p.parts],
                 "points": sum(part.points for part in p.parts)} for p in problems]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    table = Table(title=f"membranelab problems{f' — {plain(topic)}' if topic else ''}")
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("topic", style="magenta")
    table.add_column("parts", justify="right")
    table.add_column("points", justify="right")
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
                 assignment: str, solution: bool, as_json: bool) -> int:
    """Print one problem's statement (the student's variant if given), and its solution if asked."""
    problem = bankapi.get_problem(bank, problem_id)
    variant = bankapi.variant_for(problem, student, assignment)
    data = _describe(problem, variant, student, assignment, solution)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    who = f" — variant of {student} ({assignment})" if student else " — canonical variant"
    console.rule(f"[bold]{plain(problem.title)}[/] [dim]{plain(problem.id + who)}[/]")
    console.print(terminal_markdown(data["statement"]))
    if solution:
        console.rule("[bold green]Worked solution")
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


def _with_header(page_body: str, problem: Any, student: str | None, assignment: str) -> str:
    """A link back to index.html above the page, its topic and variant under the title."""
    who = (f"variant of {html.escape(student)} ({html.escape(assignment)})" if student
           else "canonical variant")
    meta = (f'<p class="meta">Topic: {html.escape(problem.topic)} · {who} · '
            f"<code>{html.escape(problem.id)}</code></p>\n")
    head, sep, rest = page_body.partition("</h1>\n")
    body = f"{head}{sep}{meta}{rest}" if sep else meta + page_body
    return f'<nav><a href="index.html">← All problems</a></nav>\n{body}'


def _index_page(entries: list[tuple[Any, str]], student: str | None, assignment: str,
                solution: bool, mathjax: str | None) -> str:
    """index.html: every rendered problem, by topic, linked by title."""
    who = (f"Variants of {html.escape(student)} ({html.escape(assignment)})" if student
           else "Canonical variants")
    rows = []
    for problem, name in sorted(entries, key=lambda e: (e[0].topic, e[0].title.lower())):
        points = sum(part.points for part in problem.parts)
        rows.append(f'<tr><td><a href="{html.escape(quote(name))}">{html.escape(problem.title)}'
                    f"</a></td><td>{html.escape(problem.topic)}</td><td><code>"
                    f"{html.escape(problem.id)}</code></td><td>{len(problem.parts)}</td>"
                    f"<td>{points:g}</td></tr>")
    body = ("<h1>membranelab problems</h1>\n"
            f'<p class="meta">{who}{" · with worked solutions" if solution else ""} · '
            f"{len(entries)} problem{'s' if len(entries) != 1 else ''}</p>\n"
            '<table class="index">\n<thead><tr><th>Problem</th><th>Topic</th><th>Id</th>'
            "<th>Parts</th><th>Points</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>\n")
    return bankapi.html_page("membranelab problems", body, mathjax=mathjax)


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
                 mathjax: str | None = None) -> int:
    """Write each problem's statement (and solution) as Markdown, HTML or a notebook into out_dir.

    HTML pages load MathJax from ``mathjax`` (see :func:`mathjax_url`; default the CDN) and
    ``index.html`` lists the pages written, with titles and topics.
    """
    if mathjax and fmt != "html":
        raise CliError("--mathjax only applies with --format html")
    problems = [bankapi.get_problem(bank, i) for i in ids] if ids else list(bank.problems.values())
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"{out_dir}: exists and is not a directory")
    mathjax = mathjax_url(mathjax, out_dir)
    suffix = SUFFIXES[fmt]
    written = []
    for problem in problems:
        variant = bankapi.variant_for(problem, student, assignment)
        name = _page_name(problem, student, suffix)
        target = out_dir / name
        if fmt == "notebook":
            from membranelab.app.notebook import problem_notebook

            text = problem_notebook(problem, variant, solution=solution)
        else:
            text = bankapi.render("statement", variant, fmt)
            if solution:  # figures are linked relative to the page: draw them beside it
                sol = bankapi.render("solution", variant, fmt, figures_dir=out_dir)
                text += ("\n<hr>\n" if fmt == "html" else "\n\n---\n\n") + sol
            if fmt == "html":
                text = bankapi.html_page(problem.title,
                                         _with_header(text, problem, student, assignment),
                                         mathjax=mathjax)
        _write(target, text)
        written.append((problem, name))
    if fmt == "html":  # the index lists this run's pages and those of earlier runs beside them
        listed = [(p, _page_name(p, student, suffix)) for p in bank.problems.values()
                  if (out_dir / _page_name(p, student, suffix)).is_file()]
        _write(out_dir / "index.html", _index_page(listed, student, assignment, solution, mathjax))
    index = " and index.html" if fmt == "html" else ""
    console.print(f"wrote {len(written)} file(s){index} to {out_dir}", markup=False,
                  highlight=False)
    return 0
