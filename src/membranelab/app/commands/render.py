"""``render``: write problems' pages (Markdown, HTML with an index, or notebooks) into a folder,
via the static site generator :mod:`membranelab.app.site`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from membranelab.app.site import write_site
from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.service.problems import get_problem, open_bank

if TYPE_CHECKING:
    from membranelab.bank import Bank

__all__ = ["render_files", "run"]


def render_files(bank: Bank, console: Console, *, ids: list[str], fmt: str, out_dir: Path,
                 student: str | None, assignment: str, solution: bool,
                 mathjax: str | None = None, lang: str = "en") -> int:
    """Write each problem's statement (and solution) as Markdown, HTML or a notebook into out_dir.

    HTML pages load MathJax from ``mathjax`` (see :func:`membranelab.app.site.mathjax_url`;
    default the CDN) and ``index.html`` lists the pages written, with titles and topics.
    """
    from membranelab.bank.render import get_format

    layout = get_format(fmt)
    if mathjax and not layout.takes_mathjax:
        raise CliError("render.mathjax_html_only")
    problems = ([get_problem(bank, i, lang) for i in ids] if ids
                else list(bank.problems.values()))
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError("render.not_a_directory", path=str(out_dir))
    written = write_site(bank, problems, out_dir, fmt=fmt, student=student,
                         assignment=assignment, solution=solution, mathjax=mathjax, lang=lang)
    key = "browse.wrote_index" if layout.index_name is not None else "browse.wrote"
    console.print(gettext(key, lang, n=len(written), dir=out_dir), markup=False, highlight=False)
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab render [ID ...] --format F -o DIR [--student S] [--solution]``."""
    return render_files(open_bank(args.bank), out, ids=args.ids, fmt=args.format,
                        out_dir=Path(args.output), student=args.student,
                        assignment=args.assignment, solution=args.solution,
                        mathjax=args.mathjax, lang=args.lang)
