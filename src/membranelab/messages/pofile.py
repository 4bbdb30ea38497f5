"""Reading a gettext ``.po`` file: the few lines of the format the catalogs use, without Babel.

Run time needs only ``msgid``/``msgstr`` pairs, so the plain install carries no Babel (its
locale data alone is 35 MB); maintenance (``python -m membranelab.messages pot``) still uses
Babel, from the ``[dev]`` extra.  Understood: ``#`` comment lines (``#,`` flags, ``#.``
comments), ``msgctxt`` (kept out of the key: the catalogs use none), ``msgid``/``msgstr``
with continuation lines, the C escapes gettext writes (``\\n``, ``\\t``, ``\\"``, ``\\\\``),
obsolete entries (``#~``, skipped) and plural forms (their first form).
"""

from __future__ import annotations

import re

__all__ = ["PoError", "read_po_messages"]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r'\\(.)')
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


class PoError(ValueError):
    """A line of a ``.po`` file that is not of the format (``line``: its number)."""

    def __init__(self, line: int, text: str) -> None:
        super().__init__(f"line {line}: cannot read {text[:60]!r}")
        self.line = line


def _unquote(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(line, text)
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po_messages(data: bytes | str) -> dict[str, str]:
    """``msgid -> msgstr`` of every entry (the header, with the empty msgid, left out; an empty
    msgstr kept as ``""``).  Raises :class:`PoError` naming the first line it cannot read."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    field = ""

    def close() -> None:
        nonlocal entry, field
        if entry.get("msgid"):
            messages[entry["msgid"]] = entry.get("msgstr", entry.get("msgstr[0]", ""))
        entry, field = {}, ""

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#"):  # a comment, flag or obsolete entry starts the next entry
            if any(key.startswith("msgstr") for key in entry):
                close()
            continue
        match = _KEYWORD.match(line)
        if match:
            if match.group(1) in ("msgctxt", "msgid") and any(
                    key.startswith("msgstr") for key in entry):
                close()
            field = match.group(1)
            entry[field] = _unquote(match.group(3), number)
            continue
        if line.startswith('"') and field:
            entry[field] += _unquote(line, number)
            continue
        raise PoError(number, line)
    close()
    return messages
