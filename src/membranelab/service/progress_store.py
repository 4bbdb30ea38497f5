"""A student's practice progress: one small JSON file in the user's data directory.

The directory is ``platformdirs.user_data_dir("membranelab")``, or ``$MEMBRANELAB_DATA_DIR``
when set (tests, shared machines).  The file is rewritten atomically after every graded attempt,
so a killed session resumes at the last answer given.

Several sessions (students sharing a machine, a terminal and a browser) may save at once: each
save takes an exclusive lock (``progress.json.lock``, ``fcntl.flock``), re-reads the file and
merges the problems this session changed into what the others wrote, part by part, so nobody's
progress is lost: a part's tries are the file's plus those this session added since it read
the file, its score and hints shown the larger of the two, a part right, a solution revealed
or a problem done in either stays so (:func:`_merge`); only a problem this session reset is written over.  The
file must be a regular file of at most :data:`MAX_FILE_BYTES` (not a FIFO or a device).  One damaged entry costs only itself: an entry of the wrong shape (``"problems": null``,
``"part": -5``, ``1e400``, nesting 100,000 deep) is skipped with a warning, and kept as it was in
the file unless its own student saves over it.  A file that cannot be written (read-only, full
disk) is reported once on stderr and the session goes on with its progress in memory.

Layout of ``progress.json``::

    {"version": 1,
     "students": {"alice": {"problems": {"nernst-potassium": {
         "part": 1, "tries": {"E_K": 2}, "scores": {"E_K": 1.0}, "hints": {"E_K": 1},
         "revealed": false, "done": false, "answered": ["9f0c..."], "right": ["E_K"],
         "last": {"E_K": {"answer": "-95 mV", "result": {...PartResult.to_dict()...}}}}}}}}

``answered`` (optional): the ids of the last :data:`MAX_ANSWERED` submissions recorded from the
browser, so a re-sent one is not counted twice.

``right`` (optional): the parts a try answered right (the scoring policy closes them; with a
penalty per wrong try, a right answer may earn less than the part's points).

``last`` (optional, written by the browser): each part's latest answer and its verdict, so a page
shows them again after a reload or a restart.  An entry of another shape is dropped alone.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from membranelab.atomic import atomic_write_text, read_regular_text
from membranelab.errors import CliError

__all__ = ["DATA_DIR_ENV", "ProblemProgress", "ProgressStore", "data_dir"]

#: Environment variable that overrides the data directory.
DATA_DIR_ENV = "MEMBRANELAB_DATA_DIR"
_VERSION = 1
_FILE_NAME = "progress.json"
#: Largest part number or count accepted from the file (a problem has a handful of parts).
MAX_COUNT = 10_000
#: The largest progress file read (a class of students' progress is far smaller).
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Submission ids kept per problem (``answered``), and the longest id kept.
MAX_ANSWERED = 50
_MAX_UID = 64
#: Longest answer text kept in ``last`` (the server refuses longer answers anyway).
MAX_LAST_ANSWER = 10_000
#: Catalog keys: the progress file cannot be read (``path``, ``reason``, ``env``), or written
#: (``path``, ``reason``), and why a file that was read holds nothing usable.
CANNOT_READ = "progress.cannot_read"
CANNOT_WRITE = "progress.cannot_write"
DAMAGED = "progress.damaged"
log = logging.getLogger(__name__)


def data_dir() -> Path:
    """The directory holding membranelab's per-user files ($MEMBRANELAB_DATA_DIR wins)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("membranelab", appauthor=False))


