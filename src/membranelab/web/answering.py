"""``POST /p/{problem}/answer``: grade one part's answer, record it, show the verdict.

The form is read on the event loop; then, in one go and on one connection of the pool: the
session and the student's submissions (one statement, :mod:`.answerstore`), the checks (CSRF,
due date, try limit, a re-sent id), the grading (the student's variant and ``grade_part``) and
the recording (one statement), from which the student's new standing follows.

In class mode that runs on the event loop itself, under the grading service's ``fast_only``: a
class's answers are graded in a fraction of a millisecond of pure Python and its two statements
are short, and a trip to the thread pool (a thread woken, the GIL handed back and forth) cost
more CPU than all of it (bench/serve.py: 2.9 against 2.0 ms per answer). An answer whose grading
would take a slow step (sympy, its worker process) raises ``SlowPath`` before taking it, and the
whole trip runs again in the thread pool, as it does when SQLite's write lock was held by
another connection for longer than :data:`.db.LOOP_BUSY_MS` (the thread waits for it), and as
does an answer longer than :data:`INLINE_MAX` characters and every self-study answer (the
progress file has a lock that ``practice`` may hold). What the loop does not do is SQLite's WAL
checkpoint (copying the log into the database file, 5 to 40 ms, which the commit that filled the
log did): while the server runs, its connections there run without the automatic checkpoint and
a thread checkpoints after the loop's commits (:mod:`.checkpoint`). Nothing is recorded before
grading, so the first trip's work is only lost. A re-sent submission id returns the recorded
verdict without grading or recording again. Refusals come in the order of the other routes: no
session (401), a teacher or a bad CSRF token (403), an unknown problem or part (404), too long
(413), past the due date (403), a part the scoring policy closed (409: right, out of tries, or a
choice past its first try). The grading service scores the try from the part's stored tries
(:mod:`membranelab.service.scoring`).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from membranelab.grading.numformat import points_text
from membranelab.service import GradeRequest, SlowPath, fast_only
from membranelab.service.scoring import Stored

from .answerstore import (
    RawStatements,
    StudentRows,
    raw_statements,
    read_answering,
    record_answer,
)
from .classbook import ClassBook
from .config import MAX_TOKEN
from .db import StaleStanding, StoreFull, Submission, TryLimitReached, is_busy
from .hintoffer import offer
from .late import late_credit, late_note, part_status
from .roster import TEACHER_HASH_KEY
from .routes import (
    check_csrf,
    form_fields,
    part_of,
    part_states,
    problem_of,
    problem_page,
    rules_of,
    score_of,
    wants_json,
    web,
)
from .security import hash_token, scoped_uid
from .state import COOKIE, Session, WebState, session_from, session_of
from .text import translate
from .verdict import costs_try, hint_note, verdict_dict

__all__ = ["answer"]

logger = logging.getLogger(__name__)

_UID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PAST_DUE = "web.past_due"
_NO_TRIES = "web.no_tries"
_TOO_LONG = "web.too_long"
_EXPECTED = "web.expected"
_SCORE = "web.score_line"
#: The try limit given the database where the rules set none.
_UNLIMITED = 1_000_000
#: Times an answer is graded again because another try of its part was counted meanwhile
#: (then 503: the page sends it again with the same id).
_STALE_RETRIES = 8
_BUSY = "web.busy_try_again"
#: Longest answer (characters) graded on the event loop; longer ones go to the thread pool.
INLINE_MAX = 200


class _Refused(Exception):
    def __init__(self, status: int, message: str, part: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.part = part


def _old_note(state: WebState, old: Submission) -> str:
    """The hints' cost of a recorded submission (its own problem and part)."""
    problem = state.problem(old.problem)
    part = next((p for p in problem.parts if p.id == old.part), None) if problem else None
    if part is None or not old.counted:
        return ""
    return hint_note(part, old.hints, old.score, lang=state.lang)


