"""The pages a student uses: the problem list, a problem, the worked solution (answering:
:mod:`.answering`; hints: :mod:`.hints`).

Every form POST carries the session's CSRF token (field ``csrf``, or header ``X-CSRF-Token`` from
the page's script); every answer is size-bounded and graded in the thread pool.  A request sent by
the page's script (``Accept: application/json``) gets JSON; a plain form gets the page back.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from membranelab.messages import gettext

from .classbook import ClassBook
from .formdata import simple_fields
from .hintoffer import hint_offers
from .late import late_note, part_status
from .pages import by_topic, hint_html, problem_view, solution_html
from .progress import last_shown
from .security import csrf_valid
from .state import Session, WebState, session_of
from .text import translate
from .verdict import hint_note

__all__ = ["check_csrf", "form_fields", "form_of", "home", "need_session", "part_of",
           "part_states", "problem_of", "problem_page", "render", "score_of", "solution",
           "wants_json", "web"]

_BAD_CSRF = "web.bad_csrf"
#: The most fields a form may have.
_MAX_FIELDS = 20
_NOT_FOUND = "web.no_such_problem"


#: Each feedback level's name on the pages (its catalog key).
LEVEL_NAMES = {"full": "web.level_full", "named": "web.level_named", "score": "web.level_score"}


def web(request: Request) -> WebState:
    """The server's state."""
    return request.app.state.web


def wants_json(request: Request) -> bool:
    """True when the page's script asked (``Accept: application/json``)."""
    return request.headers.get("accept", "").startswith("application/json")


def need_session(request: Request) -> Session:
    """The session, or a redirect to the sign-in page (class mode)."""
    session = session_of(web(request), request)
    if session is None:
        raise HTTPException(401)
    return session


async def form_of(request: Request, session: Session) -> dict[str, str]:
    """The request's form fields (text only) after the CSRF check."""
    fields = await form_fields(request)
    check_csrf(web(request), session, request, fields)
    return fields


async def form_fields(request: Request) -> dict[str, str]:
    """The request's form fields (text only), not yet checked (:func:`check_csrf`): a
    browser's short multipart form read in one pass (:mod:`.formdata`), anything else by
    Starlette."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        fields = simple_fields(content_type, await request.body(), _MAX_FIELDS)
        if fields is not None:
            return fields
    form = await request.form(max_files=0, max_fields=_MAX_FIELDS)
    return {k: v for k, v in form.items() if isinstance(v, str)}


def check_csrf(state: WebState, session: Session, request: Request,
               fields: dict[str, str]) -> None:
    """403 unless the request carries the session's CSRF token (header or field)."""
    presented = request.headers.get("x-csrf-token") or fields.get("csrf")
    if not csrf_valid(state.secret, session.sid, presented):
        raise HTTPException(403, translate(_BAD_CSRF, state.lang))


def problem_of(state: WebState, problem_id: str) -> Any:
    problem = state.problem(problem_id)
    if problem is None:
        raise HTTPException(404, translate(_NOT_FOUND, state.lang))
    return problem


def part_of(state: WebState, problem: Any, part_id: str) -> Any:
    for part in problem.parts:
        if part.id == part_id:
            return part
    raise HTTPException(404, translate(_NOT_FOUND, state.lang))


def rules_of(state: WebState, student: str) -> Any:
    """(problem, part) -> that part's scoring rules for ``student`` (the grading service's)."""
    return lambda problem, part: state.rules(problem, part, student)


def score_of(state: WebState, session: Session) -> tuple[float, float]:
    """Points earned and points possible (class: the assignment; self-study: parts tried)."""
    if state.db is not None:
        book = ClassBook(state.db, session.student, state.assignment,
                         rules_of(state, session.student))
        return book.score(state.problems)
    return state.study_book.score(state.problems)


def render(request: Request, template: str, session: Session | None, http_status: int = 200,
            **context: Any) -> Response:
    state = web(request)
    base = {"state": state, "session": session, "lang": state.lang, "mode": state.config.mode,
            "csrf": state.csrf(session) if session else "",
            "level": gettext(LEVEL_NAMES[state.config.feedback], state.lang)}
    return request.app.state.templates.TemplateResponse(request, template, {**base, **context},
                                                        status_code=http_status)


async def home(request: Request) -> Response:
    """The problem list, by topic, with the student's standing on each problem."""
    state = web(request)
    session = session_of(state, request)
    if session is None:
        return render(request, "login.html", None)
    if session.role == "teacher":
        return RedirectResponse("/teacher", status_code=303)
    earned, possible = await run_in_threadpool(score_of, state, session)
    status = await run_in_threadpool(_statuses, state, session)
    klass = state.config.klass
    return render(request, "index.html", session, topics=by_topic(state.problems, state.lang),
                   status=status, earned=earned, possible=possible,
                   tries=klass.tries_for(session.student) if klass else 0,
                   due=klass.due_for(session.student) if klass else None)


