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
    tries: 3                        # graded tries per part
    hints: true                     # offer each part's hints at their cost (default true)
    due: 2026-12-01T23:59:00+08:00  # ISO 8601; no time zone = UTC
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

__all__ = [
    "CLASS_KEYS",
    "DEFAULT_DB",
    "FEEDBACK_LEVELS",
    "ClassSettings",
    "Limits",
    "ServeConfig",
    "is_loopback",
    "load_class_file",
    "parse_due",
]

#: The feedback levels (kept in step with membranelab.messages.FEEDBACK_LEVELS).
FEEDBACK_LEVELS = ("full", "named", "score")
#: Where class mode keeps its database unless told otherwise (relative to the working directory).
DEFAULT_DB = "sqlite:///membranelab-class.db"
#: Keys a class file may hold.
CLASS_KEYS = ("roster", "assignment", "assignments", "db", "feedback", "tries", "due", "hints",
              "host", "port")


#: The longest identifier (student, assignment, problem, part, figure file) a request may name,
#: and the width of the database columns that store them.
MAX_ID = 200
#: The longest personal or teacher token accepted (issued ones are much shorter).
MAX_TOKEN = 200


@dataclass(frozen=True)
class Limits:
    """Sizes no request may exceed (bytes of a body, characters of an answer or an id)."""

    max_body: int = 16_384
    max_answer: int = 2_000
    max_id: int = MAX_ID


@dataclass(frozen=True)
class ClassSettings:
    """A class-mode server: who may sign in, which assignment, how it is graded and recorded.

    ``hints``: the problem page offers each part's hints one at a time; each hint shown is
    recorded and costs the part's ``hint_cost`` share of its points on every later answer
    (``Part.hint_credit``; problems/README.md, "Hints").  Off: no hint is offered or served.
    """

    roster: Path
    assignment: str
    problems: tuple[str, ...]
    title: str
    db_url: str = DEFAULT_DB
    feedback: str = "named"
    tries: int = 3
    due: datetime | None = None
    secret: bytes | None = field(default=None, repr=False)
    hints: bool = True

    def __post_init__(self) -> None:
        if self.feedback not in FEEDBACK_LEVELS:
            raise CliError(f"feedback level must be one of {', '.join(FEEDBACK_LEVELS)}, "
                           f"got {self.feedback!r}")
        if not isinstance(self.tries, int) or self.tries < 1:
            raise CliError(f"tries must be a whole number >= 1, got {self.tries!r}")
        if not isinstance(self.hints, bool):
            from .text import translate

            raise CliError(translate("serve.hints_not_bool", value=repr(self.hints)))

    def is_past_due(self, now: datetime | None = None) -> bool:
        """True once the due date has passed (never without one)."""
        if self.due is None:
            return False
        return (now or datetime.now(timezone.utc)) > self.due


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
            raise CliError(f"--host {self.host} is not a loopback address: listening on a network "
                           "needs class mode (--class ROSTER.csv --assignment ID), so that every "
                           "student signs in with a personal token")
        if not 0 < self.port < 65536:
            raise CliError(f"--port must be between 1 and 65535, got {self.port}")


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
            raise CliError(f"due date {raw!r} is not ISO 8601 (e.g. 2026-12-01T23:59:00+08:00)"
                           ) from None
        if len(raw) == 10:  # a date alone: the end of that day
            value = value.replace(hour=23, minute=59, second=59)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def load_class_file(path: str | Path) -> dict[str, Any]:
    """The settings of a class file (see the module docstring); unknown keys are an error."""
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CliError(f"{source}: cannot read the class file ({exc})") from None
    if not isinstance(data, dict):
        raise CliError(f"{source}: expected a mapping of {', '.join(CLASS_KEYS)}")
    unknown = sorted(set(data) - set(CLASS_KEYS))
    if unknown:
        raise CliError(f"{source}: unknown keys {', '.join(map(str, unknown))}; "
                       f"known: {', '.join(CLASS_KEYS)}")
    base = source.parent
    for key in ("roster", "assignments"):
        if key in data and data[key] is not None and not Path(str(data[key])).is_absolute():
            data[key] = str(base / str(data[key]))
    return data
