"""The report's outputs: one self-contained HTML page, a JSON document, a per-part CSV.

* ``report.html``: the Jinja template ``templates/report.html`` (autoescaped), every label from
  the catalog in the report's language, figures embedded as ``data:image/png;base64`` URIs (no
  network, no file beside it);
* ``report.json``: every statistic and every figure's data (:func:`report_document`); numbers
  as computed, undefined ones ``null``;
* ``parts.csv``: one row per part (:data:`PART_COLUMNS`).

All three are written with :mod:`membranelab.atomic`.
"""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import asdict
from pathlib import Path

import jinja2

from membranelab.atomic import atomic_write_text

from .analysis import AssignmentReport, ClassReport
from .figures import Drawn, draw_all
from .labels import Words

__all__ = ["OUTPUTS", "PART_COLUMNS", "html_page", "parts_csv", "report_document",
           "write_report"]

#: The files :func:`write_report` writes in its directory.
OUTPUTS = ("report.html", "report.json", "parts.csv")
#: Columns of ``parts.csv``.
PART_COLUMNS = ("assignment", "problem", "part", "points", "students", "mean", "facility", "sd",
                "discrimination", "efficiency", "unreadable", "needs_review", "blank", "hints",
                "top_mistake", "top_mistake_share")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("membranelab.report", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _share(a_part, kind: str) -> float:
    return next((m.share for m in a_part.mistakes if m.kind == kind), 0.0)


def report_document(report: ClassReport, figures: dict[str, list[Drawn]], *, source: str,
                    lang: str) -> dict:
    """Every statistic and figure of the report as JSON data."""
    return {"source": source, "lang": lang, "definitions": "Moodle quiz statistics "
            "(https://docs.moodle.org/dev/Quiz_statistics_calculations); see membranelab.report",
            "assignments": [{**asdict(a), "figures": {d.name: d.data
                                                      for d in figures[a.assignment]}}
                            for a in report.assignments]}


def parts_csv(report: ClassReport) -> str:
    """``parts.csv``'s text."""
    from membranelab.service.spreadsheet import SafeWriter

    out = io.StringIO(newline="")
    writer = SafeWriter(out, lineterminator="\n")  # ids and notes escaped as a spreadsheet needs
    writer.writerow(PART_COLUMNS)

    def cell(value: float | None) -> str:
        return "" if value is None else f"{value:.6g}"

    for a in report.assignments:
        for p in a.parts:
            named = [m for m in p.mistakes if m.kind == "mistake"]
            top = max(named, key=lambda m: (m.count, m.note), default=None)
            writer.writerow([a.assignment, p.problem, p.part, cell(p.points), p.students,
                             cell(p.mean), cell(p.facility), cell(p.sd), cell(p.discrimination),
                             cell(p.efficiency), *(cell(_share(p, k)) for k in
                                                   ("unreadable", "needs_review", "blank",
                                                    "hints")),
                             top.note if top else "", cell(top.share) if top else ""])
    return out.getvalue()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def html_page(report: ClassReport, figures: dict[str, list[Drawn]], *, source: str,
              lang: str) -> str:
    """The self-contained HTML page."""
    sections = [{"a": a, "figures": [(d.name, _data_uri(d.png)) for d in figures[a.assignment]],
                 "problems": _problem_spans(a)} for a in report.assignments]
    return _environment().get_template("report.html").render(
        _=Words(lang), lang=lang, source=source, sections=sections,
        figures_fallback=any(d.lang != lang for drawn in figures.values() for d in drawn),
        pct=_percent)


def _problem_spans(a: AssignmentReport) -> list[tuple[str, int]]:
    """(problem, number of its parts in a row) for the students table's first header row."""
    spans: list[tuple[str, int]] = []
    for p in a.parts:
        if spans and spans[-1][0] == p.problem:
            spans[-1] = (p.problem, spans[-1][1] + 1)
        else:
            spans.append((p.problem, 1))
    return spans


def _percent(share: float) -> str:
    return f"{100 * share:.0f}"


def write_report(report: ClassReport, folder: str | os.PathLike[str], *, source: str, lang: str,
                 figures: dict[str, list[Drawn]] | None = None) -> dict[str, Path]:
    """Write :data:`OUTPUTS` into ``folder`` (created) with ``figures`` (drawn here when not
    given: :func:`.figures.draw_all`); {name: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if figures is None:
        figures = draw_all(report.assignments, lang)
    texts = {
        "report.html": html_page(report, figures, source=source, lang=lang),
        "report.json": json.dumps(report_document(report, figures, source=source, lang=lang),
                                  ensure_ascii=False, indent=1) + "\n",
        "parts.csv": parts_csv(report),
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / name
        atomic_write_text(paths[name], text)
    return paths