def _count(value: Any) -> int:
    """A non-negative whole number from the file (bool, float, text refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ValueError(f"expected a whole number from 0 to {MAX_COUNT}, found {value!r}")
    return value


def _score(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            math.isfinite(value) and 0 <= value <= MAX_COUNT):
        raise ValueError(f"expected a finite score >= 0, found {value!r}")
    return float(value)


def _uids(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(
            isinstance(v, str) and 0 < len(v) <= _MAX_UID for v in value):
        raise ValueError("answered must be a list of submission ids")
    return list(value[-MAX_ANSWERED:])

def _parts(value: Any) -> list[str]:
    """A list of part ids (``right``)."""
    if not isinstance(value, list) or len(value) > MAX_COUNT or not all(
            isinstance(v, str) and 0 < len(v) <= _MAX_UID for v in value):
        raise ValueError("right must be a list of part ids")
    return list(value)


def _last(value: Any) -> dict[str, Any]:
    """One part's latest answer: ``{"answer": text, "result": mapping}`` (else ``ValueError``)."""
    if not isinstance(value, dict) or set(value) != {"answer", "result"}:
        raise ValueError("a last answer must be {answer, result}")
    answer, result = value["answer"], value["result"]
    if not isinstance(answer, str) or len(answer) > MAX_LAST_ANSWER or not isinstance(result, dict):
        raise ValueError("a last answer's text or result has the wrong shape")
    return {"answer": answer, "result": result}


def _lasts(data: Any) -> dict[str, dict[str, Any]]:
    """The ``last`` table; a malformed entry is dropped alone (logged), never the problem."""
    table = data.get("last", {})
    if not isinstance(table, dict):
        log.warning("progress 'last' table of the wrong shape dropped")
        return {}
    out = {}
    for key, value in table.items():
        try:
            out[str(key)] = _last(value)
        except ValueError as exc:
            log.warning("last answer of %r dropped: %s", key, exc)
    return out


def _table(data: Any, name: str, convert: Any) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ValueError(f"{name} must be a mapping, found {type(table).__name__}")
    return {str(k): convert(v) for k, v in table.items()}


@dataclass
class ProblemProgress:
    """Where a student stands on one problem (mutable; saved by :class:`ProgressStore`)."""

    part: int = 0
    tries: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)
    revealed: bool = False
    done: bool = False
    answered: list[str] = field(default_factory=list)
    last: dict[str, dict[str, Any]] = field(default_factory=dict)
    right: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``answered`` only when there are ids, ``last`` when there is one)."""
        out = {"part": self.part, "tries": dict(self.tries), "scores": dict(self.scores),
               "hints": dict(self.hints), "revealed": self.revealed, "done": self.done}
        if self.answered:
            out["answered"] = list(self.answered[-MAX_ANSWERED:])
        if self.last:
            out["last"] = {k: dict(v) for k, v in self.last.items()}
        if self.right:
            out["right"] = sorted(set(self.right))
        return out

    def remember(self, uid: str) -> None:
        """Keep ``uid`` among the recorded submission ids (the oldest forgotten)."""
        self.answered = [*(u for u in self.answered if u != uid), uid][-MAX_ANSWERED:]

    @classmethod
    def from_dict(cls, data: Any) -> ProblemProgress:
        """Rebuild from :meth:`to_dict`; anything of another shape raises ``ValueError``."""
        if not isinstance(data, dict):
            raise ValueError(f"bad progress entry: a mapping expected, found {data!r:.40}")
        try:
            return cls(part=_count(data.get("part", 0)),
                       tries=_table(data, "tries", _count),
                       scores=_table(data, "scores", _score),
                       hints=_table(data, "hints", _count),
                       revealed=data.get("revealed", False) is True,
                       done=data.get("done", False) is True,
                       answered=_uids(data.get("answered", [])),
                       last=_lasts(data), right=_parts(data.get("right", [])))
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"bad progress entry: {exc}") from exc


def _skip_value(text: str, start: int) -> int:
    """The end of the JSON value at ``start`` found by counting brackets (strings respected),
    without recursion: used only to step over a value too deep for the json module."""
    depth, index, in_string = 0, start, False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError("unterminated value")


def _students(text: str) -> dict[str, Any]:
    """Each student's raw entry (a parsed value, or :class:`_Raw` text when it is too deeply
    nested to parse); the layout and version are checked."""
    try:
        data = json.loads(text)
    except RecursionError:
        return _students_one_by_one(text)
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        raise ValueError("unknown layout or version")
    students = data.get("students", {})
    if not isinstance(students, dict):
        raise ValueError("students must be a mapping")
    return students


class _Raw(str):
    """An entry's JSON text, kept verbatim because it cannot be parsed here."""


