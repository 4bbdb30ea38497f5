"""A running server's state, and who is asking: built once by :func:`build_state`, passed to the
routes through ``app.state.web``.

Sessions: in self-study the one local student (no sign-in: the server listens on loopback only);
in class mode the personal token in an HttpOnly cookie, looked up by its hash (students' hashes in
``students``, the teacher's in ``settings``), compared in constant time.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request

from membranelab.service import NO_COURSE, PRACTICE_ASSIGNMENT, GradingService
from membranelab.service.problems import get_problem, open_bank

from .answerstore import lookup_token, single_statements
from .config import MAX_TOKEN, PUBLISHED_PROGRESS, ServeConfig
from .db import ClassDB
from .pages import ordered
from .progress import StudyBook
from .roster import TEACHER_HASH_KEY, RosterEntry, read_roster
from .security import csrf_token, hash_token, new_secret, same_hash

__all__ = ["COOKIE", "Session", "WebState", "build_state", "remove_figures",
           "session_for_token", "session_from", "session_of"]

logger = logging.getLogger(__name__)

#: The cookie holding a class-mode personal token.
COOKIE = "membranelab_token"
_CSRF_KEY = "csrf_secret"


@dataclass(frozen=True)
class Session:
    """Who is asking: ``role`` is ``self`` (self-study), ``student`` or ``teacher``."""

    role: str
    student: str
    sid: str


@dataclass
class WebState:
    """Everything the routes share (read-only after start-up)."""

    config: ServeConfig
    bank: Any
    problems: list[Any]
    secret: bytes
    lang: str
    figures_dir: Path
    db: ClassDB | None = None
    roster: tuple[RosterEntry, ...] = ()
    study: StudyBook | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def class_db(self) -> ClassDB:
        """The class database (class mode: set whenever ``config.klass`` is)."""
        if self.db is None:
            raise RuntimeError("the server runs without a class database (self-study mode)")
        return self.db

    @property
    def study_book(self) -> StudyBook:
        """The self-study progress (self-study mode: set whenever ``db`` is not)."""
        if self.study is None:
            raise RuntimeError("the server runs without a self-study book (class mode)")
        return self.study

    @property
    def assignment(self) -> str:
        """The assignment variants are drawn for."""
        return (self.config.klass.assignment if self.config.klass is not None
                else PRACTICE_ASSIGNMENT)

    @property
    def roster_ids(self) -> frozenset[str]:
        """The rostered students' ids."""
        ids = self.extra.get("roster_ids")
        if ids is None:
            ids = self.extra["roster_ids"] = frozenset(e.student for e in self.roster)
        return ids

    def problem(self, problem_id: str) -> Any | None:
        """A problem this server serves, or None."""
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        return None

    @property
    def service(self) -> GradingService:
        """The grading service of this server's course: a class whose course is graded (it has
        the course secret) gets each student's keyed numbers, everything else public ones."""
        service = self.extra.get("service")
        if service is None:
            klass = self.config.klass
            course = klass.course() if klass is not None else NO_COURSE
            context = klass.scoring_context() if klass is not None else None
            service = self.extra["service"] = GradingService(self.bank, course, context)
        return service

    def rules(self, problem: Any, part: Any, student: str) -> Any:
        """A part's scoring rules for ``student`` here (the grading service's: the problem
        file's, under a class the assignment's, the class file's and the student's extension;
        the service keeps them layered)."""
        return self.service.rules(problem, part.id, self.assignment, student)

    def variant(self, problem: Any, student: str) -> Any:
        """The student's variant of ``problem`` (in this server's assignment; the text in the
        pages' language, the numbers the same in every language), as the service decides."""
        if self.config.klass is None and self.config.published:
            return self.service.numbers(problem, None, lang=self.lang)
        return self.service.numbers(problem, student, self.assignment, lang=self.lang)

    def tries_for(self, student: str) -> int:
        """The try limit of ``student`` in class mode (extensions counted)."""
        return self.config.klass.tries_for(student) if self.config.klass is not None else 0

    def past_due(self, student: str) -> bool:
        """True once ``student``'s due date has passed (class mode; extensions counted)."""
        return self.config.klass is not None and self.config.klass.is_past_due(student=student)

    def csrf(self, session: Session) -> str:
        """The CSRF token of ``session``."""
        return csrf_token(self.secret, session.sid)


def build_state(config: ServeConfig) -> WebState:
    """Load the bank (and in class mode the roster and database) for ``config``."""
    from .text import request_lang

    bank = open_bank(config.bank_dir)
    figures = Path(tempfile.mkdtemp(prefix="membranelab-figures-"))
    atexit.register(remove_figures, figures)  # also at shutdown (create_app's lifespan)
    lang = request_lang(config.lang)
    klass = config.klass
    if klass is None:
        return WebState(config=config, bank=bank, problems=ordered(bank.problems.values()),
                        secret=config.secret or new_secret(), lang=lang, figures_dir=figures,
                        study=StudyBook(PUBLISHED_PROGRESS if config.published
                                        else config.student, config.progress_path))
    problems = [get_problem(bank, pid) for pid in klass.problems]
    db = ClassDB(klass.db_url)
    roster = read_roster(klass.roster)
    hashes = db.student_hashes()
    missing = [e.student for e in roster if not hashes.get(e.student)]
    if missing:
        from membranelab.errors import CliError

        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise CliError("serve.no_tokens", n=len(missing), shown=shown,
                       roster=str(klass.roster), db=klass.db_url)
    strangers = sorted(set(klass.extensions) - {e.student for e in roster})
    if strangers:
        from membranelab.errors import CliError

        raise CliError("serve.extension_strangers", roster=str(klass.roster),
                       students=", ".join(strangers[:5]))
    secret_hex = db.get_setting(_CSRF_KEY)
    if secret_hex is None:
        secret_hex = new_secret().hex()
        db.set_setting(_CSRF_KEY, secret_hex)
    state = WebState(config=config, bank=bank, problems=problems,
                     secret=config.secret or bytes.fromhex(secret_hex), lang=lang,
                     figures_dir=figures, db=db, roster=roster)
    state.service.prepare()  # the seed file read here, not by the first answer on the loop
    return state


def remove_figures(directory: Path) -> None:
    """Remove a server's temporary figures directory (nothing when it is gone already)."""
    shutil.rmtree(directory, ignore_errors=True)


def session_of(state: WebState, request: Request) -> Session | None:
    """The session of ``request`` (None: a class-mode request without a valid token)."""
    if state.db is None:
        student = PUBLISHED_PROGRESS if state.config.published else state.config.student
        return Session("self", student, "self-study")
    return session_for_token(state, request.cookies.get(COOKIE, ""))


def session_for_token(state: WebState, token: str) -> Session | None:
    """The class-mode session a personal token opens, or None (one statement)."""
    if state.db is None or not token or len(token) > MAX_TOKEN:
        return None
    digest = hash_token(token)
    with single_statements(state.db) as conn:
        teacher, found = lookup_token(conn, digest, TEACHER_HASH_KEY)
    return session_from(state, digest, teacher, found)


def session_from(state: WebState, digest: str, teacher: str | None,
                 found: tuple[str, str] | None) -> Session | None:
    """The session of a token with hash ``digest`` given the teacher's stored hash and the
    (student, stored hash) with that digest, as read: the teacher's, a rostered student's, or
    None."""
    if teacher is not None and same_hash(teacher, digest):
        return Session("teacher", "", digest)
    if found is None or found[0] not in state.roster_ids or not same_hash(found[1], digest):
        return None
    return Session("student", found[0], digest)
