"""A light HTTP/1.1 client for the server benchmarks: many simulated students in one asyncio loop.

httpx costs about as much CPU per request as the server it measures (14 ms against 15 ms in
``bench/serve.py`` before this client), so on a two-core machine the load generator, not the
server, set the pace.  This client writes each request as bytes on a keep-alive connection and
reads the reply by its ``Content-Length`` (what ``membranelab serve`` sends; anything else is an
error), a few tens of microseconds per request.

Like a browser, a :class:`Client` reuses its connection while it is fresh and opens a new one
after ``idle`` seconds without a request (the server closes idle connections after
``keep_alive_seconds``, 5 s by default) or after the server closed it.  A request that gets no
reply (connection reset, a worker killed) raises :class:`NoReply`: the caller decides whether
to send it again (a submission with the same id is recorded once).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

__all__ = ["Client", "NoReply", "Reply", "form_body", "multipart_body"]


class NoReply(Exception):
    """The connection closed (or failed) before a full reply arrived."""


@dataclass(frozen=True)
class Reply:
    """A status code, the headers (lower-case names; repeated ones joined by ``\\n``) and the
    body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def form_body(fields: dict[str, str]) -> bytes:
    """``application/x-www-form-urlencoded`` bytes of ``fields``."""
    from urllib.parse import urlencode

    return urlencode(fields).encode("ascii")


def multipart_body(fields: dict[str, str]) -> tuple[str, bytes]:
    """(``Content-Type``, body) of ``fields`` as ``multipart/form-data``: what a browser's
    ``fetch`` sends with a ``FormData`` body (the page's script does so for an answer)."""
    import os

    boundary = "----membranelabBench" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     .encode() + value.encode("utf-8") + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode("ascii")
    return f"multipart/form-data; boundary={boundary}", body


class _Connection(asyncio.Protocol):
    """One keep-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Reply] | None = None
        self.head: tuple[int, dict[str, str]] | None = None
        self.length = 0
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._parse()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(NoReply(str(exc or "connection closed")))

    def send(self, data: bytes) -> asyncio.Future[Reply]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _parse(self) -> None:
        if self.waiter is None or self.waiter.done():
            return
        if self.head is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            del self.buffer[:end + 4]
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name, value = name.strip().lower(), value.strip()
                headers[name] = f"{headers[name]}\n{value}" if name in headers else value
            if "content-length" not in headers:
                self.waiter.set_exception(NoReply(f"no Content-Length: {lines[0]}"))
                self.close()
                return
            self.head = (int(lines[0].split()[1]), headers)
            self.length = int(headers["content-length"])
        if len(self.buffer) < self.length:
            return
        status, headers = self.head
        body = bytes(self.buffer[:self.length])
        del self.buffer[:self.length]
        self.head = None
        if headers.get("connection", "").lower() == "close":
            self.close()
        self.waiter.set_result(Reply(status, headers, body))


class Client:
    """One simulated browser: a cookie jar of one cookie and a keep-alive connection."""

    def __init__(self, host: str, port: int, *, idle: float = 4.0, timeout: float = 120.0,
                 cookie: str = "") -> None:
        self.host, self.port, self.idle, self.timeout = host, port, idle, timeout
        self.cookie = cookie
        self._conn: _Connection | None = None
        self._last = 0.0
        self.connections = 0

    async def _connection(self) -> _Connection:
        conn = self._conn
        if conn is None or conn.closed or time.monotonic() - self._last > self.idle:
            if conn is not None:
                conn.close()
            loop = asyncio.get_running_loop()
            _, conn = await loop.create_connection(_Connection, self.host, self.port)
            self._conn = conn
            self.connections += 1
        return conn

    async def request(self, method: str, path: str, *, body: bytes = b"",
                      headers: dict[str, str] | None = None,
                      content_type: str = "application/x-www-form-urlencoded") -> Reply:
        """Send one request and wait for its reply (:class:`NoReply` when none came)."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines.append(f"Content-Type: {content_type}")
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            conn = await self._connection()
            reply = await asyncio.wait_for(conn.send(data), self.timeout)
        except (OSError, asyncio.TimeoutError) as exc:
            self.close()
            raise NoReply(repr(exc)) from None
        except NoReply:
            self.close()
            raise
        self._last = time.monotonic()
        return reply

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
