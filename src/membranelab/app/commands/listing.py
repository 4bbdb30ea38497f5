"""``list``: a table (or JSON list) of the bank's problems."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from membranelab.bank.render.formats.terminal import plain
from membranelab.bank.render.model import topic_name
from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.service.problems import open_bank, select_problems

if TYPE_CHECKING:
    from membranelab.bank import Bank

__all__ = ["list_problems", "run"]


def list_problems(bank: Bank, console: Console, *, topic: str | None, as_json: bool,
                  lang: str = "en") -> int:
    """Print a table (or JSON list) of the bank's problems, titled in ``lang``."""
    problems = [p.localized(lang) for p in select_problems(bank, topic, lang=lang)]
    if as_json:
        rows = [{"id": p.id, "title": p.title, "topic": p.topic,
                 "topic_name": topic_name(p.topic, lang),
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
        table.add_row(plain(p.id), plain(p.title), plain(topic_name(p.topic, lang)),
                      str(len(p.parts)),
                      points_text(sum(part.points for part in p.parts)))
    console.print(table)
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab list [--topic T] [--json]``."""
    return list_problems(open_bank(args.bank), out, topic=args.topic, as_json=args.json,
                         lang=args.lang)
