"""Reading the ``timestamp`` column of an answers export in the forms spreadsheets and LMSs write.

Read, each to seconds since 1970 (UTC)::

    2026-12-07T14:03:00+08:00   ISO 8601, with a zone (Z, +08:00, +0800) or without (UTC)
    2026-12-07 14:03:00         the same with a space (Excel's ISO-like export), seconds optional
    2026/12/07 14:03            year first with slashes or dots: always year-month-day
    07/12/2026 14:03            Excel's regional forms: day/month or month/day, year of 4 or 2
    7.12.2026 2:03 PM           digits, seconds optional, a 12-hour clock with AM/PM, or no time
    1796652180                  seconds since 1970 (an integer or a decimal)

Whether ``07/12/2026`` is the 7th of December or July 12th is decided per column
(:func:`column_order`): a value whose first number is above 12 (``13/12/2026``) can only be
day/month, one whose second is (``12/13/2026``) only month/day; the values that decide agree, and
the column is read that way.  When none decides (or they disagree), a value that could be either
(and is not the same both ways, as ``07/07/2026``) is *ambiguous*; ``--date-format dmy`` or
``mdy`` (or a ``strptime`` pattern such as ``%d/%m/%Y %H:%M``) settles it.  An ambiguous or
unreadable value raises :class:`StampError` with the reason, never a guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

__all__ = ["ORDERS", "StampError", "column_order", "parse_date_format", "parse_stamp"]

#: The day/month orders ``--date-format`` names.
ORDERS = ("dmy", "mdy", "ymd")

_REGIONAL = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})"
    r"(?:[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class StampError(ValueError):
    """A timestamp that cannot be read (``kind`` ``unreadable``) or read only by guessing the
    day/month order (``ambiguous``)."""

    def __init__(self, kind: str, value: str) -> None:
        super().__init__(f"{kind} timestamp {value[:40]!r}")
        self.kind = kind
        self.value = value[:40]


def parse_date_format(text: str | None) -> str | None:
    """``--date-format``: ``dmy``, ``mdy``, ``ymd`` (any case) or a ``strptime`` pattern
    (holding ``%``); None when not given.  Anything else raises ``ValueError``."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if value.lower() in ORDERS:
        return value.lower()
    if "%" in value:
        return value
    raise ValueError(f"--date-format must be dmy, mdy, ymd or a strptime pattern (%d/%m/%Y "
                     f"%H:%M), got {value!r}")


def _parts(text: str) -> re.Match[str] | None:
    return _REGIONAL.match(text.strip())


def _votes(match: re.Match[str]) -> set[str]:
    """The orders a day-first-or-month-first value allows (``dmy``, ``mdy``)."""
    a, b = int(match["a"]), int(match["b"])
    if len(match["a"]) > 2:
        return {"ymd"}
    allowed = set()
    if 1 <= a <= 31 and 1 <= b <= 12:
        allowed.add("dmy")
    if 1 <= a <= 12 and 1 <= b <= 31:
        allowed.add("mdy")
    return allowed


def column_order(values: Iterable[str], date_format: str | None = None) -> str | None:
    """The day/month order of a column: ``date_format`` when given, else the one its deciding
    values agree on (``dmy`` or ``mdy``), else None (nothing decides, or they disagree)."""
    if date_format is not None:
        return date_format
    decided = set()
    for value in values:
        match = _parts(value)
        if match is None:
            continue
        votes = _votes(match)
        if len(votes) == 1 and votes != {"ymd"}:
            decided |= votes
    return next(iter(decided)) if len(decided) == 1 else None


def _zone(text: str | None) -> timezone:
    if text is None or text in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) <= 2 else year


def _regional(match: re.Match[str], order: str | None, raw: str) -> float:
    votes = _votes(match)
    if votes == {"ymd"}:
        year, month, day = int(match["a"]), int(match["b"]), int(match["c"])
    else:
        first, second = int(match["a"]), int(match["b"])
        if order in ("dmy", "mdy", "ymd"):
            if order not in votes:  # a month of 13, or a year where the order puts a day
                raise StampError("unreadable", raw)
        elif len(votes) == 1:
            order = next(iter(votes))
        elif len(votes) == 2 and first == second:
            order = "dmy"  # 07/07: the same date either way
        elif len(votes) == 2:
            raise StampError("ambiguous", raw)
        else:
            raise StampError("unreadable", raw)
        day, month = (first, second) if order == "dmy" else (second, first)
        year = _year(match["c"])
    hour = int(match["h"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise StampError("unreadable", raw)
        hour = hour % 12 + (12 if match["ampm"][0] in "Pp" else 0)
    micro = int((match["frac"] or "0")[:6].ljust(6, "0"))
    try:
        stamp = datetime(year, month, day, hour, int(match["mi"] or 0), int(match["s"] or 0),
                         micro, tzinfo=_zone(match["zone"]))
    except ValueError:
        raise StampError("unreadable", raw) from None
    return stamp.timestamp()


def parse_stamp(text: str, order: str | None = None) -> float:
    """Seconds since 1970 (UTC) of one timestamp, the column's day/month ``order`` (``dmy``,
    ``mdy``, or a ``strptime`` pattern) deciding a regional date; no zone means UTC.  Raises
    :class:`StampError` (``unreadable`` or ``ambiguous``)."""
    raw = text.strip()
    if _NUMBER.match(raw):
        seconds = float(raw)
        if not math.isfinite(seconds):
            raise StampError("unreadable", raw)
        return seconds
    if order is not None and "%" in order:
        try:
            stamp = datetime.strptime(raw, order)
        except ValueError:
            raise StampError("unreadable", raw) from None
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)).timestamp()
    match = _parts(raw)
    if match is not None and (len(match["a"]) <= 2 or match["sep"] != "-"):
        return _regional(match, order, raw)
    try:
        stamp = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise StampError("unreadable", raw) from None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)).timestamp()
