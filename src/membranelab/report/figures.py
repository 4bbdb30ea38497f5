"""The report's three figures per assignment, drawn with matplotlib's object API as PNG bytes.

* score histogram: students per 10 % band of the total;
* facility (x) against discrimination index (y), each part labelled ``problem/part``;
* the ten most common named mistakes (first tries), as horizontal bars.

Labels come from the catalog in the report's language.  Chinese labels need a CJK font
(:func:`membranelab.bank.fonts.cjk_font`, the one the bank's figures use); without one the
figures are drawn in English (and the page says so), never with empty boxes.  Each figure has its
own Agg canvas: the process's matplotlib backend is left alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from .analysis import AssignmentReport
from .labels import Words
from .stats import HISTOGRAM_BINS

__all__ = ["FIGURES", "Drawn", "draw", "draw_all", "figure_words"]

#: The figures of an assignment, in the page's order.
FIGURES = ("histogram", "facility_discrimination", "mistakes")
_DPI = 100


@dataclass(frozen=True)
class Drawn:
    """One figure: its name (of :data:`FIGURES`), PNG bytes, the data it shows (for JSON) and
    the language its labels are in (English when Chinese was asked for without a CJK font)."""

    name: str
    png: bytes
    data: dict
    lang: str = "en"


def figure_words(lang: str) -> tuple[Words, dict]:
    """(words the figures are drawn in, matplotlib rc settings): Chinese with a CJK font first
    when one is installed, else English."""
    if lang == "en":
        return Words("en"), {}
    from membranelab.bank.fonts import cjk_font

    family = cjk_font()
    if family is None:
        return Words("en"), {}
    return Words(lang), {"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}


def _new(size: tuple[float, float], left: float = 0.7, bottom: float = 0.55):
    """A figure of ``size`` inches with fixed margins (inches): tight_layout would draw every
    figure twice to measure it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=left / size[0], right=1 - 0.2 / size[0], bottom=bottom / size[1],
                        top=1 - 0.4 / size[1])
    return fig


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=_DPI)
    return out.getvalue()


def _histogram(a: AssignmentReport, w: Words) -> Drawn:
    fig = _new((6.0, 3.4))
    ax = fig.add_subplot()
    width = 100 / HISTOGRAM_BINS
    edges = [i * width for i in range(HISTOGRAM_BINS)]
    ax.bar(edges, a.histogram, width=width * 0.92, align="edge", color="#4C72B0")
    ax.set_xlim(0, 100)
    ax.set_xlabel(w("report.fig.total_percent"))
    ax.set_ylabel(w("report.fig.students"))
    ax.set_title(w("report.fig.histogram_title", assignment=a.assignment))
    ax.yaxis.get_major_locator().set_params(integer=True)
    data = {"bins_percent": [[e, e + width] for e in edges], "counts": list(a.histogram)}
    return Drawn("histogram", _png(fig), data)


def _scatter(a: AssignmentReport, w: Words) -> Drawn:
    fig = _new((6.4, 4.4))
    ax = fig.add_subplot()
    points = [(p.label, p.facility, p.discrimination) for p in a.parts]
    shown = [(label, f, d) for label, f, d in points if f is not None and d is not None]
    ax.axhspan(-100, 20, color="#f3d9d9", zorder=0)  # weak discrimination (< 20 %)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.scatter([f for _, f, _ in shown], [d for _, _, d in shown], color="#C44E52", zorder=3)
    at: dict[tuple[float, float], list[str]] = {}
    for label, f, d in shown:  # parts on the same spot share one label, one name a line
        at.setdefault((round(f, 1), round(d, 1)), []).append(label)
    for (f, d), labels in at.items():
        ax.annotate("\n".join(labels), (f, d), xytext=(5, 0), textcoords="offset points",
                    fontsize=7, va="center")
    missing = len(points) - len(shown)
    if missing:
        ax.text(0.01, 0.01, w("report.fig.not_drawn", n=missing), transform=ax.transAxes,
                fontsize=7, va="bottom", color="#555555")
    ax.set_xlim(0, 105)
    ax.set_ylim(min([-20.0] + [d - 10 for _, _, d in shown]), 105)
    ax.set_xlabel(w("report.fig.facility"))
    ax.set_ylabel(w("report.fig.discrimination"))
    ax.set_title(w("report.fig.scatter_title", assignment=a.assignment))
    data = {"parts": [{"part": label, "facility": f, "discrimination": d}
                      for label, f, d in points]}
    return Drawn("facility_discrimination", _png(fig), data)


def _mistakes(a: AssignmentReport, w: Words) -> Drawn:
    """Horizontal bars, each named by a line of text above it (no tick labels, whose width
    would have to be measured)."""
    rows = list(a.top_mistakes)
    fig = _new((6.4, 1.0 + 0.42 * max(len(rows), 2)), left=0.25)
    ax = fig.add_subplot()
    if rows:
        counts = [n for _, _, n in rows]
        ax.barh(range(len(rows)), counts, height=0.45, color="#DD8452")
        for y, (label, note, n) in enumerate(rows):
            ax.annotate(w("report.fig.mistake_label", part=label, mistake=w.note(note)),
                        (0, y - 0.3), xytext=(3, 0), textcoords="offset points", fontsize=8,
                        va="bottom")
            ax.text(n, y, f" {n}", fontsize=8, va="center")
        ax.set_xlim(0, max(counts) * 1.1)
        ax.set_ylim(len(rows) - 0.5, -0.9)
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.text(0.5, 0.5, w("report.fig.no_mistakes"), ha="center", va="center",
                transform=ax.transAxes)
    ax.set_yticks([])
    ax.set_xlabel(w("report.fig.students"))
    ax.set_title(w("report.fig.mistakes_title", assignment=a.assignment))
    data = {"mistakes": [{"part": label, "note": note, "students": n} for label, note, n in rows]}
    return Drawn("mistakes", _png(fig), data)


def draw(a: AssignmentReport, lang: str) -> list[Drawn]:
    """The figures of one assignment (:data:`FIGURES` order) with labels in ``lang``."""
    from dataclasses import replace

    import matplotlib

    words, rc = figure_words(lang)
    with matplotlib.rc_context(rc):
        drawn = [_histogram(a, words), _scatter(a, words), _mistakes(a, words)]
    return [replace(d, lang=words.lang) for d in drawn]


def draw_all(assignments: tuple[AssignmentReport, ...], lang: str) -> dict[str, list[Drawn]]:
    """{assignment: its figures} (what a worker process draws: :mod:`.drawing`)."""
    return {a.assignment: draw(a, lang) for a in assignments}
