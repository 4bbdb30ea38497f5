"""JSON endpoints: the live preview of an answer, and the grading service ``POST /api/grade``.

``POST /api/grade`` (the hook for an LMS or another front end)::

    curl -s -X POST http://127.0.0.1:8000/api/grade -H 'Content-Type: application/json' \\
         -d '{"problem": "nernst-potassium", "part": "E_K", "student": "alice",
              "assignment": "practice", "answer": "-80.6 mV"}'
    {"problem": "nernst-potassium", "part": "E_K", "student": "alice", "assignment": "practice",
     "score": 1.0, "points": 1.0, "correct": true, "note": "correct", "feedback": "...",
     "level": "full", "counted": true}

It grades (at the server's feedback level) and records nothing.  ``"earlier"`` (part id ->
answer) grades the part on the student's own earlier answers too (error carried forward);
``"previous"`` (a list of at most :data:`MAX_PREVIOUS` answers, oldest first) are the student's
earlier tries at this part: the ``score`` is then what this try earns after them by the scoring
policy (a penalty per wrong try, a choice's first try only), ``best`` the part's credit after
all of them, and ``tries``, ``tries_left`` and ``closed`` say where the part stands.  In class mode it needs the
teacher's token (``Authorization: Bearer TOKEN``): a student must not use it as an oracle for
another student's variant.  Only JSON bodies are accepted (a browser cannot send one cross-site
without a CORS preflight, which this server never grants).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from membranelab.service import PRACTICE_ASSIGNMENT, GradeRequest, ServiceError

from .config import MAX_TOKEN
from .preview import preview_answer
from .roster import TEACHER_HASH_KEY
from .routes import web
from .security import csrf_valid, hash_token, same_hash
from .state import session_of
from .text import translate

__all__ = ["MAX_PREVIOUS", "grade_api", "preview"]

logger = logging.getLogger(__name__)

_FIELDS = ("problem", "part", "student", "assignment", "answer")
#: The most earlier tries ``/api/grade`` takes with an answer.
MAX_PREVIOUS = 20
_BAD_JSON = "web.bad_json"
_AUTH = "web.api_auth"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _text_only(value: Any) -> bool:
    """True when every string in ``value`` is encodable text (no lone surrogate: JSON's
    ``"\\ud800"`` decodes to one, and nothing can print, store or send it)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


async def _json_body(request: Request) -> dict[str, Any] | None:
    """The body's JSON object, or None (not JSON, malformed, nested too deep for the parser,
    or a lone surrogate in a string), logged in one line."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return None
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        reason = f"malformed JSON ({str(exc)[:80]})"
    except RecursionError:
        reason = "JSON nested too deeply"
    else:
        if isinstance(data, dict) and _text_only(data):
            return data
        reason = "not a JSON object" if not isinstance(data, dict) else "a lone surrogate"
    logger.warning("refused %s %s: %s", request.method, request.url.path, reason)
    return None


async def preview(request: Request) -> Response:
    """``{problem, part, answer}`` -> how the answer is read (``ok``, ``message``, ``tex``)."""
    state = web(request)
    session = session_of(state, request)
    if session is None:
        return _error(401, translate("web.sign_in_first", state.lang))
    if not csrf_valid(state.secret, session.sid, request.headers.get("x-csrf-token")):
        return _error(403, translate("web.reload", state.lang))
    data = await _json_body(request)
    if data is None or not all(isinstance(data.get(k), str) for k in ("problem", "part", "answer")):
        return _error(400, translate(_BAD_JSON, state.lang, fields="problem, part, answer"))
    problem = state.problem(data["problem"])
    part = next((p for p in problem.parts if p.id == data["part"]), None) if problem else None
    if part is None:
        return _error(404, translate("web.unknown_part", state.lang, value=data["part"][:80]))
    answer = data["answer"]
    if len(answer) > state.config.limits.max_answer:
        return _error(413, translate("web.answer_too_long", state.lang))
    result = await run_in_threadpool(preview_answer, part, answer, lang=state.lang,
                                     problem=problem)
    return JSONResponse(result.to_dict())


def _teacher(state: Any, request: Request) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    stored = state.db.get_setting(TEACHER_HASH_KEY) if state.db is not None else None
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN or stored is None:
        return False
    return same_hash(stored, hash_token(token.strip()))


async def grade_api(request: Request) -> Response:
    """``{problem, part, student, assignment, answer}`` -> the verdict as JSON (nothing stored).

    The grading service decides whose numbers: ``student`` empty or absent gives the lecture
    notes' published numbers, a reserved id is refused, and a graded class's assignment is
    graded against the student's keyed numbers."""
    state = web(request)
    if state.db is not None and not await run_in_threadpool(_teacher, state, request):
        return _error(401, translate(_AUTH, state.lang))
    data = await _json_body(request)
    limits = state.config.limits
    if data is not None and data.get("student") is None:
        data["student"] = ""
    if data is not None and data.get("assignment") is None:
        data["assignment"] = ""
    if data is None or not all(isinstance(data.get(k), str) for k in _FIELDS):
        return _error(400, translate(_BAD_JSON, state.lang, fields=", ".join(_FIELDS)))
    if any(len(data[k]) > limits.max_id for k in _FIELDS if k != "answer"):
        return _error(400, translate("web.id_too_long", state.lang))
    if len(data["answer"]) > limits.max_answer:
        return _error(413, translate("web.answer_too_long", state.lang))
    problem = state.bank.problems.get(data["problem"])
    if problem is None:
        return _error(404, translate("web.unknown_problem", state.lang, value=data["problem"]))
    part = next((p for p in problem.parts if p.id == data["part"]), None)
    if part is None:
        return _error(404, translate("web.unknown_part", state.lang, value=data["part"]))
    level = state.config.feedback
    earlier = data.get("earlier") or {}
    if not (isinstance(earlier, dict) and len(earlier) <= len(problem.parts)
            and all(isinstance(k, str) and isinstance(v, str) and len(v) <= limits.max_answer
                    for k, v in earlier.items())):
        return _error(400, translate(_BAD_JSON, state.lang, fields=", ".join(_FIELDS)))
    previous = data.get("previous") or []
    if not (isinstance(previous, list) and len(previous) <= MAX_PREVIOUS
            and all(isinstance(v, str) and len(v) <= limits.max_answer for v in previous)):
        return _error(400, translate(_BAD_JSON, state.lang, fields=", ".join(_FIELDS)))
    grade_request = GradeRequest(problem.id, part.id, data["answer"],
                                 student=data["student"].strip() or None,
                                 assignment=data["assignment"].strip() or PRACTICE_ASSIGNMENT,
                                 lang=state.lang, level=level, earlier=earlier,
                                 previous=tuple(previous))
    try:
        verdict = await run_in_threadpool(state.service.grade, grade_request)
    except ServiceError as exc:
        return _error(400, exc.text(state.lang))
    body = {k: data[k] for k in ("problem", "part", "student", "assignment")}
    body.update(verdict.web_fields(), points=verdict.points, level=level,
                best=verdict.best, tries=verdict.tries, tries_left=verdict.tries_left,
                closed=verdict.closed)
    return JSONResponse(body)
