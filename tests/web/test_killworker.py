"""kill -9 of one ``serve --workers 2`` worker in the middle of a burst of answers (issue 23,
"Measured"; bench/serve.py measures the same at scale): every submission the server
acknowledged is recorded exactly once, and sending again, with the same id, those that got no
answer records none of them twice.

Eight students answer back to back from eight threads.  Every fourth submission is first sent and
abandoned (the connection closed without reading the reply: the server may or may not have
recorded it) and then sent again, as a browser retries; a request that gets no reply or a 5xx
(the killed worker's connections) is sent again with the same id until acknowledged.  Once a
third of the submissions are acknowledged the worker holding the most connections is killed
with SIGKILL (uvicorn's supervisor starts another).
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from membranelab.web.db import ClassDB
from membranelab.web.security import scoped_uid

from .browser import server

pytestmark = pytest.mark.slow

STUDENTS = 8
ANSWERS = 15
PROBLEM = "nernst-potassium"
#: No test waits longer than this for anything (a hang detector, not a speed limit).
DEADLINE = 120


def _children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``, without multiprocessing's resource tracker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"resource_tracker" not in cmdline:
            found.append(int(entry.name))
    return found


def _connections(pid: int, port: int) -> int:
    """Established TCP connections to local ``port`` that process ``pid`` holds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            held += os.readlink(fd) in inodes
        except OSError:
            continue
    return held


def _server_pid(port: int) -> int:
    """The ``membranelab serve`` process listening on ``port`` (the workers' supervisor)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"--port\x00{port}\x00".encode() in (entry / "cmdline").read_bytes():
                    return int(entry.name)
            except OSError:
                continue
    raise AssertionError(f"no server process on port {port}")


def _abandon(port: int, cookie: str, csrf: str, body: bytes) -> None:
    """Send one answer and close the connection without reading the reply."""
    request = (f"POST /p/{PROBLEM}/answer HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Cookie: {cookie}\r\nAccept: application/json\r\nX-CSRF-Token: {csrf}\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)


def test_kill_one_worker_mid_burst(tmp_path, class_db_url):
    """Every acknowledged submission is recorded once; retries and abandoned requests record
    nothing twice; the burst goes on through the kill."""
    students = [f"s{i:02d}" for i in range(STUDENTS)]
    roster = tmp_path / "roster.csv"
    roster.write_text("student\n" + "\n".join(students) + "\n", encoding="utf-8")
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster), "-o",
                    str(tokens_file), "--db", class_db_url], check=True, capture_output=True,
                   timeout=DEADLINE)
    tokens = {r["student"]: r["token"] for r in csv.DictReader(tokens_file.open())
              if r["role"] == "student"}
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", class_db_url,
            "--tries", str(2 * ANSWERS), "--workers", "2"]
    acked: set[str] = set()
    sent: set[str] = set()
    lock = threading.Lock()
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path)}) as url:
        port = int(url.rsplit(":", 1)[1])
        supervisor = _server_pid(port)
        give_up = time.monotonic() + DEADLINE
        while len(_children(supervisor)) < 2 and time.monotonic() < give_up:
            time.sleep(0.2)

        # Half the students stop after a third of their answers until the worker is killed,
        # so the kill lands mid-burst however the machine schedules the threads (the others
        # keep sending through it)
        killed = threading.Event()
        holding: list[str] = []

        def student(name: str) -> None:
            hold = students.index(name) % 2 == 0
            cookie = f"membranelab_token={tokens[name]}"
            with httpx.Client(base_url=url, timeout=30, headers={"Cookie": cookie}) as client:
                while True:  # the first page may meet a worker still starting
                    try:
                        page = client.get(f"/p/{PROBLEM}").text
                        break
                    except httpx.TransportError:
                        assert time.monotonic() < give_up, "the server never answered"
                        time.sleep(0.2)
                csrf = page.split('<meta name="csrf" content="', 1)[1].split('"', 1)[0]
                headers = {"Accept": "application/json", "X-CSRF-Token": csrf}
                for n in range(ANSWERS):
                    if hold and n == ANSWERS // 3:
                        with lock:
                            holding.append(name)
                        assert killed.wait(DEADLINE), "the worker was never killed"
                    uid = f"{name}-answer-{n:03d}"
                    # a positive potential is never E_K (a right answer would close the part,
                    # and the class refuses further answers to a closed part)
                    fields = {"part": "E_K", "answer": f"{60 + n}.5 mV", "uid": uid}
                    with lock:
                        sent.add(scoped_uid(name, uid))
                    if n % 4 == 3:
                        _abandon(port, cookie, csrf, urlencode(fields).encode())
                    while True:  # the same id until acknowledged (recorded at most once)
                        assert time.monotonic() < give_up, f"{uid} never acknowledged"
                        try:
                            reply = client.post(f"/p/{PROBLEM}/answer", data=fields,
                                                headers=headers)
                        except httpx.TransportError:
                            time.sleep(0.1)
                            continue
                        if reply.status_code < 500:
                            break
                        time.sleep(0.1)
                    assert reply.status_code == 200, reply.text
                    with lock:
                        acked.add(scoped_uid(name, uid))

        with ThreadPoolExecutor(STUDENTS) as pool:
            futures = [pool.submit(student, name) for name in students]
            while ((len(holding) < (STUDENTS + 1) // 2 or len(acked) < STUDENTS * ANSWERS // 3)
                   and time.monotonic() < give_up):
                time.sleep(0.01)
            try:
                held = {pid: _connections(pid, port) for pid in _children(supervisor)}
                victim = max(held, key=held.__getitem__)
                assert held[victim] > 0, held
                acked_at_kill = len(acked)
                os.kill(victim, signal.SIGKILL)
            finally:
                killed.set()  # the held students go on (or, after a failure, end)
            for future in futures:
                future.result(timeout=DEADLINE)
    db = ClassDB(class_db_url)
    subs = db.list_submissions()
    db.close()
    uids = [s.uid for s in subs]
    assert 0 < acked_at_kill < STUDENTS * ANSWERS, "the kill was not in the middle of the burst"
    assert len(acked) == STUDENTS * ANSWERS == len(sent)
    assert len(uids) == len(set(uids)), "a submission was recorded twice"
    assert set(uids) == acked, "recorded and acknowledged submissions differ"
    for name in students:  # each part's tries numbered 1..n without a gap or a repeat
        seqs = sorted(s.seq for s in subs if s.student == name)
        assert seqs == list(range(1, ANSWERS + 1)), (name, seqs)
