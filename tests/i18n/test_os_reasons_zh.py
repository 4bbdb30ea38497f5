"""Why a file could not be read or written, in the command's language: the operating system's
English (``strerror``) never ends a Chinese sentence for the common errors."""

from __future__ import annotations

import pytest

from membranelab.cli import main
from membranelab.messages.oserror import os_reason

from .latin import english_words  # the zh scan's own test of "no English sentence"


def test_unwritable_page_folder_in_chinese(tmp_path, capsys):
    """``render`` into a path under a file (ENOTDIR): the reason is the catalog's Chinese."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["--lang", "zh", "render", "nernst-potassium", "--format", "html",
                 "-o", str(blocker / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Not a directory" not in err and not english_words(err.split("：", 1)[-1])


@pytest.mark.parametrize(("code", "english"), [(2, "No such file or directory"),
                                               (13, "Permission denied"),
                                               (21, "Is a directory"), (28, "No space left")])
def test_common_errors_are_catalog_sentences(code, english):
    reason = os_reason(OSError(code, english))
    assert isinstance(reason, dict) and reason["msg"].startswith("os.")
