"""CSV cells a spreadsheet will not run: OWASP's rule against CSV (formula) injection.

A spreadsheet (Excel, LibreOffice Calc, Google Sheets) opening a CSV reads a cell that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, and a formula can open
links, fetch URLs or, in old Excel, run programs.  Students' answers reach every export
(``grade -o``, ``grade --totals``, the class server's CSVs), so every cell written goes through
:func:`safe_cell`: such a cell gets a leading ``'``, which spreadsheets read as "this is text"
(OWASP, "CSV Injection"), and the csv module quotes and doubles ``"`` as RFC 4180 says.  A plain
number (``-80.6``, ``+3``, ``-1e-3``) is left alone: a spreadsheet reads it as a number, never a
formula.

:func:`unescape_cell` takes the quote off again where membranelab reads its own export back
(an answers file fed to ``grade``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_START", "SafeWriter", "safe_cell", "unescape_cell"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> str:
    """``value`` as a cell no spreadsheet runs: ``'`` before a formula's first character."""
    text = str(value)
    if text[:1] in FORMULA_START and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The cell :func:`safe_cell` escaped, as it was (other text unchanged)."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, buffer: Any, **options: Any) -> None:
        self._writer = csv.writer(buffer, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write rows."""
        for row in rows:
            self.writerow(row)
