"""The resume journal of a batch: ``GRADES.csv.partial``, one JSON line per graded row.

Each line is ``{"k": row key, "o": [output fields]}``; lines are appended in chunks and fsynced,
so after a crash or SIGKILL the journal holds every chunk that finished.  A torn last line is
ignored (and cut off before the next append); a row whose key is not in the journal is graded.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Iterable
from pathlib import Path

from membranelab.atomic import append_durably, check_writable_target
from membranelab.errors import CliError
from membranelab.messages.oserror import os_reason
from membranelab.service.answers_csv import INPUT_COLUMNS, OUTPUT_COLUMNS

__all__ = ["Journal", "journal_path"]

log = logging.getLogger(__name__)

#: Result fields per row (score, points, correct, note, feedback, expected) and where the
#: checked ones are.
RESULT_COLUMNS = OUTPUT_COLUMNS[len(INPUT_COLUMNS):]
_SCORE, _POINTS, _CORRECT = (RESULT_COLUMNS.index(c) for c in ("score", "points", "correct"))
EMPTY_OUTPUT = "the grades file name is empty; give one, e.g. -o grades.csv"


def journal_path(output: str | os.PathLike[str]) -> Path:
    """The journal beside an output file: ``GRADES.csv`` -> ``GRADES.csv.partial``.

    Checks the output first, so a batch stops before grading, not after: an empty name is a
    :class:`CliError`, a directory, FIFO or device a ``NotRegularFileError``."""
    if not os.fspath(output).strip():
        raise CliError(EMPTY_OUTPUT)
    check_writable_target(output)
    out = Path(output)
    return out.with_name(out.name + ".partial")


def _entry(line: bytes) -> tuple[str, list[str]] | None:
    """(key, result fields) of a journal line, None when it is not one of ours: not JSON, too
    deep, or not ``{"k": str, "o": [score, points, "true"|"false", note, feedback, expected]}``
    with finite numbers (a wrong line is regraded, never trusted)."""
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(entry, dict):
        return None
    key, fields = entry.get("k"), entry.get("o")
    # a seventh field, when there is one, is why the answer could not be read (pipeline)
    if not (isinstance(key, str) and isinstance(fields, list)
            and len(fields) in (len(RESULT_COLUMNS), len(RESULT_COLUMNS) + 1)
            and all(isinstance(field, str) for field in fields)
            and fields[_CORRECT] in ("true", "false")):
        return None
    try:
        score, points = float(fields[_SCORE]), float(fields[_POINTS])
    except ValueError:
        return None
    if not (math.isfinite(score) and math.isfinite(points)):
        return None
    return key, fields


class Journal:
    """Append-only record of finished rows, keyed by row identity."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, list[str]]:
        """Every complete line's key -> output fields; repairs a torn last line for appending."""
        if not self.path.exists():
            return {}
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise CliError("grade.cannot_read_journal", path=str(self.path), reason=os_reason(exc)) from None
        done: dict[str, list[str]] = {}
        complete = raw[: raw.rfind(b"\n") + 1]
        skipped = 0
        for line in complete.splitlines():
            entry = _entry(line)
            if entry is None:
                skipped += line.strip() != b""
                continue
            done[entry[0]] = entry[1]
        if skipped:
            log.warning("journal %s: %d line(s) of the wrong shape ignored (rows regraded)",
                        self.path, skipped)
        if len(complete) != len(raw):  # torn tail from a kill mid-write: drop it
            with open(self.path, "r+b") as handle:
                handle.truncate(len(complete))
        return done

    def append(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        """Append finished rows and fsync (one durable write per chunk)."""
        text = "".join(json.dumps({"k": k, "o": o}, ensure_ascii=False) + "\n" for k, o in entries)
        if text:
            append_durably(self.path, text)

    def remove(self) -> None:
        """Delete the journal (after the final file is in place)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
