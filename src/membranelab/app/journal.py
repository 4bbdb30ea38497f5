"""The resume journal of a batch: ``GRADES.csv.partial``, one JSON line per graded row.

Each line is ``{"k": row key, "o": [output fields]}``; lines are appended in chunks and fsynced,
so after a crash or SIGKILL the journal holds every chunk that finished.  A torn last line is
ignored (and cut off before the next append); a row whose key is not in the journal is graded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from membranelab.app.atomic import append_durably
from membranelab.app.errors import CliError

__all__ = ["Journal", "journal_path"]


def journal_path(output: str | os.PathLike[str]) -> Path:
    """The journal beside an output file: ``GRADES.csv`` -> ``GRADES.csv.partial``."""
    out = Path(output)
    return out.with_name(out.name + ".partial")


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
            raise CliError(f"cannot read journal {self.path}: {exc.strerror or exc}") from None
        done: dict[str, list[str]] = {}
        complete = raw[: raw.rfind(b"\n") + 1]
        for line in complete.splitlines():
            try:
                entry = json.loads(line)
                key, fields = entry["k"], entry["o"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(key, str) and isinstance(fields, list):
                done[key] = [str(f) for f in fields]
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
