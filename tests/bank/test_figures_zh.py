"""Figures of Chinese problems: every glyph of their labels and captions drawn (no tofu)."""

from __future__ import annotations

import logging
import warnings

import pytest

from membranelab.bank.figures import draw_figures
from membranelab.bank.fonts import cjk_font

WITH_FIGURES = ("nernst-potassium", "hyperkalemia", "warming-q10", "channel-noise")


@pytest.mark.parametrize("pid", WITH_FIGURES)
@pytest.mark.cjk_font
def test_no_missing_glyph(pid, bank, tmp_path, caplog):
    """Drawing the Chinese figures warns of no missing glyph (matplotlib says so, for plain text
    as a warning and for text mixed with math in its log)."""
    assert cjk_font() is not None, "fonts-noto-cjk is installed by .ci/run"
    variant = bank.problems[pid].variant("alice", "ps1", lang="zh")
    with warnings.catch_warnings(record=True) as caught, \
            caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        names = draw_figures(variant, tmp_path)
    assert names and all(name.endswith("-zh.png") for name in names.values())
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    missing += [r.getMessage() for r in caplog.records if "glyph" in r.getMessage()]
    assert missing == []
