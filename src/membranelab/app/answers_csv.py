"""Reading an answers export (LMS CSV, form) and writing the grades CSV.

Input columns (any order, header names case-insensitive, extra columns ignored; fields
separated by commas, or by semicolons or tabs as some spreadsheets export them)::

    student,assignment,problem,part,answer
    alice,hw1,nernst-potassium,E_K,-89 mV

A file that cannot be read, or lacks a column, is an error (:class:`CliError`); a row that is
malformed (wrong number of fields, empty student/problem/part, undecodable by the csv module)
is kept, with its reason in :attr:`AnswerRow.error`, and graded zero by the batch grader.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from membranelab.app.errors import CliError

__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "AnswerRow",
    "format_number",
    "grades_csv_text",
    "read_answers",
]

#: Columns an answers file must have.
INPUT_COLUMNS = ("student", "assignment", "problem", "part", "answer")
#: Columns of the grades file, in order.
OUTPUT_COLUMNS = INPUT_COLUMNS + ("score", "points", "correct", "note", "feedback", "expected")
#: Longest field accepted from an answers file, in characters.
MAX_FIELD_CHARS = 100_000

csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))


@dataclass(frozen=True)
class AnswerRow:
    """One data row of an answers file; ``index`` counts data rows from 0, ``line`` is 1-based."""

    index: int
    line: int
    student: str
    assignment: str
    problem: str
    part: str
    answer: str
    error: str | None = None

    @property
    def key(self) -> str:
        """Row identity for the resume journal: position and content (a changed row is regraded)."""
        blob = json.dumps([self.index, self.student, self.assignment, self.problem, self.part,
                           self.answer], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]

    @property
    def group(self) -> tuple[str, str, str]:
        """The (student, assignment, problem) triple graded in one call."""
        return (self.student, self.assignment, self.problem)


def _open_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not UTF-8 text (byte {exc.start}); export the CSV as UTF-8") from None


def _header_map(header: list[str], path: Path) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    missing = [c for c in INPUT_COLUMNS if c not in names]
    if missing:
        found = ", ".join(h for h in header if h.strip()) or "nothing"
        raise CliError(f"{path}: missing column(s) {', '.join(missing)}; found {found}; "
                       f"expected a header {','.join(INPUT_COLUMNS)}")
    return {c: names.index(c) for c in INPUT_COLUMNS}


def _row(index: int, line: int, fields: list[str], columns: dict[str, int], width: int) -> AnswerRow:
    values = {c: (fields[i] if i < len(fields) else "") for c, i in columns.items()}
    error = None
    if len(fields) != width:
        error = f"row has {len(fields)} fields, expected {width}"
    else:
        empty = [c for c in ("student", "problem", "part") if not values[c].strip()]
        if empty:
            error = f"empty {', '.join(empty)}"
    clean = {c: (v if c == "answer" else v.strip()) for c, v in values.items()}
    return AnswerRow(index, line, error=error, **clean)


def _delimiter(text: str) -> str:
    """``,`` unless the header only makes sense split on ``;`` or a tab (spreadsheet exports)."""
    first = text.lstrip("\n").split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        names = {h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))}
        if set(INPUT_COLUMNS) <= names:
            return delimiter
    return ","


def read_answers(path: str | os.PathLike[str]) -> list[AnswerRow]:
    """Every data row of an answers CSV, malformed ones included (with their reason)."""
    source = Path(path)
    text = _open_text(source)
    if not text.strip():
        raise CliError(f"{source}: the file is empty; expected a header {','.join(INPUT_COLUMNS)}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CliError(f"{source}: unreadable CSV header ({exc})") from None
    columns = _header_map(header, source)
    rows: list[AnswerRow] = []
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.append(AnswerRow(len(rows), line, "", "", "", "", "", error=f"unreadable CSV ({exc})"))
            continue
        if not any(f.strip() for f in fields):
            continue  # blank line
        rows.append(_row(len(rows), line, fields, columns, len(header)))
    return rows


def format_number(value: float) -> str:
    """A score as short, stable text: at most 4 decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def grades_csv_text(rows: list[list[str]]) -> str:
    """The grades file's text: header then rows, in the given order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()