def _grade(state: WebState, problem: Any, part: Any, student: str, text: str,
           earlier: dict[str, str], stored: Stored) -> Any:
    """The grading service's verdict on ``text`` for the student's own variant, at the
    server's feedback level and language, scored by the policy from where the part stood
    (``stored``) (self-study on the published numbers asks for no student); ``earlier``: the
    student's latest read answer to each part of ``problem`` (carried forward)."""
    published = state.config.klass is None and state.config.published
    request = GradeRequest(problem.id, part.id, text, None if published else student,
                           state.assignment, state.lang, state.config.feedback,
                           earlier=earlier, stored=stored)
    return state.service.grade(request)


def _book(state: WebState, student: str) -> ClassBook:
    return ClassBook(state.class_db, student, state.assignment, rules_of(state, student))


def _stored(part: Any, total: tuple[int, float, bool]) -> Stored:
    """A class part's (counted tries, best points, right) as the policy reads it."""
    tries, earned, right = total
    points = float(part.points)
    return Stored(tries, min(1.0, earned / points) if points > 0 else 0.0, right)


def _record(state: WebState, session: Session, problem: Any, part: Any, uid: str, text: str,
            graded: Any, verdict: dict[str, Any], known: StudentRows | None,
            conn: RawStatements | None = None) -> dict[str, Any]:
    """Save the answer (database or practice store) and return the student's new standing; in
    class mode ``verdict`` gets the recorded score (the policy's share of the try, after the
    hint credit) and the hints' cost (``known``: the student's submissions as read before
    grading, on ``conn``, which records the answer)."""
    klass = state.config.klass
    result = graded.result
    if klass is not None and known is not None:
        limit = state.rules(problem, part, session.student).tries
        tries = limit if limit is not None else _UNLIMITED
        late = klass.is_past_due(student=session.student)  # taken only under a late rule
        share = late_credit(klass) if late else 1.0
        sub = Submission(uid=uid, student=session.student, assignment=state.assignment,
                         problem=problem.id, part=part.id, seq=0, answer=text,
                         score=float(graded.score) * share, weight=float(part.points),
                         correct=bool(result.correct), note=str(result.note),
                         feedback=verdict["feedback"], level=klass.feedback,
                         counted=costs_try(result), created=time.time(), late=late)
        try:
            stored, totals = record_answer(
                state.class_db, sub, known, tries, part.hint_credit,
                max_stored=tries + state.config.limits.max_unread, conn=conn)
        except TryLimitReached:
            raise _Refused(409, translate(_NO_TRIES, state.lang), part.id) from None
        except StoreFull:
            raise _Refused(429, translate("web.too_many_submissions", state.lang),
                           part.id) from None
        verdict.update(score=stored.score, hints=stored.hints, hint_note=(
            hint_note(part, stored.hints, stored.score, lang=state.lang) if stored.counted
            else ""), late_note=late_note(state, stored))
        return _standing(state, session, problem, part, totals)
    state.study_book.record(problem, part, result, uid, answer=text)
    return _standing(state, session, problem, part)


def _standing(state: WebState, session: Session, problem: Any, part: Any,
              totals: dict | None = None) -> dict[str, Any]:
    klass = state.config.klass
    if klass is not None:  # one query (or none, given totals) for the part and the score
        book = _book(state, session.student)
        if totals is None:
            totals = state.class_db.part_totals(session.student, state.assignment)
        # the policy's standing of this part only; the score is the sum of every part's
        # best points (what ClassBook.marks and total give, without a standing per part)
        tries, earned_here, correct = totals.get((problem.id, part.id), (0, 0.0, False))
        now = book.standing(problem, part, (tries, earned_here, correct))
        keys, possible = _assignment_parts(state)
        earned = sum(totals[key][1] for key in keys if key in totals)
        mine: dict[str, Any] = {"tries": tries, "left": now.tries_left,
                                "finished": now.closed, "earned": earned_here,
                                "correct": correct}
    else:
        mine = part_states(state, session, problem)[0][part.id]
        earned, possible = score_of(state, session)
    status = part_status(state, correct=bool(mine.get("correct", False)), student=session.student,
                         left=0 if mine["finished"] and not mine.get("correct") else mine["left"])
    return {"tries": mine["tries"], "left": mine["left"], "finished": mine["finished"],
            "earned": mine["earned"], "status_line": status.line, "button": status.button,
            "closed": status.closed,
            "score_line": translate(_SCORE, state.lang, earned=points_text(earned),
                                    possible=points_text(possible))}


