"""ASGI middleware that bounds and hardens every request: body size, security headers.

* :class:`BodyLimit` refuses a body larger than the limit (413), whether it says its length in
  ``Content-Length`` or streams it in chunks, before any handler reads it.
* :class:`Disconnects` turns a client that went away before its request was read (an aborted
  upload: Starlette's ``ClientDisconnect``) into one log line, not a traceback: nobody is left
  to answer.
* :class:`SecurityHeaders` adds a Content-Security-Policy (scripts only from this server, no
  inline script), ``nosniff``, no framing and no referrer (a sign-in link's token never leaks
  through a Referer header).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "Disconnects", "SecurityHeaders", "SECURITY_HEADERS"]

logger = logging.getLogger(__name__)

#: Headers added to every response.
SECURITY_HEADERS = (
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
     b"frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)

_TOO_LARGE = b"Request body too large."


class _TooLarge(Exception):
    pass


async def _refuse(send: Send) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(_TOO_LARGE)).encode())]})
    await send({"type": "http.response.body", "body": _TOO_LARGE})


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_body + 1
                if declared > self.max_body:
                    await _refuse(send)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _refuse(send)


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in names)
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, with_headers)


class Disconnects:
    """Log a request whose client disconnected before sending it in full (one line)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            client = scope.get("client") or ("?", 0)
            logger.warning("client %s went away before sending its request in full: %s %s",
                           client[0], scope.get("method", ""), scope.get("path", ""))
