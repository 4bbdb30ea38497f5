"""Class mode: signing in and out, and the teacher's view and exports.

A personal link ``/login?token=T`` (or the sign-in form) puts the token in an HttpOnly cookie
(SameSite=Lax: sent when the link is followed, never with another site's POST; every form also
carries a CSRF token) and redirects, so the token leaves the address bar at once.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from membranelab.service.totals import totals_csv_text

from .classbook import (
    ANSWERS_COLUMNS,
    SUBMISSION_COLUMNS,
    answers_rows,
    best_submissions,
    csv_text,
    submission_rows,
    totals_rows,
)
from .routes import form_of, need_session, render, web
from .state import COOKIE, session_for_token
from .text import translate

__all__ = ["export", "login", "logout", "teacher_view"]

_BAD_TOKEN = "web.bad_token"
_EXPORTS = {"grades.csv", "grades-canvas.csv", "answers.csv", "submissions.csv"}


async def login(request: Request) -> Response:
    """Check a token (link or form) and keep it in the session cookie."""
    state = web(request)
    if state.db is None:
        return RedirectResponse("/", status_code=303)
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=5)
        token = str(form.get("token", "")).strip()
    else:
        token = request.query_params.get("token", "").strip()
    if await run_in_threadpool(session_for_token, state, token) is None:
        return render(request, "login.html", None, http_status=401,
                       error=translate(_BAD_TOKEN, state.lang))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", max_age=180 * 24 * 3600)
    return response


async def logout(request: Request) -> Response:
    """Forget the session cookie (a POST with the CSRF token)."""
    session = need_session(request)
    await form_of(request, session)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _teacher_only(request: Request) -> Any:
    session = need_session(request)
    if session.role != "teacher":
        raise HTTPException(403)
    return session


def _expected(state: Any):
    def expected(problem_id: str, part_id: str, student: str) -> str:
        problem = state.problem(problem_id)
        if problem is None:
            return ""
        answer = state.variant(problem, student).answer(part_id)
        unit = f" {answer.unit}" if answer.unit else ""
        return f"{answer.text}{unit}"

    return expected


def _hints_cell(state: Any, student: str, problem: Any,
                shown: dict[tuple[str, str, str, str], int]) -> tuple[int, list[str]]:
    """Hints one student was shown in one problem, and a line per part with hints."""
    per_part = [(part.id, shown.get((student, state.assignment, problem.id, part.id), 0))
                for part in problem.parts]
    used = [translate("web.hints_part", state.lang, part=part, count=count)
            for part, count in per_part if count]
    return sum(count for _, count in per_part), used


def _table(state: Any) -> dict[str, Any]:
    """The gradebook: per student and problem the points earned (best counted answer of each
    part, after the hint credit) and the hints shown, then the totals."""
    subs = state.db.list_submissions(assignment=state.assignment)
    shown = state.db.all_hints(assignment=state.assignment)
    best = best_submissions(subs)
    students = [e.student for e in state.roster]
    rows = []
    for entry in state.roster:
        cells = []
        for problem in state.problems:
            earned = sum(best[k].score * best[k].weight for k in best
                         if k[0] == entry.student and k[2] == problem.id)
            tried = any(k[0] == entry.student and k[2] == problem.id for k in best)
            used, detail = _hints_cell(state, entry.student, problem, shown)
            cells.append((earned, sum(p.points for p in problem.parts), tried, used, detail))
        rows.append((entry, cells))
    max_points = sum(p.points for problem in state.problems for p in problem.parts)
    by_student = {t.student: t for t in totals_rows(subs, students, state.assignment,
                                                    max_points)}
    totals = [by_student[entry.student] for entry in state.roster]
    review = [sub for sub in subs if sub.note == "needs_review"]
    return {"rows": list(zip(rows, totals, strict=True)), "count": len(subs),
            "max_points": max_points, "review": review}


async def teacher_view(request: Request) -> Response:
    """Every student's marks on the assignment, and the export links."""
    state = web(request)
    session = _teacher_only(request)
    table = await run_in_threadpool(_table, state)
    return render(request, "teacher.html", session, **table)


async def export(request: Request) -> Response:
    """The grades (totals), answers (best per part) or submissions CSV."""
    state = web(request)
    _teacher_only(request)
    name = request.path_params["name"]
    if name not in _EXPORTS:
        raise HTTPException(404)

    def build() -> str:
        subs = state.db.list_submissions(assignment=state.assignment)
        if name.startswith("grades"):
            max_points = sum(p.points for problem in state.problems for p in problem.parts)
            totals = totals_rows(subs, [e.student for e in state.roster], state.assignment,
                                 max_points)
            return totals_csv_text(totals, "canvas" if name == "grades-canvas.csv" else "long")
        if name == "answers.csv":
            return csv_text(ANSWERS_COLUMNS, answers_rows(subs, _expected(state)))
        return csv_text(SUBMISSION_COLUMNS, submission_rows(subs))

    text = await run_in_threadpool(build)
    filename = f"{state.assignment}-{name}"
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="{filename}"'})
