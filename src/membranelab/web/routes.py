"""The pages a student uses: the problem list, a problem, answering, hints, the worked solution.

Every form POST carries the session's CSRF token (field ``csrf``, or header ``X-CSRF-Token`` from
the page's script); every answer is size-bounded and graded in the thread pool.  A request sent by
the page's script (``Accept: application/json``) gets JSON; a plain form gets the page back.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from .classbook import ClassBook
from .db import Submission, TryLimitReached
from .pages import by_topic, hint_html, problem_view, solution_html
from .state import Session, WebState, session_of
from .text import translate
from .verdict import costs_try, grade_async, verdict_dict

__all__ = ["answer", "hint", "home", "problem_page", "solution", "wants_json"]

_UID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PAST_DUE = "The due date has passed: answers are no longer accepted."
_NO_TRIES = "No tries left for this part."
_BAD_CSRF = "This page is out of date or was not sent by this site. Reload it and try again."
_TOO_LONG = "The answer is too long (%(length)s characters; at most %(limit)s)."
_NOT_FOUND = "There is no such problem here."


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
    state = web(request)
    form = await request.form(max_files=0, max_fields=20)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    presented = request.headers.get("x-csrf-token") or fields.get("csrf")
    from .security import csrf_valid

    if not csrf_valid(state.secret, session.sid, presented):
        raise HTTPException(403, translate(_BAD_CSRF, state.lang))
    return fields


def _problem(state: WebState, problem_id: str) -> Any:
    problem = state.problem(problem_id)
    if problem is None:
        raise HTTPException(404, translate(_NOT_FOUND, state.lang))
    return problem


def _part(state: WebState, problem: Any, part_id: str) -> Any:
    for part in problem.parts:
        if part.id == part_id:
            return part
    raise HTTPException(404, translate(_NOT_FOUND, state.lang))


async def _score(state: WebState, session: Session) -> tuple[float, float]:
    if state.db is not None:
        book = ClassBook(state.db, session.student, state.assignment, state.config.klass.tries)
        return await run_in_threadpool(book.score, state.problems)
    return await run_in_threadpool(state.study.score, state.problems)


def _render(request: Request, template: str, session: Session | None, http_status: int = 200,
            **context: Any) -> Response:
    state = web(request)
    base = {"state": state, "session": session, "lang": state.lang, "mode": state.config.mode,
            "csrf": state.csrf(session) if session else "", "level": state.config.feedback}
    return request.app.state.templates.TemplateResponse(request, template, {**base, **context},
                                                        status_code=http_status)


async def home(request: Request) -> Response:
    """The problem list, by topic, with the student's standing on each problem."""
    state = web(request)
    session = session_of(state, request)
    if session is None:
        return _render(request, "login.html", None)
    if session.role == "teacher":
        return RedirectResponse("/teacher", status_code=303)
    earned, possible = await _score(state, session)
    status = await run_in_threadpool(_statuses, state, session)
    return _render(request, "index.html", session, topics=by_topic(state.problems),
                   status=status, earned=earned, possible=possible)


def _statuses(state: WebState, session: Session) -> dict[str, str]:
    out = {}
    if state.db is not None:
        marks = ClassBook(state.db, session.student, state.assignment,
                          state.config.klass.tries).marks(state.problems)
        for problem in state.problems:
            done = [marks[(problem.id, p.id)].finished for p in problem.parts]
            out[problem.id] = "done" if all(done) else ("started" if any(
                marks[(problem.id, p.id)].tries for p in problem.parts) else "new")
        return out
    for problem in state.problems:
        parts, _ = state.study.states(problem)
        out[problem.id] = ("done" if all(s.finished for s in parts.values()) else
                           "started" if any(s.tries for s in parts.values()) else "new")
    return out


