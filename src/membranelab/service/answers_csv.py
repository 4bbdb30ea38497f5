"""Reading an answers export (LMS CSV, form) and writing the grades CSV.

Input columns (any order, header names case-insensitive, extra columns ignored; fields
separated by commas, or by semicolons or tabs as some spreadsheets export them)::

    student,assignment,problem,part,answer
    alice,hw1,nernst-potassium,E_K,-89 mV

A file that cannot be read, or lacks a column, is an error (:class:`CliError`); a row that is
malformed (wrong number of fields, empty student/assignment/problem/part, undecodable by the
csv module) is kept, with its reason in :attr:`AnswerRow.error`, and graded zero by the batch
grader.

Ids are matched after trimming and case-folding: student and assignment ids are stored so
(``" Alice "`` is ``alice``, ``HW-CA`` is ``hw-ca``), problem ids likewise, part ids trimmed (the
batch grader matches them to the bank case-insensitively).  An optional ``timestamp`` column
orders resubmissions: ISO 8601 (``2025-03-03T10:15:00+01:00``, ``2025-03-03 10:15``; no zone
means UTC), Excel's regional forms (``03/03/2025 10:15``, the day/month order inferred per column
or given as ``date_format``), or seconds since 1970 (:mod:`membranelab.service.timestamps`).
A row whose timestamp cannot be read, or read only by guessing the day/month order, is kept
with the reason in :attr:`AnswerRow.ungraded` (a catalog message, as ``error``): the batch
grader lists it and does not grade it (no score, never a 0).  ``columns`` maps our column names onto an export's own
(``{"student": "Username", "answer": "Response"}``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from membranelab.atomic import FileTooLargeError, NotRegularFileError, read_regular_bytes
from membranelab.errors import CliError
from membranelab.messages.oserror import os_reason
from membranelab.service.spreadsheet import SafeWriter, unescape_cell

__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "AnswerRow",
    "parse_columns",
    "parse_timestamp",
    "grades_csv_text",
    "read_answers",
]

#: Columns an answers file must have.
INPUT_COLUMNS = ("student", "assignment", "problem", "part", "answer")
#: Columns an answers file may have.
OPTIONAL_COLUMNS = ("timestamp",)
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
    #: Why the row cannot be graded: a catalog message (``{"msg": key, **params}``), rendered
    #: in the user's language wherever it is shown; None for a good row.
    error: Mapping[str, Any] | None = None
    timestamp: float | None = None
    #: Why the row is not graded (its timestamp unreadable or ambiguous, or another answer to
    #: the same part's): a catalog message like ``error``; None for a row to grade.
    ungraded: Mapping[str, Any] | None = None

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


#: The largest answers file read (a class's answers are far smaller).
MAX_ANSWERS_BYTES = 256 * 1024 * 1024


def _open_text(path: Path) -> str:
    try:
        data = read_regular_bytes(path, MAX_ANSWERS_BYTES)
    except FileNotFoundError:
        raise CliError("csv.no_such_file", path=str(path)) from None
    except NotRegularFileError as exc:
        if "directory" in str(exc):
            raise CliError("csv.is_directory", path=str(path)) from None
        raise CliError("answers.not_regular", path=str(path)) from None
    except FileTooLargeError:
        raise CliError("answers.too_large", path=str(path),
                       limit=f"{MAX_ANSWERS_BYTES // (1024 * 1024)} MiB") from None
    except OSError as exc:
        raise CliError("csv.cannot_read", path=str(path), reason=os_reason(exc)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError("csv.not_utf8", path=str(path), byte=exc.start) from None


def parse_columns(spec: str | None) -> dict[str, str]:
    """``"student=Username,answer=Response"`` -> ``{"student": "Username", ...}`` (our name ->
    the export's header); a CliError names what is wrong."""
    mapping: dict[str, str] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        ours, sep, theirs = item.partition("=")
        ours, theirs = ours.strip().lower(), theirs.strip()
        if not sep or not theirs:
            raise CliError("csv.columns_form", item=repr(item.strip()))
        if ours not in INPUT_COLUMNS + OPTIONAL_COLUMNS:
            raise CliError("csv.columns_unknown", column=repr(ours),
                           columns=", ".join(INPUT_COLUMNS + OPTIONAL_COLUMNS))
        mapping[ours] = theirs
    return mapping


def _header_map(header: list[str], path: Path,
                columns: dict[str, str] | None = None) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    wanted = {c: (columns or {}).get(c, c).strip().lower()
              for c in INPUT_COLUMNS + OPTIONAL_COLUMNS}
    missing = [c for c in INPUT_COLUMNS if wanted[c] not in names]
    if missing:
        found = ", ".join(h for h in header if h.strip()) or "-"
        named = ", ".join(c if wanted[c] == c else f"{c} (= {wanted[c]!r})" for c in missing)
        raise CliError("csv.missing_columns", path=str(path), missing=named, found=found,
                       header=",".join(INPUT_COLUMNS))
    return {c: names.index(wanted[c]) for c in INPUT_COLUMNS + OPTIONAL_COLUMNS
            if wanted[c] in names}


def parse_timestamp(text: str, order: str | None = None) -> float:
    """Seconds since 1970 (UTC) of one timestamp (see :func:`.timestamps.parse_stamp`);
    ``ValueError`` (a :class:`.timestamps.StampError`) when unreadable or ambiguous."""
    from .timestamps import parse_stamp

    return parse_stamp(text, order)


def _stamps(rows: list[AnswerRow], raw: dict[int, str], date_format: str | None
            ) -> list[AnswerRow]:
    """The rows with their timestamps read, the day/month order decided over the column; a
    timestamp that cannot be read (or only by guessing) makes its row ungraded."""
    from .timestamps import StampError, column_order, parse_stamp

    order = column_order((raw[r.index] for r in rows if r.index in raw), date_format)
    out = []
    for row in rows:
        text = raw.get(row.index)
        if text is None:
            out.append(row)
            continue
        try:
            out.append(replace(row, timestamp=parse_stamp(text, order)))
        except StampError as exc:
            out.append(replace(row, ungraded={"msg": f"batch.stamp_{exc.kind}",
                                              "value": repr(exc.value)}))
    return out


def _row(index: int, line: int, fields: list[str], columns: dict[str, int], width: int,
         raw: dict[int, str] | None = None) -> AnswerRow:
    """One row (``raw`` collects its timestamp's text, read later over the whole column)."""
    values = {c: (fields[i] if i < len(fields) else "") for c, i in columns.items()}
    error = None
    stamp = None
    if len(fields) != width:
        error = {"msg": "csv.row_width", "fields": len(fields), "expected": width}
    else:
        empty = [c for c in ("student", "assignment", "problem", "part")
                 if not values[c].strip()]
        if empty:
            error = {"msg": "csv.row_empty", "columns": ", ".join(empty)}
        elif "timestamp" in values and raw is not None:
            raw[index] = values["timestamp"]
    values.pop("timestamp", None)
    clean: dict[str, Any] = {c: (unescape_cell(v) if c == "answer" else v.strip()) for c, v in values.items()}
    for c in ("student", "assignment", "problem"):
        clean[c] = clean[c].casefold()
    return AnswerRow(index, line, error=error, timestamp=stamp, **clean)


def _delimiter(first: str, path: Path, columns: dict[str, str] | None = None) -> str:
    """``,`` unless the header only makes sense split on ``;`` or a tab (spreadsheet exports)."""
    wanted = {(columns or {}).get(c, c).strip().lower() for c in INPUT_COLUMNS}
    for delimiter in (",", ";", "\t"):
        try:
            names = {h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))}
        except csv.Error as exc:
            raise CliError("csv.bad_header", path=str(path), line=1, reason=_reason(exc)) from None
        if wanted <= names:
            return delimiter
    return ","