def _assignment_parts(state: WebState) -> tuple[tuple[tuple[str, str], ...], float]:
    """((problem id, part id) of every part this server serves, in the pages' order; their
    points in all)."""
    found = state.extra.get("assignment_parts")
    if found is None:
        found = state.extra["assignment_parts"] = (
            tuple((problem.id, p.id) for problem in state.problems for p in problem.parts),
            sum(p.points for problem in state.problems for p in problem.parts))
    return found


def _recorded(state: WebState, old: Submission) -> dict[str, Any]:
    """The verdict of a submission already recorded (its id re-sent)."""
    return {"part": old.part, "score": old.score, "correct": old.correct, "note": old.note,
            "feedback": old.feedback, "counted": old.counted, "hints": old.hints,
            "hint_note": _old_note(state, old), "late_note": late_note(state, old)}


def _class_checks(state: WebState, request: Request, fields: dict[str, str], token: str,
                  conn: RawStatements) -> tuple[Session, Any, Any, str, str, StudentRows]:
    """Who asks and what (401, 403, 404, 413 and past-due refusals) and what the student has
    submitted: (session, problem, part, stored id, answer, the student's submissions), read in
    one statement on ``conn``."""
    klass = state.config.klass
    assert klass is not None
    digest = hash_token(token)
    teacher, found, known = read_answering(conn, digest, TEACHER_HASH_KEY, state.assignment)
    session = session_from(state, digest, teacher, found)
    if session is None:
        raise HTTPException(401)
    problem, part, uid, text = _what(state, request, session, fields)
    if klass.is_past_due(student=session.student) and not klass.takes_late:
        raise _Refused(403, translate(_PAST_DUE, state.lang), part.id)
    assert known is not None and known.student == session.student
    return session, problem, part, uid, text, known


def _what(state: WebState, request: Request, session: Session, fields: dict[str, str]
          ) -> tuple[Any, Any, str, str]:
    """(problem, part, stored submission id, answer) of a signed-in request (403, 404, 413)."""
    if session.role == "teacher":
        raise HTTPException(403)
    check_csrf(state, session, request, fields)
    problem = problem_of(state, request.path_params["problem"])
    part = part_of(state, problem, fields.get("part", ""))
    text = fields.get("answer", "")
    uid = fields.get("uid", "")
    if not _UID.match(uid):
        uid = uuid.uuid4().hex
    uid = scoped_uid(session.student, uid)  # a borrowed id is the borrower's own new id
    limit = state.config.limits.max_answer
    if len(text) > limit:
        raise _Refused(413, translate(_TOO_LONG, state.lang, length=len(text), limit=limit),
                       part.id)
    return problem, part, uid, text


