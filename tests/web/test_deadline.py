"""A request not sent in full within the deadline is dropped (issue 23): a real uvicorn server on
loopback with ``membranelab serve``'s protocol, a half-sent request line and a half-sent body."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
import uvicorn

from membranelab.web import ServeConfig, create_app
from membranelab.web.config import Limits
from membranelab.web.deadline import uvicorn_options

from .browser import free_port

pytestmark = pytest.mark.slow

DEADLINE = 0.5  # seconds; every wait below allows 30 times that


@contextlib.contextmanager
def running(tmp_path) -> Iterator[int]:
    limits = Limits(request_seconds=DEADLINE)
    app = create_app(ServeConfig(student="alice", lang="en", limits=limits,
                                 progress_path=tmp_path / "progress.json"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           **uvicorn_options(limits)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (at most 15 s)."""
    sock.settimeout(15)
    got = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return got
        got += chunk


def test_half_sent_requests_are_dropped_and_others_served(tmp_path):
    """Half a header block gets 408 and a close; half a body gets a close; a whole request on
    a fresh connection is still answered."""
    with running(tmp_path) as port:
        heads = socket.create_connection(("127.0.0.1", port))
        heads.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        body = socket.create_connection(("127.0.0.1", port))
        body.sendall(b"POST /p/nernst-potassium/answer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 100\r\n\r\npart=E_K&answer=")
        assert _until_closed(heads).startswith(b"HTTP/1.1 408 ")
        assert _until_closed(body) == b""
        heads.close()
        body.close()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/style.css",
                                    timeout=15) as reply:
            assert reply.status == 200


def test_the_limits_reach_uvicorn():
    """serve passes the connection limits of Limits to uvicorn."""
    options = uvicorn_options(Limits(max_connections=321, keep_alive_seconds=4, backlog=99))
    assert (options["limit_concurrency"], options["timeout_keep_alive"], options["backlog"]) == (
        321, 4, 99)
    assert options["http"].request_seconds == Limits().request_seconds == 10.0
