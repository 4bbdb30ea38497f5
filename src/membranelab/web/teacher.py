"""Class mode: signing in and out, and the teacher's view and exports.

A personal link ``/login?token=T`` shows who the token belongs to and a button; only that form's
POST (or the sign-in form's, where a token is typed) puts the token in an HttpOnly cookie
(SameSite=Lax) and redirects.  The POST must come from this site: it carries the sign-in CSRF
token made for the SameSite=Strict nonce cookie set with the form
(:func:`membranelab.web.security.login_csrf`), and a browser's ``Sec-Fetch-Site`` header, and
its ``Origin`` unless ``null`` (what a no-referrer page sends), must name this site.  So another
site can neither follow a link nor post a form that signs a visitor in (to an account of its
choosing).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from membranelab.report import analyse
from membranelab.report.analysis import AssignmentReport
from membranelab.report.labels import Words
from membranelab.report.read_csv import ChoiceOf
from membranelab.report.read_db import records_of_rows
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
from .security import login_csrf, login_nonce, same_hash
from .state import COOKIE, session_for_token
from .text import translate
from .verdict import percent

__all__ = ["class_report", "export", "login", "logout", "teacher_view"]

_BAD_TOKEN = "web.bad_token"
_CROSS_SITE = "web.login_again"
#: The cookie holding the sign-in form's nonce (SameSite=Strict, only sent to /login).
LOGIN_COOKIE = "membranelab_login"
_NONCE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_EXPORTS = {"grades.csv", "grades-canvas.csv", "answers.csv", "submissions.csv"}
#: The full class report page (``/teacher/report.html``).
REPORT_PAGE = "report.html"
#: How many of a part's mistakes the teacher's page names (the full report has them all).
COMMON_MISTAKES = 3


def _nonce(request: Request) -> str | None:
    """The sign-in nonce the browser sent back (None: none, or not one of ours in shape)."""
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    return nonce if 20 <= len(nonce) <= 100 and set(nonce) <= _NONCE_CHARS else None


def login_page(request: Request, *, http_status: int = 200, error: str = "",
               confirm: dict[str, str] | None = None) -> Response:
    """The sign-in page (``confirm``: a personal link's {token, name}, shown as one button),
    with a fresh sign-in CSRF token and its nonce cookie."""
    state = web(request)
    nonce = _nonce(request) or login_nonce()
    response = render(request, "login.html", None, http_status=http_status, error=error,
                      confirm=confirm, login_csrf=login_csrf(state.secret, nonce))
    response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/login",
                        secure=request.url.scheme == "https", max_age=3600)
    return response


def _same_site(request: Request, presented: str) -> bool:
    """True when a sign-in POST comes from this site's own form."""
    state = web(request)
    nonce = _nonce(request)
    if nonce is None or not same_hash(login_csrf(state.secret, nonce), presented[:128]):
        return False
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    # a page served with "Referrer-Policy: no-referrer" (these are) posts "Origin: null"
    origin = request.headers.get("origin", "null")
    return origin == "null" or origin == f"{request.url.scheme}://{request.url.netloc}"


def _student_name(state: Any, student: str) -> str:
    entry = next((e for e in state.roster if e.student == student), None)
    return (entry.name or student) if entry is not None else student


async def login(request: Request) -> Response:
    """GET: the sign-in form, or a personal link's confirmation; POST (from this site): check
    the token and keep it in the session cookie."""
    state = web(request)
    if state.db is None:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        token = request.query_params.get("token", "").strip()
        if not token:
            return login_page(request)
        found = await run_in_threadpool(session_for_token, state, token)
        if found is None:
            return login_page(request, http_status=401, error=translate(_BAD_TOKEN, state.lang))
        name = translate("web.teacher", state.lang) if found.role == "teacher" else \
            _student_name(state, found.student)
        return login_page(request, confirm={"token": token, "name": name})
    form = await request.form(max_files=0, max_fields=5)
    token = str(form.get("token", "")).strip()
    if not _same_site(request, str(form.get("csrf", ""))):
        return login_page(request, http_status=403, error=translate(_CROSS_SITE, state.lang))
    if await run_in_threadpool(session_for_token, state, token) is None:
        return login_page(request, http_status=401, error=translate(_BAD_TOKEN, state.lang))
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


def _late_lines(state: Any, student: str, problem: Any, subs: list[Any]) -> list[str]:
    """A line per part of ``problem`` the student handed in late (how many answers)."""
    lines = []
    for part in problem.parts:
        count = sum(1 for s in subs if s.late and s.student == student
                    and s.problem == problem.id and s.part == part.id)
        if count:
            lines.append(translate("web.late_part", state.lang, part=part.id, count=count))
    return lines


def _choice_of(state: Any) -> ChoiceOf:
    """The bank's choice reader in the page's language, made once per server (it caches the
    answers it has read)."""
    choice_of: ChoiceOf | None = state.extra.get("report_choice_of")
    if choice_of is None:
        from membranelab.report.choices import bank_choice_of

        choice_of = state.extra["report_choice_of"] = bank_choice_of(state.bank, state.lang)
    return choice_of


def class_report(state: Any, subs: list[Any] | None = None,
                 shown: dict[tuple[str, str, str, str], int] | None = None
                 ) -> AssignmentReport | None:
    """The report of the assignment so far (None before the first submission): the class
    database's submissions and hints, read back as the grading service's verdicts."""
    if subs is None:
        subs = state.db.list_submissions(assignment=state.assignment)
    if shown is None:
        shown = state.db.all_hints(assignment=state.assignment)
    records = records_of_rows(subs, shown, _choice_of(state))
    if not records:
        return None
    [report] = analyse(records).assignments
    return report


def _report_context(state: Any, report: AssignmentReport | None) -> dict[str, Any]:
    words = Words(state.lang)

    def common(part: Any) -> list[str]:
        return [translate("web.report_share", state.lang, what=words.kind(m.kind, m.note),
                          percent=f"{100 * m.share:.0f}")
                for m in part.mistakes[:COMMON_MISTAKES]]

    return {"report": report, "report_words": words, "report_common": common}


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
            detail = detail + _late_lines(state, entry.student, problem, subs)
            cells.append((earned, sum(p.points for p in problem.parts), tried, used, detail))
        rows.append((entry, cells))
    max_points = sum(p.points for problem in state.problems for p in problem.parts)
    by_student = {t.student: t for t in totals_rows(subs, students, state.assignment,
                                                    max_points)}
    totals = [by_student[entry.student] for entry in state.roster]
    review = [sub for sub in subs if sub.note == "needs_review"]
    return {"rows": list(zip(rows, totals, strict=True)), "count": len(subs),
            "max_points": max_points, "review": review,
            "late_share": percent(state.config.klass.late or 0.0),
            **_report_context(state, class_report(state, subs, shown))}


async def teacher_view(request: Request) -> Response:
    """Every student's marks on the assignment, and the export links."""
    state = web(request)
    session = _teacher_only(request)
    table = await run_in_threadpool(_table, state)
    return render(request, "teacher.html", session, **table)


def _report_page(state: Any) -> str:
    """The full class report so far as one self-contained page (figures drawn here)."""
    from membranelab.report import ClassReport
    from membranelab.report.figures import draw_all
    from membranelab.report.render import html_page

    report = class_report(state)
    whole = ClassReport((report,) if report is not None else ())
    source = translate("web.report_source", state.lang, title=state.config.klass.title,
                       assignment=state.assignment)
    return html_page(whole, draw_all(whole.assignments, state.lang), source=source,
                     lang=state.lang)


async def export(request: Request) -> Response:
    """The grades (totals), answers (best per part) or submissions CSV, or the full class
    report page."""
    state = web(request)
    _teacher_only(request)
    name = request.path_params["name"]
    if name == REPORT_PAGE:
        return HTMLResponse(await run_in_threadpool(_report_page, state))
    if name not in _EXPORTS:
        raise HTTPException(404)

    def build() -> str:
        subs = state.class_db.list_submissions(assignment=state.assignment)
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
