"""Half-sent requests against ``membranelab serve`` (run on demand, not in pytest).

    .venv/bin/python bench/slowclients.py [--clients 250] [--wait 15]

Starts a self-study server (one uvicorn process, serve's own protocol and limits) on 127.0.0.1,
opens ``--clients`` connections that each send half a request (a request line and one header,
never the blank line), then times a normal request from a fresh connection while they hang, and
counts, after ``--wait`` seconds (more than the 10 s request deadline), how many of the half-sent
connections the server has closed.  Loopback only, a bounded number of connections, and it stops
by itself.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web.browser import server  # noqa: E402  (a real `membranelab serve` process)


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return True
    except (TimeoutError, BlockingIOError):
        return False
    except OSError:
        return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--wait", type=float, default=15.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, server(
            ["--student", "alice"], {"MEMBRANELAB_DATA_DIR": data}) as url:
        host, port = url.removeprefix("http://").split(":")
        hanging = []
        for _ in range(min(args.clients, 900)):
            sock = socket.create_connection((host, int(port)), timeout=10)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            hanging.append(sock)
        start = time.perf_counter()
        with urllib.request.urlopen(url + "/", timeout=30) as reply:
            status = reply.status
        normal_ms = (time.perf_counter() - start) * 1000
        time.sleep(args.wait)
        closed = sum(_closed(sock) for sock in hanging)
        for sock in hanging:
            sock.close()
    result = {"half_sent_connections": len(hanging), "normal_request_status": status,
              "normal_request_ms": round(normal_ms, 1), "closed_after_s": args.wait,
              "closed_by_server": closed}
    print(f"{len(hanging)} half-sent connections: a normal request got {status} in "
          f"{normal_ms:.1f} ms; after {args.wait:g} s the server had closed {closed} of them")
    print(json.dumps(result))
    return 0 if status == 200 and closed == len(hanging) else 1


if __name__ == "__main__":
    raise SystemExit(main())