def _part_states(state: WebState, session: Session, problem: Any) -> tuple[dict, bool]:
    """Per part: tries, earned, finished, hints shown, last feedback; and whether revealed."""
    tries = state.config.klass.tries if state.db is not None else state.study.tries
    out: dict[str, dict[str, Any]] = {}
    if state.db is not None:
        marks = ClassBook(state.db, session.student, state.assignment, tries).marks([problem])
        for part in problem.parts:
            m = marks[(problem.id, part.id)]
            last = None
            if m.last is not None:
                last = {"feedback": m.last.feedback, "correct": m.last.correct,
                        "score": m.last.score, "answer": m.last.answer}
            out[part.id] = {"tries": m.tries, "left": max(0, tries - m.tries),
                            "earned": m.earned, "finished": m.finished, "hints": 0,
                            "correct": m.correct, "last": last}
        return out, False
    parts, revealed = state.study.states(problem)
    for part in problem.parts:
        s = parts[part.id]
        out[part.id] = {"tries": s.tries, "left": max(0, tries - s.tries), "earned": s.earned,
                        "finished": s.finished, "hints": s.hints, "correct": s.correct,
                        "last": None}
    return out, revealed


async def problem_page(request: Request, feedback: dict[str, Any] | None = None,
                       status: int = 200) -> Response:
    """A problem with the student's variant, one answer box per part."""
    state = web(request)
    session = need_session(request)
    if session.role == "teacher":
        return RedirectResponse("/teacher", status_code=303)
    problem = _problem(state, request.path_params["problem"])
    variant = await run_in_threadpool(state.variant, problem, session.student)
    view = await run_in_threadpool(problem_view, variant)
    parts, revealed = await run_in_threadpool(_part_states, state, session, problem)
    hints = {p.id: [hint_html(variant, p.id, i) for i in range(parts[p.id]["hints"])]
             for p in problem.parts}
    solution = None
    if revealed and state.db is None:
        solution = await run_in_threadpool(solution_html, variant, state.figures_dir, "/figures")
    if feedback:
        parts[feedback["part"]]["last"] = feedback
    earned, possible = await _score(state, session)
    return _render(request, "problem.html", session, http_status=status, view=view, parts=parts,
                   hints=hints, solution=solution, revealed=revealed, earned=earned,
                   possible=possible, uid=uuid.uuid4().hex,
                   due=state.config.klass.due if state.config.klass else None)


def _refusal(request: Request, status: int, message: str, part_id: str) -> Response:
    if wants_json(request):
        return JSONResponse({"refused": True, "message": message, "part": part_id},
                            status_code=status)
    raise HTTPException(status, message)


async def answer(request: Request) -> Response:
    """Grade one part's answer, record it, and show the verdict."""
    state = web(request)
    session = need_session(request)
    if session.role == "teacher":
        raise HTTPException(403)
    fields = await form_of(request, session)
    problem = _problem(state, request.path_params["problem"])
    part = _part(state, problem, fields.get("part", ""))
    text = fields.get("answer", "")
    limit = state.config.limits.max_answer
    if len(text) > limit:
        return _refusal(request, 413, translate(_TOO_LONG, state.lang, length=len(text),
                                                limit=limit), part.id)
    uid = fields.get("uid", "")
    if not _UID.match(uid):
        uid = uuid.uuid4().hex
    klass = state.config.klass
    if klass is not None:
        if klass.is_past_due():
            return _refusal(request, 403, translate(_PAST_DUE, state.lang), part.id)
        old = await run_in_threadpool(state.db.find, uid)
        if old is not None and old.student == session.student:
            return await _respond(request, state, session, problem, part, _stored(old), None)
        used = await run_in_threadpool(state.db.tries_used, session.student, state.assignment,
                                       problem.id, part.id)
        if used >= klass.tries:
            return _refusal(request, 409, translate(_NO_TRIES, state.lang), part.id)
    else:
        parts, _ = await run_in_threadpool(state.study.states, problem)
        if parts[part.id].finished:
            return _refusal(request, 409, translate(_NO_TRIES, state.lang), part.id)
    variant = await run_in_threadpool(state.variant, problem, session.student)
    result = await grade_async(problem, variant, part, text)
    verdict = verdict_dict(result, level=state.config.feedback, lang=state.lang)
    if klass is not None:
        sub = Submission(uid=uid, student=session.student, assignment=state.assignment,
                         problem=problem.id, part=part.id, seq=0, answer=text,
                         score=float(result.score), weight=float(part.points),
                         correct=bool(result.correct), note=str(result.note),
                         feedback=verdict["feedback"], level=klass.feedback,
                         counted=costs_try(result), created=time.time())
        try:
            await run_in_threadpool(state.db.record, sub, klass.tries)
        except TryLimitReached:
            return _refusal(request, 409, translate(_NO_TRIES, state.lang), part.id)
        return await _respond(request, state, session, problem, part, verdict, None)
    await run_in_threadpool(state.study.record, problem, part, result.score, costs_try(result))
    return await _respond(request, state, session, problem, part, verdict, result)


