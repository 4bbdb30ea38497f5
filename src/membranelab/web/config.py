"""What a ``membranelab serve`` server is set up with: mode, address, limits, class settings.

Self-study (the default) serves one student's practice on a loopback address with ``full``
feedback and the practice progress store.  Class mode serves a roster's assignment from a
database, with the course's feedback level, a try limit and a due date; it is the only mode that
may listen on a non-loopback address.

A class can be described in a YAML file (``membranelab serve --config class.yaml``); command-line
options override it::

    roster: roster.csv              # student[,name] (see membranelab.web.roster)
    assignment: ps1-equilibrium     # an id of course/assignments.yaml
    assignments: course/assignments.yaml
    db: sqlite:///membranelab-class.db   # any SQLAlchemy URL
    feedback: named                 # full | named | score (default: the course's level)
    tries: 3                        # graded tries per part (default: the problem files',
                                    # else 3; over the assignment's scoring)
    scoring: {penalty: 0.1}         # tries and credit (problems/README.md, "Scoring"), over
                                    # the problem files' and the assignment's
    hints: true                     # offer each part's hints at their cost (default true)
    due: 2026-12-01T23:59:00+08:00  # ISO 8601; no time zone = UTC
    extensions:                     # per student: a later due date and/or more tries
      alice: {due: 2026-12-04T23:59:00+08:00, tries: 5}
      bob: {tries: 4}
    late: 0                         # after the due date a part is handed in late: recorded as
                                    # late (the teacher sees it) and earning this share of its
                                    # points (0 to 1; absent: 0); false: nothing is taken
    host: 0.0.0.0
    port: 8000
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from membranelab.errors import CliError
from membranelab.messages import FEEDBACK_LEVELS

__all__ = [
    "CLASS_KEYS",
    "DEFAULT_DB",
    "EXTENSION_KEYS",
    "FEEDBACK_LEVELS",
    "ClassSettings",
    "Extension",
    "Limits",
    "ServeConfig",
    "is_loopback",
    "load_class_file",
    "parse_due",
    "parse_extensions",
]

#: Where class mode keeps its database unless told otherwise (relative to the working directory).
DEFAULT_DB = "sqlite:///membranelab-class.db"
#: Keys a class file may hold.
CLASS_KEYS = ("roster", "assignment", "assignments", "db", "feedback", "tries", "due", "hints",
              "host", "port", "extensions", "late", "scoring")
#: Keys of one student's extension.
EXTENSION_KEYS = ("due", "tries")


#: The longest identifier (student, assignment, problem, part, figure file) a request may name,
#: and the width of the database columns that store them.
MAX_ID = 200
#: The longest personal or teacher token accepted (issued ones are much shorter).
MAX_TOKEN = 200


@dataclass(frozen=True)
class Limits:
    """Sizes and times no request may exceed (bytes of a body, characters of an answer or an
    id), how many submissions a student may store, and the server's connection limits
    (:mod:`membranelab.web.deadline`).

    ``max_unread``: besides its graded tries, how many more submissions (unreadable answers,
    which cost no try) one student may store for one part; past that the answer is refused.
    ``request_seconds``: a request (headers and body) must arrive in full within this time.
    ``max_connections``: connections served at once (uvicorn answers 503 past it).
    ``keep_alive_seconds``: an idle keep-alive connection is closed after this time.
    ``threads``: requests of one process checked, graded and recorded at once in the thread
    pool (the others wait their turn): pages, self-study answers, and a class's answers that
    need a slow step of the grader (sympy) or are long; a class's other answers are graded on
    the event loop (:mod:`.answering`).  The work holds Python's lock nearly all the
    time, so more threads only take turns: with anyio's default of 40 an answer cost a third
    more CPU, spent switching between them.  Four keep the symbolic workers (two, and a spare)
    busy and leave room while a database server answers.
    """

    max_body: int = 16_384
    max_answer: int = 2_000
    max_id: int = MAX_ID
    max_unread: int = 20
    request_seconds: float = 10.0
    max_connections: int = 1_000
    keep_alive_seconds: int = 5
    backlog: int = 2_048
    threads: int = 4


@dataclass(frozen=True)
class Extension:
    """One student's own due date and/or try limit (None: the class's)."""

    due: datetime | None = None
    tries: int | None = None


@dataclass(frozen=True)
class ClassSettings:
    """A class-mode server: who may sign in, which assignment, how it is graded and recorded.

    ``hints``: the problem page offers each part's hints one at a time; each hint shown is
    recorded and costs the part's ``hint_cost`` share of its points on every later answer
    (``Part.hint_credit``; problems/README.md, "Hints").  Off: no hint is offered or served.

    ``extensions``: student id -> :class:`Extension`, that student's own due date and try
    limit in place of the class's (:meth:`due_for`, :meth:`tries_for`).
    """

    roster: Path
    assignment: str
    problems: tuple[str, ...]
    title: str
    db_url: str = DEFAULT_DB
    feedback: str = "named"
    #: the class's try limit (None: the problem files', by the scoring policy)
    tries: int | None = None
    due: datetime | None = None
    secret: bytes | None = field(default=None, repr=False)
    hints: bool = True
    extensions: dict[str, Extension] = field(default_factory=dict)
    late: float | None = None
    #: the scoring layers above the problem files: the assignment's ``scoring:`` and the class
    #: file's (:class:`membranelab.bank.scoring.Layer`; None: none)
    assignment_scoring: Any = None
    scoring: Any = None

    def __post_init__(self) -> None:
        if self.feedback not in FEEDBACK_LEVELS:
            raise CliError("serve.bad_feedback", levels=", ".join(FEEDBACK_LEVELS),
                           value=repr(self.feedback))
        if self.tries is not None and (isinstance(self.tries, bool)
                                       or not isinstance(self.tries, int) or self.tries < 1):
            raise CliError("serve.bad_tries", value=repr(self.tries))
        if not isinstance(self.hints, bool):
            from .text import translate

            raise CliError(translate("serve.hints_not_bool", value=repr(self.hints)))
        object.__setattr__(self, "late", parse_late(self.late))

    @property
    def takes_late(self) -> bool:
        """True when answers after the due date are taken (recorded as late)."""
        return self.late is not None

    def due_for(self, student: str | None) -> datetime | None:
        """The due date of ``student`` (their extension's, else the class's)."""
        extension = self.extensions.get(student or "")
        if extension is not None and extension.due is not None:
            return extension.due
        return self.due

    def course(self) -> Any:
        """The course the grading service grades this class in: its assignment graded (each
        student's keyed numbers) where the class has the course secret, else none (public
        numbers).  The server and ``regrade --class-db --config`` both grade through it."""
        from membranelab.service import NO_COURSE, Course

        if self.secret is None:
            return NO_COURSE
        return Course(graded=frozenset({self.assignment}), secret=self.secret)

    def scoring_context(self) -> Any:
        """The scoring layers of this class (:class:`membranelab.service.scoring.Context`):
        the assignment's, the class file's (its ``tries`` over its ``scoring:``), and each
        student's extension (their ``tries``)."""
        from dataclasses import replace as _replace

        from membranelab.bank.scoring import Layer
        from membranelab.service.scoring import Context

        own = self.scoring if self.scoring is not None else Layer()
        if self.tries is not None:
            own = _replace(own, tries=self.tries, unlimited=False)
        extensions = {student: Layer(tries=e.tries) for student, e in self.extensions.items()
                      if e.tries is not None}
        return Context(layers=(self.assignment_scoring, own), extensions=extensions)

    def tries_for(self, student: str | None) -> int:
        """The headline try limit of ``student`` shown on pages (their extension's, else the
        class's, else the policy's default; a part's own rules may differ: the page shows each
        part's tries left)."""
        from membranelab.bank.scoring import DEFAULTS

        extension = self.extensions.get(student or "")
        if extension is not None and extension.tries is not None:
            return extension.tries
        return self.tries if self.tries is not None else int(DEFAULTS.tries or 0)

    def is_past_due(self, now: datetime | None = None, student: str | None = None) -> bool:
        """True once the due date (``student``'s own, when given) has passed (never without
        one)."""
        due = self.due_for(student)
        if due is None:
            return False
        return (now or datetime.now(timezone.utc)) > due