def _reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return text


def _line_endings(text: str) -> str:
    """Old-Mac exports end lines with CR only: read them as lines (CRLF and LF are untouched)."""
    if "\r" in text and "\n" not in text:
        return text.replace("\r", "\n")
    return text


def _salvage(lines: list[str], line: int, delimiter: str) -> list[str]:
    """The leading fields of a row the csv module refused (a field too long): who and what it
    is, for the report; the oversized field itself is not kept."""
    head = lines[line - 1][:1_000] if 0 < line <= len(lines) else ""
    try:
        return next(csv.reader([head], delimiter=delimiter), [])
    except csv.Error:
        return []


def _check_quotes(rows: list[AnswerRow], path: Path, width: int, delimiter: str) -> None:
    """An unclosed quote makes one field swallow the rows after it: refuse the file, naming
    the line where the quote opens (the other students' answers would be lost)."""
    for row in rows:
        for value in (row.student, row.assignment, row.problem, row.part, row.answer):
            swallowed = [ln for ln in value.splitlines()[1:] if ln.count(delimiter) >= width - 1]
            if swallowed:
                raise CliError("csv.unclosed_quote", path=str(path), line=row.line,
                               count=len(swallowed))


def read_answers(path: str | os.PathLike[str],
                 columns: dict[str, str] | None = None,
                 date_format: str | None = None) -> list[AnswerRow]:
    """Every data row of an answers CSV, malformed ones included (with their reason);
    ``columns`` maps our column names onto the file's own (see :func:`parse_columns`);
    ``date_format`` (``dmy``, ``mdy``, ``ymd`` or a ``strptime`` pattern) reads the timestamps'
    dates, else their day/month order is inferred over the column.
    An unclosed quote that swallows rows is a CliError naming its line."""
    source = Path(path)
    text = _line_endings(_open_text(source))
    if not text.strip():
        raise CliError("csv.empty", path=str(source), header=",".join(INPUT_COLUMNS))
    lines = re.split(r"\r\n|\r|\n", text)  # the csv module's line breaks, nothing else
    first = next(line for line in lines if line.strip())
    delimiter = _delimiter(first, source, columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    try:
        while not any(h.strip() for h in header):  # blank lines before the header are skipped
            header = next(reader)
    except csv.Error as exc:
        raise CliError("csv.bad_header", path=str(source), line=reader.line_num,
                       reason=_reason(exc)) from None
    mapped = _header_map(header, source, columns)
    rows: list[AnswerRow] = []
    raw: dict[int, str] = {}
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            leading = (_salvage(lines, line, delimiter) + [""] * len(header))[: len(header)]
            row = _row(len(rows), line, leading, mapped, len(header))
            rows.append(replace(row, answer="", error={"msg": "csv.row_unreadable",
                                                         "reason": _reason(exc)}))
            continue
        if not any(f.strip() for f in fields):
            continue  # blank line
        rows.append(_row(len(rows), line, fields, mapped, len(header), raw))
    _check_quotes(rows, source, len(header), delimiter)
    return _stamps(rows, raw, date_format)


def grades_csv_text(rows: list[list[str]]) -> str:
    """The grades file's text: header then rows, in the given order."""
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()
