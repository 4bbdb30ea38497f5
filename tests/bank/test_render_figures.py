"""Figures are drawn by the format that shows them, never by building the model.

Each drawing is counted where matplotlib makes the picture (``Figure.savefig``), and each file
written is looked for: building a solution's model draws nothing, the terminal never draws,
Markdown draws only when told where its figures go, HTML draws each figure once into the folder
its page links, and a notebook carries its figures inside.
"""

from __future__ import annotations

import base64
import json
import math

import pytest

from membranelab.bank.figures import FigureFolder
from membranelab.bank.render import build, format_names, get_format

pytest.importorskip("matplotlib")

#: One figure (problems/nernst-potassium.md: E_K swept over [K+]o 1..20 mM).
PROBLEM, FIGURE = "nernst-potassium", "ek_vs_kout"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def savefigs(monkeypatch):
    """The list of every figure matplotlib saves from now on (its file name ignored)."""
    from matplotlib.figure import Figure

    calls: list[object] = []
    save = Figure.savefig

    def counted(self, *args, **kwargs):
        calls.append(self)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counted)
    return calls


@pytest.fixture
def view(bank):
    return build(bank.problems[PROBLEM].variant("canonical"), solution=True)


def test_building_the_model_draws_nothing(bank, savefigs):
    """The model of a solution with a figure describes it and draws nothing."""
    view = build(bank.problems[PROBLEM].variant("canonical"), solution=True)
    assert [f.id for f in view.solution.figures] == [FIGURE]
    assert savefigs == []


def test_the_figures_numbers_without_drawing(view, savefigs):
    """The figure's description computes what it plots without drawing it: E_K over [K+]o from
    1 to 20 mM (61 points), [K+]i 140 mM at 37 °C, this variant's 4 mM marked."""
    data = view.solution.figures[0].plan.data()
    # E_K = (RT/F) ln([K+]o/[K+]i), RT/F = 8.314462618 * 310.15 / 96485.33212 V = 26.7268 mV:
    # at 1 mM 26.7268 * ln(1/140) = -132.07 mV, at 20 mM 26.7268 * ln(20/140) = -52.01 mV
    rt_f_mv = 8.314462618 * 310.15 / 96485.33212 * 1e3
    (label, ys), = data.curves
    assert (len(data.xs), data.xs[0], data.xs[-1]) == (61, 1.0, 20.0)
    assert ys[0] == pytest.approx(rt_f_mv * math.log(1 / 140), abs=0.01)
    assert ys[-1] == pytest.approx(rt_f_mv * math.log(20 / 140), abs=0.01)
    assert (data.x, data.marker_label, data.y_label) == (4.0, "this variant (4 mM)", "mV")
    assert savefigs == []


def test_every_format_says_whether_it_shows_figures():
    """HTML, Markdown and notebooks show figures as images; the terminal shows captions."""
    shown = {name: get_format(name).shows_figures for name in format_names()}
    assert {k: shown[k] for k in ("html", "markdown", "notebook", "terminal")} == {
        "html": True, "markdown": True, "notebook": True, "terminal": False}


def test_terminal_draws_nothing_even_with_a_folder(view, savefigs, tmp_path):
    """The terminal's document of a solution draws no figure and writes no file, with a folder
    offered or not; the caption stands in."""
    text = get_format("terminal").document(view, figures=FigureFolder(tmp_path))
    assert savefigs == [] and list(tmp_path.iterdir()) == []
    assert "Figure: " in text


def test_markdown_without_a_folder_draws_nothing(view, savefigs):
    """Markdown told nowhere to put figures draws none: its caption stands in."""
    text = get_format("markdown").document(view)
    assert savefigs == []
    assert "*Figure: " in text and "![" not in text


@pytest.mark.slow  # draws with matplotlib (1-4 s)
def test_markdown_with_a_folder_links_the_drawn_file(view, savefigs, tmp_path):
    """Markdown given a folder draws the figure there once and links it by file name."""
    text = get_format("markdown").document(view, figures=FigureFolder(tmp_path))
    name = f"{PROBLEM}-canonical-{FIGURE}.png"
    assert len(savefigs) == 1 and f"]({name})" in text
    assert (tmp_path / name).read_bytes()[:8] == PNG


@pytest.mark.slow  # draws with matplotlib (1-4 s)
def test_html_draws_each_figure_once_where_its_page_links_it(view, savefigs, tmp_path):
    """An HTML page draws its one figure once, into the folder, linked under the given URL
    inside a <figure>."""
    page = get_format("html").document(view, figures=FigureFolder(tmp_path, "/figures/"))
    name = f"{PROBLEM}-canonical-{FIGURE}.png"
    assert len(savefigs) == 1 and [p.name for p in tmp_path.iterdir()] == [name]
    assert f'<figure class="figure"><img src="/figures/{name}" alt="E_K against' in page


def test_html_statement_draws_nothing(view, savefigs):
    """A statement has no figures: HTML of it draws none."""
    get_format("html").statement(view, standalone=True)
    assert savefigs == []


@pytest.mark.slow  # draws with matplotlib (1-4 s)
def test_notebook_attaches_its_figure(view, savefigs):
    """A notebook draws its figure into itself: the solution cell links an attachment that is
    a PNG."""
    nb = json.loads(get_format("notebook").document(view))
    cell = nb["cells"][-1]
    name = f"{PROBLEM}-canonical-{FIGURE}.png"
    assert len(savefigs) == 1 and f"](attachment:{name})" in "".join(cell["source"])
    assert base64.b64decode(cell["attachments"][name]["image/png"])[:8] == PNG
