"""The Starlette application: routes, templates (Jinja2 with the message catalog), middleware.

Errors a person sees are pages (or JSON for the page's script and the API) saying what happened;
an unexpected failure is logged with an incident id that the page repeats, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from membranelab.grading.numformat import points_text
from membranelab.incident import record_incident
from membranelab.messages import resolve_lang, template

from . import answering, api, hints, routes, teacher
from .config import MAX_ID, ServeConfig, is_loopback
from .guards import BodyLimit, Disconnects, SecurityHeaders
from .state import WebState, build_state, remove_figures
from .text import translate

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
_FIGURE = re.compile(rf"^[A-Za-z0-9._-]{{1,{MAX_ID}}}\.png$")

_STATUS_TEXT = {
    400: "web.http_400",
    401: "web.http_401",
    403: "web.http_403",
    404: "web.http_404",
    405: "web.http_403",
    409: "web.no_tries",
    413: "web.http_413",
}
_INTERNAL = "web.internal"


def _templates(state: WebState) -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, extensions=["jinja2.ext.i18n"])

    # Jinja's new-style gettext fills the named parameters itself (escaping them): the
    # callables return the catalog's raw text.
    @jinja2.pass_context
    def gettext(context: Any, key: str) -> str:
        return template(key, resolve_lang(context.get("lang")))

    @jinja2.pass_context
    def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
        return template(singular if n == 1 else plural, resolve_lang(context.get("lang")))

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["points"] = points_text
    return Jinja2Templates(env=env)


async def _figure(request: Request) -> Response:
    name = request.path_params["name"]
    state: WebState = request.app.state.web
    path = state.figures_dir / name
    if not _FIGURE.match(name) or not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="image/png")


def _wants_json(request: Request) -> bool:
    return routes.wants_json(request) or request.url.path.startswith("/api/")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    state: WebState = request.app.state.web
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail and exc.detail != \
        _default_phrase(exc.status_code) else translate(
            _STATUS_TEXT.get(exc.status_code, "web.http_other"), state.lang)
    if _wants_json(request):
        return JSONResponse({"error": detail}, status_code=exc.status_code)
    if exc.status_code == 401 and state.db is not None:
        return teacher.login_page(request, http_status=401, error=detail)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"state": state, "session": None, "lang": state.lang,
                            "mode": state.config.mode, "error": detail, "csrf": ""},
        status_code=exc.status_code)


def _default_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def _internal_error(request: Request, exc: Exception) -> Response:
    incident = record_incident(logger, "on %s %s", request.method, request.url.path,
                               exc_info=exc)
    state: WebState = request.app.state.web
    message = translate(_INTERNAL, state.lang, incident=incident)
    if _wants_json(request):
        return JSONResponse({"error": message, "incident": incident}, status_code=500)
    return Response(message, status_code=500, media_type="text/plain; charset=utf-8")


def _allowed_hosts(config: ServeConfig) -> list[str]:
    if config.allowed_hosts:
        return list(config.allowed_hosts)
    if config.klass is None or is_loopback(config.host):
        return ["127.0.0.1", "localhost", "::1", "[::1]"]
    return ["*"]


def create_app(config: ServeConfig, state: WebState | None = None) -> Starlette:
    """The ASGI app for ``config`` (the bank, roster and database are loaded now)."""
    state = state or build_state(config)
    route_list = [
        Route("/", routes.home),
        Route("/p/{problem}", routes.problem_page),
        Route("/p/{problem}/answer", answering.answer, methods=["POST"]),
        Route("/p/{problem}/hint", hints.hint, methods=["POST"]),
        Route("/p/{problem}/solution", routes.solution, methods=["GET", "POST"]),
        Route("/api/preview", api.preview, methods=["POST"]),
        Route("/api/grade", api.grade_api, methods=["POST"]),
        Route("/login", teacher.login, methods=["GET", "POST"]),
        Route("/logout", teacher.logout, methods=["POST"]),
        Route("/teacher", teacher.teacher_view),
        Route("/teacher/{name}", teacher.export),
        Route("/figures/{name}", _figure),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(Disconnects),
        Middleware(BodyLimit, max_body=config.limits.max_body),
        Middleware(SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=_allowed_hosts(config)),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        state.figures_dir.mkdir(parents=True, exist_ok=True)
        # the threads that check, grade and record requests (Limits.threads)
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.limits.threads
        if state.db is not None:  # SQLite's checkpoints off the event loop (.checkpoint)
            state.db.start_checkpointer()
        try:
            yield
        finally:
            if state.db is not None:
                state.db.stop_checkpointer()
            remove_figures(state.figures_dir)  # the temporary figures go with the server

    app = Starlette(routes=route_list, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, 500: _internal_error})
    app.state.web = state
    app.state.templates = _templates(state)
    return app
