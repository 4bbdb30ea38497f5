"""``POST /p/{problem}/hint``: show the next hint of a part.

Self-study: free, counted in the practice store.  Class mode (unless the class turned hints off):
the form names the hint it asks for (``n``, the page's next one); the class database records it
once (:meth:`membranelab.web.db.ClassDB.show_hint`: a re-sent or concurrent request for a hint
already shown costs nothing more, a hint out of order is refused) and every later answer of the
part keeps ``part.hint_credit(hints shown)`` of its score.  Like every class route it needs a
signed-in student and the session's CSRF token.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from .classbook import ClassBook
from .hintoffer import hints_offered, offer
from .pages import hint_html
from .routes import form_of, need_session, part_of, problem_of, rules_of, wants_json, web
from .state import Session, WebState
from .text import translate

__all__ = ["hint"]

_OFF = "web.hints_off"
_ORDER = "web.hint_order"


def _requested(fields: dict[str, str]) -> int | None:
    """The hint number the form asks for (None: the next one)."""
    raw = fields.get("n", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 3:
        return 0
    return int(raw)


def _show(state: WebState, session: Session, problem: Any, part: Any, n: int | None
          ) -> tuple[int | None, bool]:
    """Record the hint: how many are shown now (None: ``n`` is not the next hint), and whether
    the part is finished (class mode: closed by the scoring policy)."""
    if state.db is None:
        return state.study_book.show_hint(problem, part), False
    key = (session.student, state.assignment, problem.id, part.id)
    if n is None:
        n = min(state.db.hints_shown(*key) + 1, len(part.hints))
    shown = state.db.show_hint(*key, n=n, total=len(part.hints))
    total = state.db.part_totals(session.student, state.assignment).get(
        (problem.id, part.id), (0, 0.0, False))
    book = ClassBook(state.db, session.student, state.assignment, rules_of(state, session.student))
    return shown, bool(book.standing(problem, part, total).closed)


async def hint(request: Request) -> Response:
    """Show the next hint of a part (JSON for the page's script; else back to the page)."""
    state = web(request)
    session = await run_in_threadpool(need_session, request)
    if session.role == "teacher":
        raise HTTPException(403)
    if not hints_offered(state):
        raise HTTPException(403, translate(_OFF, state.lang))
    fields = await form_of(request, session)
    problem = problem_of(state, request.path_params["problem"])
    part = part_of(state, problem, fields.get("part", ""))
    if not part.hints:
        raise HTTPException(404)
    asked = _requested(fields) if state.db is not None else None
    shown, finished = await run_in_threadpool(_show, state, session, problem, part, asked)
    if shown is None:
        raise HTTPException(409, translate(_ORDER, state.lang))
    index = asked if asked is not None else shown
    if not wants_json(request):
        return RedirectResponse(f"/p/{problem.id}#part-{part.id}", status_code=303)
    variant = await run_in_threadpool(state.variant, problem, session.student)
    label = translate("web.hint_label", state.lang, n=index, total=len(part.hints))
    now = offer(state, part, shown, finished, student=session.student)
    return JSONResponse({"index": index, "shown": shown, "total": len(part.hints),
                         "label": label, "html": hint_html(variant, part.id, index - 1),
                         "n": now.next, "button": now.button, "credit": now.credit})
