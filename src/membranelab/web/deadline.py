"""A deadline for reading each request, and the connection limits ``membranelab serve`` runs with.

uvicorn on its own times out only an idle keep-alive connection (``timeout_keep_alive``, after a
response): a client that sends half a request line, half the headers or half a body, slowly or
never, keeps its connection and a slot of the server forever.  :func:`protocol_class` returns
uvicorn's own HTTP protocol (httptools when installed, as uvicorn's ``auto`` picks, else h11)
with one addition: from the first byte of a request (or the connection's opening) the whole
request, headers and body, must have arrived within ``request_seconds``.  Otherwise the
connection is closed (with ``408 Request Timeout`` when no request had started) and one line is
logged.  The time the application then takes to answer is not limited here (a symbolic answer is
graded under its own budget).

The other limits are uvicorn's (``uvicorn.run`` options), set by :func:`uvicorn_options` from
:class:`membranelab.web.config.Limits`: at most ``max_connections`` connections at once (past
that, uvicorn answers ``503``), an idle keep-alive connection closed after
``keep_alive_seconds``, a listen backlog of ``backlog``; no access log (uvicorn would
prepare a line per request for the server's ``warning`` level to drop).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from .config import Limits

__all__ = ["DeadlineProtocol", "protocol_class", "uvicorn_options"]

logger = logging.getLogger(__name__)

_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                     b"content-length: 21\r\nconnection: close\r\n\r\nRequest not complete.")


class _RequestDeadline:
    """Mixin over a uvicorn HTTP protocol: a request not fully read in time closes the
    connection."""

    request_seconds: float = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._deadline is None:  # the first byte of the next request on this connection
            self._arm()
        super().data_received(data)  # type: ignore[misc]

    def on_response_complete(self) -> None:
        self._disarm()  # idle until the next request: uvicorn's keep-alive timeout applies
        super().on_response_complete()  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        self._disarm()
        loop = getattr(self, "loop", None) or asyncio.get_event_loop()
        self._deadline = loop.call_later(self.request_seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        cycle = getattr(self, "cycle", None)
        transport = getattr(self, "transport", None)
        if transport is None or transport.is_closing():
            return
        starting = cycle is None or cycle.response_complete  # no request's headers yet
        if not starting and cycle is not None and not cycle.more_body:
            return  # read in full: the application is answering it
        client = getattr(self, "client", None)
        logger.warning("closed a connection from %s: its request was not complete after %g s",
                       client[0] if client else "?", self.request_seconds)
        if starting:
            transport.write(_TIMEOUT_RESPONSE)
        transport.close()


def _base() -> type:
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:  # httptools not installed: uvicorn's pure-Python h11 protocol
        from uvicorn.protocols.http.h11_impl import H11Protocol as base  # type: ignore[assignment]
    return base


#: The protocol by import path, for worker processes (``serve --workers N``): each worker sets
#: its ``request_seconds`` from the server's limits when it builds the app.
DeadlineProtocol: type[_RequestDeadline] = type("DeadlineProtocol", (_RequestDeadline, _base()), {})


def protocol_class(limits: Limits) -> type:
    """uvicorn's HTTP protocol class with the request deadline of ``limits``."""
    return type("DeadlineProtocol", (DeadlineProtocol,),
                {"request_seconds": float(limits.request_seconds)})


def uvicorn_options(limits: Limits, *, by_name: bool = False) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run`` that bound connections (``by_name``: the
    protocol as an import path, as worker processes need it)."""
    http: Any = f"{__name__}:DeadlineProtocol" if by_name else protocol_class(limits)
    return {"http": http, "access_log": False, "limit_concurrency": limits.max_connections,
            "timeout_keep_alive": limits.keep_alive_seconds, "backlog": limits.backlog}