def _stored(sub: Submission) -> dict[str, Any]:
    return {"part": sub.part, "score": sub.score, "correct": sub.correct, "note": sub.note,
            "feedback": sub.feedback, "counted": sub.counted}


async def _respond(request: Request, state: WebState, session: Session, problem: Any, part: Any,
                   verdict: dict[str, Any], result: Any) -> Response:
    parts, _ = await run_in_threadpool(_part_states, state, session, problem)
    mine = parts[part.id]
    payload = dict(verdict, tries=mine["tries"], left=mine["left"], finished=mine["finished"],
                   earned=mine["earned"])
    if result is not None and mine["finished"] and not result.correct and result.expected:
        payload["expected"] = translate("The answer is %(expected)s.", state.lang,
                                        expected=result.expected)
    earned, possible = await _score(state, session)
    payload["score_line"] = translate("Score: %(earned)s / %(possible)s points", state.lang,
                                      earned=f"{earned:g}", possible=f"{possible:g}")
    if wants_json(request):
        return JSONResponse(payload)
    payload["answer"] = (await request.form()).get("answer", "")
    return await problem_page(request, feedback=payload)


async def hint(request: Request) -> Response:
    """Show the next hint of a part (self-study)."""
    state = web(request)
    session = need_session(request)
    if state.db is not None:
        raise HTTPException(404)
    fields = await form_of(request, session)
    problem = _problem(state, request.path_params["problem"])
    part = _part(state, problem, fields.get("part", ""))
    if not part.hints:
        raise HTTPException(404)
    shown = await run_in_threadpool(state.study.show_hint, problem, part)
    if wants_json(request):
        variant = await run_in_threadpool(state.variant, problem, session.student)
        label = translate("Hint %(n)s of %(total)s", state.lang, n=shown, total=len(part.hints))
        return JSONResponse({"index": shown, "total": len(part.hints), "label": label,
                             "html": hint_html(variant, part.id, shown - 1)})
    return RedirectResponse(f"/p/{problem.id}#part-{part.id}", status_code=303)


async def solution(request: Request) -> Response:
    """GET: ask for confirmation; POST (confirmed): mark revealed and show the worked solution."""
    state = web(request)
    session = need_session(request)
    if state.db is not None:
        raise HTTPException(404)
    problem = _problem(state, request.path_params["problem"])
    if request.method == "GET":
        return _render(request, "confirm.html", session, problem=problem)
    fields = await form_of(request, session)
    if fields.get("confirm") != "yes":
        return RedirectResponse(f"/p/{problem.id}", status_code=303)
    await run_in_threadpool(state.study.reveal, problem)
    if wants_json(request):
        variant = await run_in_threadpool(state.variant, problem, session.student)
        html = await run_in_threadpool(solution_html, variant, state.figures_dir, "/figures")
        return JSONResponse({"html": html})
    return RedirectResponse(f"/p/{problem.id}#solution", status_code=303)

