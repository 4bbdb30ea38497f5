"""A class roster and the personal tokens of ``membranelab serve tokens ROSTER.csv``.

Roster: a UTF-8 CSV with a header holding ``student`` (the id the variants are drawn for, as in
the answers CSV of ``grade``) and optionally ``name``; other columns are ignored::

    student,name
    alice,Alice Liddell
    bob,Bob Dylan

``serve tokens`` gives every rostered student without a token a fresh one (``--renew``: everyone,
invalidating the old ones), stores only the hashes in the class database, and writes the tokens
and personal sign-in links to a CSV for the teacher to hand out.  The teacher's own token (for the
export view and ``POST /api/grade``) is made the same way, once.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from membranelab.atomic import atomic_write_text
from membranelab.errors import CliError
from membranelab.service.spreadsheet import SafeWriter

from .config import MAX_ID
from .db import ClassDB
from .security import hash_token, new_token

__all__ = ["TEACHER", "RosterEntry", "issue_tokens", "read_roster", "tokens_csv_text"]

#: The role name of the teacher's row in the tokens file.
TEACHER = "teacher"
#: The setting under which the teacher's token hash is stored.
TEACHER_HASH_KEY = "teacher_token_hash"
_ID = re.compile(rf"^[^\x00-\x1f\x7f]{{1,{MAX_ID}}}$")


@dataclass(frozen=True)
class RosterEntry:
    """One rostered student."""

    student: str
    name: str = ""


def read_roster(path: str | os.PathLike[str]) -> tuple[RosterEntry, ...]:
    """The roster's students in file order; a missing column, a blank or repeated id is an error."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError("roster.missing", source=str(source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError("roster.unreadable", source=str(source), error=str(exc)) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in reader.fieldnames or ()]
    if "student" not in fields:
        raise CliError("roster.no_header", source=str(source))
    reader.fieldnames = fields
    entries: list[RosterEntry] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        student = (row.get("student") or "").strip()
        if not student and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if not _ID.match(student):
            raise CliError("roster.blank_id", source=str(source), line=line)
        if student.casefold() in seen:
            raise CliError("roster.twice", source=str(source), line=line, student=repr(student))
        seen.add(student.casefold())
        entries.append(RosterEntry(student, (row.get("name") or "").strip()))
    if not entries:
        raise CliError("roster.empty", source=str(source))
    return tuple(entries)


def tokens_csv_text(rows: list[tuple[str, str, str, str, str]]) -> str:
    """The tokens file: role, student, name, token, link (every cell safe to open in a
    spreadsheet: a student id or name such as ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``;
    tokens never start with a formula's character, so tokens and links are written as made)."""
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(("role", "student", "name", "token", "link"))
    writer.writerows(rows)
    return buffer.getvalue()


def issue_tokens(db: ClassDB, roster: tuple[RosterEntry, ...], *, base_url: str,
                 renew: bool = False) -> list[tuple[str, str, str, str, str]]:
    """Give tokens to rostered students who have none (``renew``: to all) and, once, to the
    teacher; return the new rows (role, student, name, token, link).  Only hashes are stored."""
    known = db.student_hashes()
    base = base_url.rstrip("/")
    rows: list[tuple[str, str, str, str, str]] = []
    if renew or db.get_setting(TEACHER_HASH_KEY) is None:
        token = new_token()
        db.set_setting(TEACHER_HASH_KEY, hash_token(token))
        rows.append((TEACHER, "", "", token, f"{base}/login?token={token}"))
    for entry in roster:
        if known.get(entry.student) and not renew:
            db.set_student(entry.student, entry.name, None)
            continue
        token = new_token()
        db.set_student(entry.student, entry.name, hash_token(token))
        rows.append(("student", entry.student, entry.name, token, f"{base}/login?token={token}"))
    return rows


def write_tokens(path: str | os.PathLike[str], rows: list[tuple[str, str, str, str, str]]) -> None:
    """Write the tokens file atomically (it holds secrets: keep it away from students)."""
    atomic_write_text(path, tokens_csv_text(rows), private=True)
