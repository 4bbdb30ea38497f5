"""``membranelab report SOURCE -o DIR``: the class report (:mod:`membranelab.report`).

SOURCE is a grades CSV from ``membranelab grade``, a class-mode database (SQLite file or
SQLAlchemy URL) or an nbgrader course directory (its ``gradebook.db``).  Writes ``report.html`` (self-contained), ``report.json`` and ``parts.csv`` into
DIR, every label in ``--lang``.  A source that cannot be read, or an output that cannot be
written, is one line (CliError) and exit code 2.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.messages.oserror import os_reason

__all__ = ["run", "run_report"]


def _choice_of(bank_path: str | None, lang: str):
    """The bank's choice reader (names the choice a first try selects), opening the bank at
    its first answer only: a gradebook, which holds no answers, is reported without it."""
    from membranelab.report.choices import bank_choice_of
    from membranelab.service.problems import open_bank

    resolver = None

    def choice_of(problem: str, part: str, answer: str) -> str | None:
        nonlocal resolver
        if resolver is None:
            resolver = bank_choice_of(open_bank(bank_path), lang)
        return resolver(problem, part, answer)

    return choice_of


def run_report(source: str, output: str | os.PathLike[str], *, lang: str = "en",
               bank: str | None = None, out: Console | None = None) -> dict[str, Path]:
    """Read ``source``, analyse, write the report into ``output``; {file name: path}."""
    from membranelab.atomic import NotRegularFileError
    from membranelab.report import ReportInputError, analyse, read_source
    from membranelab.report.drawing import Drawing, spare_core
    from membranelab.report.from_service import with_choices
    from membranelab.report.render import write_report
    from membranelab.report.sources import describe_source

    try:
        # with a free core, a worker starts and imports matplotlib meanwhile
        with Drawing(lang, worker=spare_core()) as drawing:
            records = read_source(source)
            drawing.draw(analyse(records).assignments)  # the figures need no choices
            report = analyse(with_choices(records, _choice_of(bank, lang)))
            figures = drawing.result()
    except ReportInputError as exc:
        raise CliError(exc.key, **exc.params) from None
    except ValueError as exc:  # two records for one part: a source the readers should not make
        raise CliError("report.error.inconsistent", source=source, reason=str(exc)) from None
    try:
        paths = write_report(report, output, source=describe_source(source), lang=lang,
                             figures=figures)
    except (NotRegularFileError, OSError) as exc:
        raise CliError("report.error.output", dir=str(output),
                       reason=os_reason(exc)) from None
    if out is not None:
        students = len({s.student for a in report.assignments for s in a.students})
        out.print(escape(gettext("report.done", lang, dir=str(output),
                                 assignments=len(report.assignments), students=students)),
                  highlight=False)
    return paths


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab report SOURCE -o DIR [--lang zh]``."""
    run_report(args.source, args.output, lang=args.lang, bank=args.bank, out=out)
    return 0