def _statuses(state: WebState, session: Session) -> dict[str, str]:
    out = {}
    if state.db is not None:
        marks = ClassBook(state.db, session.student, state.assignment,
                          rules_of(state, session.student)).marks(state.problems)
        for problem in state.problems:
            done = [marks[(problem.id, p.id)].finished for p in problem.parts]
            out[problem.id] = "done" if all(done) else ("started" if any(
                marks[(problem.id, p.id)].tries for p in problem.parts) else "new")
        return out
    for problem in state.problems:
        parts, _ = state.study_book.states(problem)
        out[problem.id] = ("done" if all(s.finished for s in parts.values()) else
                           "started" if any(s.tries for s in parts.values()) else "new")
    return out


def part_states(state: WebState, session: Session, problem: Any) -> tuple[dict, bool]:
    """Per part: tries, earned, finished, hints shown, last feedback; and whether revealed."""
    out: dict[str, dict[str, Any]] = {}
    if state.db is not None:
        marks = ClassBook(state.db, session.student, state.assignment,
                          rules_of(state, session.student)).marks([problem], with_last=True)
        for part in problem.parts:
            m = marks[(problem.id, part.id)]
            last = None
            if m.last is not None:
                last = {"feedback": m.last.feedback, "correct": m.last.correct,
                        "score": m.last.score, "answer": m.last.answer,
                        "counted": m.last.counted, "late_note": late_note(state, m.last),
                        "hint_note": hint_note(part, m.last.hints, m.last.score,
                                               lang=state.lang) if m.last.counted else ""}
            out[part.id] = {"tries": m.tries, "left": m.left,
                            "earned": m.earned, "finished": m.finished, "hints": m.hints,
                            "correct": m.correct, "last": last,
                            "status": part_status(state, correct=m.correct, left=m.left,
                                                  student=session.student)}
        return out, False
    parts, revealed = state.study_book.states(problem)
    for part in problem.parts:
        s = parts[part.id]
        out[part.id] = {"tries": s.tries, "left": s.left, "earned": s.earned,
                        "finished": s.finished, "hints": s.hints, "correct": s.correct,
                        "last": last_shown(s, lang=state.lang, level=state.config.feedback),
                        "status": part_status(state, correct=s.correct, left=s.left)}
    return out, revealed


async def problem_page(request: Request, feedback: dict[str, Any] | None = None,
                       status: int = 200) -> Response:
    """A problem with the student's variant, one answer box per part."""
    state = web(request)
    session = need_session(request)
    if session.role == "teacher":
        return RedirectResponse("/teacher", status_code=303)
    problem = problem_of(state, request.path_params["problem"])
    variant = await run_in_threadpool(state.variant, problem, session.student)
    view = await run_in_threadpool(problem_view, variant)
    parts, revealed = await run_in_threadpool(part_states, state, session, problem)
    hints = {p.id: [hint_html(variant, p.id, i) for i in range(parts[p.id]["hints"])]
             for p in problem.parts}
    offers = hint_offers(state, problem, parts, student=session.student)
    solution = None
    if revealed and state.db is None:
        solution = await run_in_threadpool(solution_html, variant, state.figures_dir, "/figures")
    if feedback:
        parts[feedback["part"]]["last"] = feedback
    earned, possible = await run_in_threadpool(score_of, state, session)
    return render(request, "problem.html", session, http_status=status, view=view, parts=parts,
                   hints=hints, solution=solution, revealed=revealed, earned=earned,
                   possible=possible, uid=uuid.uuid4().hex, offers=offers,
                   due=state.config.klass.due_for(session.student) if state.config.klass
                   else None)


async def solution(request: Request) -> Response:
    """GET: ask for confirmation; POST (confirmed): mark revealed and show the worked solution."""
    state = web(request)
    session = need_session(request)
    if state.db is not None:
        raise HTTPException(404)
    problem = problem_of(state, request.path_params["problem"])
    if request.method == "GET":
        return render(request, "confirm.html", session, problem=problem.localized(state.lang))
    fields = await form_of(request, session)
    if fields.get("confirm") != "yes":
        return RedirectResponse(f"/p/{problem.id}", status_code=303)
    await run_in_threadpool(state.study_book.reveal, problem)
    if wants_json(request):
        variant = await run_in_threadpool(state.variant, problem, session.student)
        html = await run_in_threadpool(solution_html, variant, state.figures_dir, "/figures")
        return JSONResponse({"html": html})
    return RedirectResponse(f"/p/{problem.id}#solution", status_code=303)