#: The progress key of self-study on the published numbers (not a student id).
PUBLISHED_PROGRESS = "(published numbers)"


@dataclass(frozen=True)
class ServeConfig:
    """Everything :func:`membranelab.web.create_app` needs."""

    student: str = "student"
    host: str = "127.0.0.1"
    port: int = 8000
    bank_dir: str | None = None
    lang: str | None = None
    klass: ClassSettings | None = None
    progress_path: Path | None = None
    limits: Limits = field(default_factory=Limits)
    allowed_hosts: tuple[str, ...] = ()
    secret: bytes | None = None
    #: Self-study on the lecture notes' published numbers (no student's variant); the progress
    #: is kept under :data:`PUBLISHED_PROGRESS`.
    published: bool = False

    @property
    def mode(self) -> str:
        """``"class"`` or ``"self-study"``."""
        return "class" if self.klass is not None else "self-study"

    @property
    def feedback(self) -> str:
        """The feedback level answers are rendered at."""
        return self.klass.feedback if self.klass is not None else "full"

    def check_address(self) -> None:
        """Refuse a non-loopback address outside class mode."""
        if self.klass is None and not is_loopback(self.host):
            raise CliError("serve.not_loopback", host=self.host)
        if not 0 < self.port < 65536:
            raise CliError("serve.bad_port", port=self.port)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_due(text: str | datetime | None) -> datetime | None:
    """An ISO 8601 date or date-time (no zone = UTC; a date alone = the end of that day, UTC)."""
    if text is None or text == "":
        return None
    if isinstance(text, datetime):
        value = text
    else:
        raw = str(text).strip()
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise CliError("serve.bad_due", value=repr(raw)) from None
        if len(raw) == 10:  # a date alone: the end of that day
            value = value.replace(hour=23, minute=59, second=59)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def parse_extensions(data: Any, source: str = "extensions") -> dict[str, Extension]:
    """The ``extensions`` of a class file: student id -> {due, tries}; a CliError says what is
    wrong."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CliError("serve.extensions_not_mapping", source=source)
    out: dict[str, Extension] = {}
    for student, entry in data.items():
        where = f"{source}.{student}"
        if not isinstance(entry, dict) or not entry:
            raise CliError("serve.extension_bad_entry", where=where)
        unknown = sorted(map(str, set(entry) - set(EXTENSION_KEYS)))
        if unknown:
            raise CliError("serve.extension_unknown_keys", where=where, keys=", ".join(unknown))
        tries = entry.get("tries")
        if tries is not None and (isinstance(tries, bool) or not isinstance(tries, int)
                                  or not 1 <= tries <= 1000):
            raise CliError("serve.extension_bad_tries", where=where, value=repr(tries))
        try:
            due = parse_due(entry.get("due"))
        except CliError:
            raise CliError("serve.extension_bad_due", where=where,
                           value=repr(entry.get("due"))) from None
        out[str(student).strip()] = Extension(due=due, tries=tries)
    return out


def parse_late(value: Any) -> float | None:
    """The late rule of a class: the share of a part's points a late answer earns (0 to 1;
    absent: 0, so a late answer is still recorded and shown to the teacher), or None
    (``false``, ``off``): no answer is taken after the due date."""
    if value is None:
        return 0.0
    if value is False:
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "false", "no", "off", "none"):
            return None
        try:
            value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise CliError("serve.late_bad", value=repr(value))
    return float(value)


def _unreadable(exc: Exception) -> Any:
    """Why a class file could not be read, as a message parameter (in the user's language)."""
    from membranelab.messages import os_reason

    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        return {"msg": "serve.class_file_not_utf8", "byte": exc.start}
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return {"msg": "serve.class_file_yaml_at", "line": mark.line + 1,
                "column": mark.column + 1}
    return {"msg": "serve.class_file_yaml"}


def load_class_file(path: str | Path) -> dict[str, Any]:
    """The settings of a class file (see the module docstring); unknown keys are an error."""
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CliError("serve.class_file_unreadable", source=str(source),
                       error=_unreadable(exc)) from None
    if not isinstance(data, dict):
        raise CliError("serve.class_file_not_mapping", source=str(source),
                       keys=", ".join(CLASS_KEYS))
    unknown = sorted(set(data) - set(CLASS_KEYS))
    if unknown:
        raise CliError("serve.class_file_unknown_keys", source=str(source),
                       keys=", ".join(map(str, unknown)), known=", ".join(CLASS_KEYS))
    base = source.parent
    for key in ("roster", "assignments"):
        if key in data and data[key] is not None and not Path(str(data[key])).is_absolute():
            data[key] = str(base / str(data[key]))
    return data
