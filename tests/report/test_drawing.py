"""The figures drawn in a worker process: the same figures as drawn here, and drawn here when
no worker can be had (the hand-worked class of :mod:`.handclass`)."""

from __future__ import annotations

import pytest

from membranelab.report import analyse
from membranelab.report.drawing import Drawing
from membranelab.report.figures import FIGURES, draw_all
from membranelab.workers import Done, Status, WorkerPool

from . import handclass as hc

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def assignments():
    return analyse(hc.records()).assignments


def _shape(figures):
    """What each figure shows (its data) and that it is a PNG."""
    return {name: [(d.name, d.data, d.lang, d.png.startswith(PNG)) for d in drawn]
            for name, drawn in figures.items()}


@pytest.mark.slow  # a worker process starts and imports matplotlib
def test_worker_draws_what_the_parent_would(assignments):
    """Every assignment's three figures, with the same data and PNG images, from the worker."""
    with Drawing("en") as drawing:
        drawing.draw(assignments)
        got = drawing.result()
    assert set(got) == {a.assignment for a in assignments}
    assert [d.name for d in got["hw"]] == list(FIGURES)
    assert _shape(got) == _shape(draw_all(assignments, "en"))


@pytest.mark.slow  # matplotlib draws three figures
def test_no_worker_draws_here(assignments, monkeypatch):
    """A worker that cannot start: the same figures, drawn in this process."""
    calls = []

    def unavailable(self, function, *args, seconds, key=None):
        calls.append(function)
        return Done(key, Status.UNAVAILABLE, detail="it could not be started")

    monkeypatch.setattr(WorkerPool, "call", unavailable)
    with Drawing("en") as drawing:
        drawing.draw(assignments)
        got = drawing.result()
    assert calls == [draw_all]
    assert [(d.name, d.png.startswith(PNG)) for d in got["hw"]] == [(f, True) for f in FIGURES]
    # hand-worked totals (handclass): 5, 4, 4, 3, 3, 1, 1, 0 of 5 points
    assert got["hw"][0].data["counts"] == [1, 0, 2, 0, 0, 0, 2, 0, 2, 1]


@pytest.mark.slow  # a worker process starts
def test_nothing_to_draw_ends_the_worker():
    """A source that cannot be read: leaving the block ends the worker without drawing."""
    with pytest.raises(LookupError), Drawing("en") as drawing:
        raise LookupError("the source could not be read")
    assert not drawing._thread.is_alive() and drawing._figures is None


@pytest.mark.slow  # matplotlib draws three figures
def test_without_a_worker(assignments, monkeypatch):
    """worker=False (no core to spare): no worker is asked; the figures are drawn here."""
    def called(*args, **kwargs):
        raise AssertionError("a worker was asked")

    monkeypatch.setattr(WorkerPool, "call", called)
    monkeypatch.setattr(WorkerPool, "start", called)
    with Drawing("en", worker=False) as drawing:
        drawing.draw(assignments)
        got = drawing.result()
    assert [d.name for d in got["hw"]] == list(FIGURES)


def test_spare_core(monkeypatch):
    """A core is spare when the load average leaves one free, or when it cannot be read."""
    from membranelab.report import drawing

    monkeypatch.setattr(drawing.os, "cpu_count", lambda: 2)
    for load, spare in ((0.4, True), (1.0, True), (1.6, False), (11.0, False)):
        monkeypatch.setattr(drawing.os, "getloadavg", lambda load=load: (load, 0.0, 0.0))
        assert drawing.spare_core() is spare

    def unreadable():
        raise OSError("no load average")

    monkeypatch.setattr(drawing.os, "getloadavg", unreadable)
    assert drawing.spare_core() is True
