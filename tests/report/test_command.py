"""``membranelab report`` on the command line: files written, options named from the bank's
choices, one-line errors (exit 2) and never a traceback."""

from __future__ import annotations

import json

import pytest

from membranelab.cli import main
from membranelab.messages import gettext

HEADER = "student,assignment,problem,part,answer,score,points,correct,note,feedback,expected\n"
ROWS = ("alice,hw1,nernst-potassium,direction,b,1,1,true,correct,,out of the cell\n"
        "bob,hw1,nernst-potassium,direction,into the cell,0,1,false,choice.wrong,,out of the cell\n"
        "carol,hw1,nernst-potassium,direction,流出细胞,1,1,true,correct,,out of the cell\n")


@pytest.fixture(autouse=True)
def no_worker(monkeypatch):
    """The command draws its figures in this process, as on a busy machine: the quick tier
    starts no worker pool (the worker is tested in test_drawing.py, slow tier)."""
    monkeypatch.setattr("membranelab.report.drawing.spare_core", lambda: False)


@pytest.fixture
def grades(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def _options(folder):
    doc = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return {o["option"]: o["share"] for o in doc["assignments"][0]["parts"][0]["options"]}


def test_writes_the_three_files(grades, tmp_path, capsys):
    """Exit 0, the three files, one line saying where; a letter and the Chinese text of a
    choice are read as that choice (from the bank)."""
    out = tmp_path / "out"
    assert main(["report", str(grades), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["parts.csv", "report.html", "report.json"]
    assert str(out) in capsys.readouterr().out
    assert _options(out) == pytest.approx({"out of the cell": 2 / 3, "into the cell": 1 / 3})


def test_chinese(grades, tmp_path, capsys):
    """--lang zh: the page's title and the choices in Chinese."""
    out = tmp_path / "out"
    assert main(["report", str(grades), "-o", str(out), "--lang", "zh"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert gettext("report.title", "zh") in html
    assert "流出细胞" in html and "流入细胞" in html and "out of the cell" not in html
    assert "报告已写入" in capsys.readouterr().out


@pytest.mark.parametrize(("make", "key"), [
    (lambda d: d / "missing.csv", "report.error.no_file"),
    (lambda d: d, "report.error.not_a_source"),
])
def test_bad_source_is_one_line(tmp_path, capsys, make, key):
    """Exit 2 with one line on stderr saying what is wrong (no traceback)."""
    assert main(["report", str(make(tmp_path)), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert gettext(key, "en", path=str(make(tmp_path))) in err


def test_output_in_the_way_is_one_line(grades, tmp_path, capsys):
    """-o naming a file: exit 2, one line."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["report", str(grades), "-o", str(blocker)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot write the report" in err


def test_error_in_chinese(tmp_path, capsys):
    """--lang zh: the one line is the catalog's Chinese sentence."""
    missing = tmp_path / "缺失.csv"
    assert main(["report", str(missing), "-o", str(tmp_path / "out"), "--lang", "zh"]) == 2
    err = capsys.readouterr().err.strip()
    assert gettext("report.error.no_file", "zh", path=str(missing)) in err
    assert len(err.splitlines()) == 1
