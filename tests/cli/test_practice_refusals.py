"""``practice`` refuses a reserved or empty student id before it shows anything."""

from __future__ import annotations

import pytest

from membranelab.cli import main


@pytest.mark.parametrize("student", ["canonical", "ＣＡＮＯＮＩＣＡＬ", " Canonical "])
def test_reserved_id_is_refused_before_the_welcome(capsys, student):
    assert main(["practice", "--student", student, "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no welcome panel, no statement
    assert captured.err.count("\n") == 1 and "reserved" in captured.err.lower()