def _serve(state: WebState, request: Request, fields: dict[str, str], token: str
           ) -> tuple[Session, Any, dict[str, Any], dict[str, Any], Any]:
    """Check, grade, record: one trip to the thread pool (session, part, verdict, standing,
    result)."""
    klass = state.config.klass
    if klass is None:
        session = session_of(state, request)
        assert session is not None
        problem, part, uid, text = _what(state, request, session, fields)
        parts, _ = state.study_book.states(problem)
        if parts[part.id].finished:
            raise _Refused(409, translate(_NO_TRIES, state.lang), part.id)
        graded = _grade(state, problem, part, session.student, text,
                        state.study_book.last_answers(problem),
                        state.study_book.stored(problem, part))
        verdict = verdict_dict(graded.result, level=state.config.feedback, lang=state.lang)
        verdict["score"] = graded.score  # the share this try earns by the scoring policy
        return session, part, verdict, _record(state, session, problem, part, uid, text,
                                               graded, verdict, None), graded.result
    for _ in range(_STALE_RETRIES):  # another try counted meanwhile: grade again after it
        with raw_statements(state.class_db) as conn:  # one connection reads and records
            session, problem, part, uid, text, known = _class_checks(state, request, fields,
                                                                     token, conn)
            if known.has(uid):
                old = state.class_db.find(uid)
                if old is not None and old.student == session.student:
                    return session, part, _recorded(state, old), _standing(
                        state, session, problem, part, known.totals()), None
            total = known.totals().get((problem.id, part.id), (0, 0.0, False))
            if _book(state, session.student).standing(problem, part, total).closed:
                raise _Refused(409, translate(_NO_TRIES, state.lang), part.id)
            graded = _grade(state, problem, part, session.student, text,
                            known.earlier(problem.id), _stored(part, total))
            verdict = verdict_dict(graded.result, level=state.config.feedback, lang=state.lang)
            verdict["score"] = graded.score  # the share this try earns by the scoring policy
            try:
                return session, part, verdict, _record(state, session, problem, part, uid,
                                                       text, graded, verdict, known,
                                                       conn), graded.result
            except StaleStanding:
                continue
    raise _Refused(503, translate(_BUSY, state.lang), part.id)


async def _serve_here_or_there(state: WebState, request: Request, fields: dict[str, str],
                               token: str) -> tuple[Session, Any, dict[str, Any],
                                                    dict[str, Any], Any]:
    """:func:`_serve` on the event loop when it can be done without a slow step (class mode,
    an answer of at most :data:`INLINE_MAX` characters), else in the thread pool."""
    if state.config.klass is not None and len(fields.get("answer", "")) <= INLINE_MAX:
        if not _UID.match(fields.get("uid", "")):  # one id for both trips: recorded once
            fields = {**fields, "uid": uuid.uuid4().hex}
        try:
            with fast_only():
                return _serve(state, request, fields, token)
        except SlowPath as slow:
            logger.debug("answer graded in a thread: %s", slow)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            logger.info("the class database was busy: answer graded in a thread")
    return await run_in_threadpool(_serve, state, request, fields, token)


def _refusal(request: Request, refused: _Refused) -> Response:
    if wants_json(request):
        return JSONResponse({"refused": True, "message": refused.message,
                             "part": refused.part}, status_code=refused.status)
    raise HTTPException(refused.status, refused.message)


async def answer(request: Request) -> Response:
    """Grade one part's answer, record it, and show the verdict (JSON for the page's script)."""
    state = web(request)
    token = ""
    if state.db is not None:
        token = request.cookies.get(COOKIE, "")
        if not token or len(token) > MAX_TOKEN:
            raise HTTPException(401)  # no session: nothing to read
    fields = await form_fields(request)
    try:
        session, part, verdict, standing, result = await _serve_here_or_there(
            state, request, fields, token)
    except _Refused as refused:
        return _refusal(request, refused)
    payload = {**verdict, **standing}
    if state.config.klass is not None and standing["finished"] and "hints" in verdict:
        payload["hint_button"] = offer(state, part, verdict["hints"], True,
                                       student=session.student).button
    if (state.config.klass is None and result is not None and standing["finished"]
            and not result.correct and result.expected):
        payload["expected"] = translate(_EXPECTED, state.lang, expected=result.expected)
    if wants_json(request):
        return JSONResponse(payload)
    payload["answer"] = fields.get("answer", "")
    return await problem_page(request, feedback=payload)
