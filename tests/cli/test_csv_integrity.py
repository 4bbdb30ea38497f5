"""Answers files that used to crash or lose rows (issue 9): each is read, or refused in one line."""

from __future__ import annotations

import json

import pytest

HEADER = "student,assignment,problem,part,answer"
ALICE = "alice,hw1,nernst-potassium,E_K,-95 mV"
BOB = "bob,hw1,nernst-potassium,E_K,-90 mV"


def _grade(run, path):  # noqa: ANN001, ANN202
    code, out, err = run("grade", str(path), "--json", "-j", "1", "--no-progress")
    assert "Traceback" not in err
    return code, out, err


def test_unclosed_quote_is_refused_with_its_line(run, tmp_path):
    """An unclosed quote on line 2 swallows bob and carol: exit 2, one line naming line 2."""
    path = tmp_path / "a.csv"
    path.write_text(f'{HEADER}\n{ALICE[:-6]}"-95 mV\n{BOB}\ncarol,hw1,nernst-potassium,E_K,1 mV\n')
    code, _, err = _grade(run, path)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "line 2" in err and "quote" in err and "swallows 2 row" in err


def test_quoted_line_break_inside_an_answer_is_kept(run, tmp_path):
    """A legitimate quoted answer with a line break (no row swallowed) is still read."""
    path = tmp_path / "a.csv"
    path.write_text(f'{HEADER}\n{ALICE[:-6]}"-95\nmV"\n{BOB}\n')
    code, out, _ = _grade(run, path)
    assert code == 0 and json.loads(out)["summary"]["rows"] == 2


def test_cr_only_line_endings_are_read(run, tmp_path):
    """A file with old-Mac CR line endings gives its two rows."""
    path = tmp_path / "a.csv"
    path.write_bytes(f"{HEADER}\r{ALICE}\r{BOB}\r".encode())
    code, out, _ = _grade(run, path)
    assert code == 0 and json.loads(out)["summary"]["students"] == 2


def test_blank_lines_before_the_header_are_skipped(run, tmp_path):
    """Three blank lines, then the header: read as usual, lines numbered from the file's top."""
    path = tmp_path / "a.csv"
    path.write_text(f"\n\n\n{HEADER}\n{ALICE}\nalice,hw1,nernst-potassium\n")
    code, out, err = _grade(run, path)
    assert code == 0 and json.loads(out)["summary"]["rows"] == 2
    assert ":6: malformed row" in err  # the short row is on line 6


def test_oversized_header_field_is_one_line(run, tmp_path):
    """A header field over 131,072 characters: exit 2, one line, no traceback."""
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER},{'y' * 140_000}\n{ALICE},z\n")
    code, _, err = _grade(run, path)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "longer than 131,072 characters" in err


@pytest.mark.slow
def test_oversized_field_row_names_its_student(run, tmp_path):
    """A 50 MB answer: that row is reported (line, student, problem kept), the others graded."""
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER}\nalice,hw1,nernst-potassium,E_K,{'1' * 50_000_000}\n{BOB}\n")
    code, out, err = _grade(run, path)
    assert code == 0
    rows = json.loads(out)["rows"]
    assert (rows[0]["student"], rows[0]["problem"], rows[0]["note"]) == (
        "alice", "nernst-potassium", "row.malformed")
    assert rows[1]["student"] == "bob" and ":2: malformed row" in err


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf" + f"{HEADER}\n{ALICE}\n".encode()])
def test_bom_is_ignored(run, tmp_path, content):
    """A UTF-8 byte-order mark before the header does not hide the student column."""
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    code, out, _ = _grade(run, path)
    assert code == 0 and json.loads(out)["rows"][0]["student"] == "alice"
