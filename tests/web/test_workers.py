"""``membranelab serve --workers 2`` (issue 23): two uvicorn processes serve one class from one
database (SQLite, PostgreSQL); requests spread over both; every submission recorded once,
the try limit held across processes."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from membranelab.web.db import ClassDB

from .browser import server

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _signed_in(url: str, token: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get(f"/login?token={token}")
    fields = dict(re.findall(r'<input type="hidden" name="(csrf|token)" value="([^"]*)">',
                             page.text))
    assert client.post("/login", data=fields).status_code == 303
    problem = client.get("/p/nernst-potassium").text
    return client, re.search(r'<meta name="csrf" content="([0-9a-f]+)">', problem).group(1)


def test_two_workers_share_the_class(tmp_path, class_db_url):
    """Eight concurrent answers by each of two students (3 tries each), half of them re-sent:
    each student has exactly 3 recorded tries, none twice; two worker processes served."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\nbob,Bob\n", encoding="utf-8")
    db_url = class_db_url  # SQLite, and a real PostgreSQL server
    tokens_file = tmp_path / "tokens.csv"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                    "-o", str(tokens_file), "--db", db_url], check=True, capture_output=True)
    tokens = {r["student"]: r["token"] for r in csv.DictReader(tokens_file.open())
              if r["role"] == "student"}
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db_url,
            "--tries", "3", "--workers", "2"]
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path)}) as url:
        clients = {s: _signed_in(url, tokens[s]) for s in ("alice", "bob")}

        def send(job: tuple[str, int]) -> int:
            student, n = job
            client, csrf = clients[student]
            data = {"part": "E_K", "answer": f"-{50 + n // 2} mV", "uid": f"u-{student}-{n // 2:04d}"}
            reply = client.post("/p/nernst-potassium/answer", data=data,
                                headers={"Accept": "application/json", "X-CSRF-Token": csrf})
            return reply.status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(send, [(s, n) for s in ("alice", "bob") for n in range(16)]))
        port = int(url.rsplit(":", 1)[1])
        parents = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                   and f"--port\x00{port}".encode() in _cmdline(p)]
        workers = [c for p in parents for c in _children(p)]
    assert set(codes) <= {200, 409} and codes.count(200) >= 6
    subs = ClassDB(db_url).list_submissions()
    for student in ("alice", "bob"):
        mine = [s for s in subs if s.student == student]
        assert len(mine) == 3 and len({s.uid for s in mine}) == 3
    assert len(workers) >= 2, workers


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""