def _students_one_by_one(text: str) -> dict[str, Any]:
    """Like :func:`_students` for a file holding an entry too deep for the json module."""
    decoder = json.JSONDecoder()
    marker = text.find('"students"')
    start = text.find("{", marker)
    version = json.loads(text[:marker].rstrip().rstrip(",") + "}") if marker > 0 else None
    if marker < 0 or start < 0:
        raise ValueError("unknown layout or version")
    if version is not None and version.get("version", _VERSION) != _VERSION:
        raise ValueError("unknown layout or version")
    students: dict[str, Any] = {}
    index = start + 1
    while True:
        index = _skip_blank(text, index)
        if text.startswith("}", index):
            return students
        name, index = decoder.raw_decode(text, index)
        index = _skip_blank(text, index)
        if not text.startswith(":", index):
            raise ValueError("a ':' expected after a student's name")
        index = _skip_blank(text, index + 1)
        try:
            value, end = decoder.raw_decode(text, index)
        except RecursionError:
            end = _skip_value(text, index)
            value = _Raw(text[index:end])
        students[str(name)] = value
        index = _skip_blank(text, end)
        if text.startswith(",", index):
            index += 1


def _skip_blank(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _problems(student: str, entry: Any) -> dict[str, ProblemProgress | Any]:
    """A student's problems: ProblemProgress, or the raw entry when it cannot be read (logged)."""
    problems = entry.get("problems") if isinstance(entry, dict) else None
    if not isinstance(problems, dict):
        log.warning("progress of %r cannot be read (%s); skipped", student,
                    "too deeply nested" if isinstance(entry, _Raw) else "no problems mapping")
        return {}
    out: dict[str, ProblemProgress | Any] = {}
    for pid, value in problems.items():
        try:
            out[str(pid)] = ProblemProgress.from_dict(value)
        except ValueError as exc:
            log.warning("progress of %r on %r skipped: %s", student, pid, exc)
    return out


class ProgressStore:
    """Load, query and save (locked, merged, atomic) every student's progress in one file."""

    def __init__(self, path: Path | None = None, *, lang: str | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / _FILE_NAME
        #: The language of the warning a failed save prints (None: the one in force).
        self.lang = lang
        raw = self._read_raw()
        self._students = {s: _problems(s, e) for s, e in raw.items()}
        self._touched: set[tuple[str, str]] = set()
        self._cleared: set[str] = set()
        self._replaced: set[tuple[str, str]] = set()  # reset here: written over, not merged
        self._base = {(s, p): v.to_dict() for s, entry in self._students.items()
                      for p, v in entry.items()}
        self._warned = False

    def _read_raw(self) -> dict[str, Any]:
        if not os.path.lexists(self.path):
            return {}
        try:
            return _students(read_regular_text(self.path, MAX_FILE_BYTES))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            from membranelab.messages import os_reason

            log.warning("cannot read progress file %s: %s", self.path, exc)
            reason = os_reason(exc) if isinstance(exc, OSError) else {"msg": DAMAGED}
            raise CliError(CANNOT_READ, path=str(self.path), reason=reason,
                           env=DATA_DIR_ENV) from exc

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock on ``progress.json.lock`` for one read-merge-write."""
        try:
            import fcntl
        except ImportError:  # not POSIX: one session at a time
            yield
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def get(self, student: str, problem_id: str) -> ProblemProgress:
        """The student's progress on a problem, created empty if new (not saved until :meth:`save`)."""
        self._touched.add((student, problem_id))
        return self._students.setdefault(student, {}).setdefault(problem_id, ProblemProgress())

    def known(self, student: str, problem_id: str) -> bool:
        """True when the student has started this problem."""
        return problem_id in self._students.get(student, {})

    def started(self, student: str) -> list[str]:
        """The ids of the problems the student has progress on."""
        return sorted(self._students.get(student, {}))

    def reset(self, student: str, problem_ids: list[str] | None = None) -> None:
        """Forget one student's progress on ``problem_ids``, or on every problem when None
        (saved by the next :meth:`save`)."""
        if problem_ids is None:
            self._cleared.add(student)
            self._replaced = {t for t in self._replaced if t[0] != student}
            self._touched = {t for t in self._touched if t[0] != student}
            self._students.pop(student, None)
            return
        entry = self._students.get(student, {})
        for problem_id in problem_ids:
            self._touched.add((student, problem_id))
            self._replaced.add((student, problem_id))
            entry.pop(problem_id, None)

    def save(self) -> bool:
        """Write this session's changes over what the file holds now, under the lock, atomically
        (other sessions' progress is kept).  False when the file cannot be written: warned once
        on stderr, progress kept in memory."""
        try:
            with self._locked():
                current = self._read_raw()
                for student in self._cleared:
                    current.pop(student, None)
                for student, problem_id in self._touched:
                    mine = self._students.get(student, {}).get(problem_id)
                    entry = current.get(student)
                    if not isinstance(entry, dict) or not isinstance(entry.get("problems"), dict):
                        entry = current[student] = {"problems": {}}  # unreadable: replaced
                    if mine is None:
                        entry["problems"].pop(problem_id, None)
                    elif (student, problem_id) in self._replaced or student in self._cleared:
                        entry["problems"][problem_id] = mine.to_dict()
                    else:
                        entry["problems"][problem_id] = _merge(
                            entry["problems"].get(problem_id), mine,
                            self._base.get((student, problem_id)))
                atomic_write_text(self.path, _dump(current))
        except OSError as exc:
            if not self._warned:
                from membranelab.messages import gettext, os_reason

                print(gettext(CANNOT_WRITE, self.lang, path=str(self.path),
                              reason=os_reason(exc)), file=sys.stderr)
                self._warned = True
            log.warning("cannot save progress to %s: %s", self.path, exc)
            return False
        merged = {s: _problems(s, e) for s, e in current.items()}
        for student, problem_id in self._touched:  # keep this session's own objects
            mine = self._students.get(student, {}).get(problem_id)
            if mine is not None:
                now = merged.get(student, {}).get(problem_id)
                if isinstance(now, ProblemProgress):  # what was written, into mine
                    mine.__dict__.update(now.__dict__)
                merged.setdefault(student, {})[problem_id] = mine
        self._students = merged
        self._base = {(s, p): v.to_dict() for s, entry in merged.items()
                      for p, v in entry.items() if isinstance(v, ProblemProgress)}
        self._replaced.clear()
        self._cleared.clear()
        return True


def _merge(theirs: Any, mine: ProblemProgress, base: dict[str, Any] | None) -> dict[str, Any]:
    """One problem's entry: the file's (``theirs``) with this session's changes since it read
    ``base``: tries added, the better score, the more hints shown, revealed or done in either,
    a part's last answer this session's where it gave one since, else the file's."""
    try:
        other = ProblemProgress.from_dict(theirs) if theirs is not None else None
    except ValueError:
        other = None  # unreadable in the file: this session's replaces it
    if other is None:
        return mine.to_dict()
    before = base or {}
    before_tries = before.get("tries", {})
    parts = set(other.tries) | set(mine.tries)
    tries = {k: min(MAX_COUNT, other.tries.get(k, 0) + max(
        0, mine.tries.get(k, 0) - int(before_tries.get(k, 0)))) for k in parts}
    merged = ProblemProgress(
        part=max(other.part, mine.part),
        tries={k: v for k, v in tries.items() if v},
        scores={k: max(other.scores.get(k, 0.0), mine.scores.get(k, 0.0))
                for k in set(other.scores) | set(mine.scores)},
        hints={k: max(other.hints.get(k, 0), mine.hints.get(k, 0))
               for k in set(other.hints) | set(mine.hints)},
        revealed=other.revealed or mine.revealed, done=other.done or mine.done,
        right=sorted(set(other.right) | set(mine.right)),
        answered=[*(u for u in other.answered if u not in mine.answered), *mine.answered],
        last={**other.last, **{k: v for k, v in mine.last.items()
                               if (before.get("last") or {}).get(k) != v}})
    return merged.to_dict()


def _dump(students: dict[str, Any]) -> str:
    """The file's text; an entry kept verbatim (:class:`_Raw`) is written back as it was."""
    lines = []
    for name in sorted(students):
        entry = students[name]
        text = str(entry) if isinstance(entry, _Raw) else json.dumps(entry, indent=1,
                                                                       sort_keys=True)
        lines.append(f"  {json.dumps(name)}: {text}")
    body = ",\n".join(lines)
    return f'{{\n "students": {{\n{body}\n }},\n "version": {_VERSION}\n}}\n'
