"""Benchmark of ``membranelab serve`` in class mode (run on demand, not in pytest).

    .venv/bin/python bench/serve.py [--students 200] [--answers 5] [--resend 0.05]
        [--workers N] [--db URL --db-pid PID]

Starts a real class-mode server (uvicorn, one process, SQLite in WAL mode) on 127.0.0.1 with a
roster of simulated students, each signed in with their own token; then every student, all at
once (``--think``: with a random pause before each answer), submits ``--answers`` numeric answers (nernst-potassium E_K) and as many symbolic ones
(the Nernst formula, typed in several ways, right and wrong), a bounded loop of requests to
127.0.0.1 only.  A share ``--resend`` of the requests is sent twice with the same id (a double
click, a retry).  Prints requests/s and p50/p99 latency per kind of part, against the same answers
graded in-process (``membranelab.bank.grade_part``, one thread) in the same run, and checks that
no request was lost and no submission recorded twice.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

from membranelab.bank import grade_part, load_bank
from membranelab.web.db import ClassDB
from membranelab.web.security import scoped_uid

ASSIGNMENT = "ps1-equilibrium"
PROBLEM = "nernst-potassium"
FORMULAS = ("R*T/(z*F)*ln(c_out/c_in)", "R T/(z F) ln(c_out/c_in)", "R*T/F*ln(c_out/c_in)",
            "R*T/(z*F)*log10(c_out/c_in)", "(R*T)/(z*F)*ln(c_in/c_out)",
            "RT/(zF)*ln(c_out/c_in)", "R*T/(z*F)*(ln(c_out)-ln(c_in))")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def _answers(bank, students: list[str], per_kind: int, rng: random.Random):
    """Per student: (part, answer) pairs, numeric right/mistaken/off and symbolic variants."""
    problem = bank.problems[PROBLEM]
    plan = {}
    for student in students:
        variant = problem.variant(student=student, assignment=ASSIGNMENT)
        right = variant.answers()["E_K"].value
        mistakes = list(variant.mistake_values("E_K").values())
        numeric = []
        for i in range(per_kind):
            value = (right if i % 3 == 0 else mistakes[i % len(mistakes)] if i % 3 == 1
                     else right * rng.uniform(0.5, 1.5))
            numeric.append(("E_K", f"{value:.1f} mV"))
        symbolic = [("formula", rng.choice(FORMULAS)) for _ in range(per_kind)]
        plan[student] = numeric + symbolic
    return plan


def _in_process(bank, plan) -> dict[str, list[float]]:
    """Seconds per answer of grade_part, by kind, on this thread."""
    problem = bank.problems[PROBLEM]
    times: dict[str, list[float]] = {"numeric": [], "symbolic": []}
    for student, items in plan.items():
        variant = problem.variant(student=student, assignment=ASSIGNMENT)
        for part_id, answer in items:
            start = time.perf_counter()
            grade_part(problem, variant, problem.part(part_id), answer)
            times["numeric" if part_id == "E_K" else "symbolic"].append(
                time.perf_counter() - start)
    return times


async def _student(url: str, student: str, token: str, items, resend: float, think: float, rng: random.Random,
                   out: dict):
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        confirm = await client.get(f"/login?token={token}")  # the link asks; its form signs in
        fields = dict(re.findall(r'<input type="hidden" name="(csrf|token)" value="([^"]*)">',
                                 confirm.text))
        await client.post("/login", data=fields)
        page = await client.get(f"/p/{PROBLEM}")
        csrf = re.search(r'<meta name="csrf" content="([0-9a-f]+)">', page.text).group(1)
        for part_id, answer in items:
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))
            uid = os.urandom(12).hex()
            sends = 2 if rng.random() < resend else 1
            for _ in range(sends):
                start = time.perf_counter()
                reply = await client.post(
                    f"/p/{PROBLEM}/answer", headers={"Accept": "application/json",
                                                     "X-CSRF-Token": csrf},
                    data={"part": part_id, "answer": answer, "uid": uid})
                elapsed = time.perf_counter() - start
                kind = "numeric" if part_id == "E_K" else "symbolic"
                if reply.status_code == 200:
                    out[kind].append(elapsed)
                    out["uids"].add(scoped_uid(student, uid))  # as the server stores it
                else:
                    out["errors"].append((reply.status_code, reply.text[:200]))
            out["sent"] += sends


async def _run_clients(url: str, tokens: dict[str, str], plan, resend: float, think: float,
                       seed: int):
    out = {"numeric": [], "symbolic": [], "uids": set(), "errors": [], "sent": 0}
    rng = random.Random(seed)
    start = time.perf_counter()
    await asyncio.gather(*(_student(url, s, tokens[s], plan[s], resend, think,
                                    random.Random(rng.random()), out) for s in plan))
    out["seconds"] = time.perf_counter() - start
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process and its live descendants (the workers of
    ``serve --workers N``, a database server's backends; Linux /proc), NaN elsewhere."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12]))
                                  / os.sysconf("SC_CLK_TCK"))
    if pid not in stats:
        return float("nan")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats[current][1]
        todo.extend(p for p, (parent, _) in stats.items() if parent == current)
    return total


def _line(name: str, times: list[float], seconds: float | None = None) -> str:
    rate = len(times) / seconds if seconds else len(times) / sum(times)
    return (f"{name:<28} {len(times):>6} {rate:>9.1f} {1000 * statistics.median(times):>9.2f} "
            f"{1000 * _percentile(times, 99):>9.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--answers", type=int, default=5, help="answers per kind per student")
    parser.add_argument("--resend", type=float, default=0.05,
                        help="share of requests sent twice with the same id")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a student thinks before each answer (exponential; "
                             "default 0: everyone submits back to back, the server saturated)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="serve --workers N")
    parser.add_argument("--db", default=None,
                        help="the class database URL (an empty database; default: SQLite in a "
                             "temporary directory)")
    parser.add_argument("--db-pid", type=int, default=None,
                        help="a database server's process id: its CPU (and its backends') is "
                             "counted with the server's")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bank = load_bank()
    students = [f"s{i:03d}" for i in range(args.students)]
    plan = _answers(bank, students, args.answers, rng)
    work = Path(tempfile.mkdtemp(prefix="membranelab-bench-serve-"))
    roster = work / "roster.csv"
    roster.write_text("student\n" + "\n".join(students) + "\n", encoding="utf-8")
    db_url = args.db or f"sqlite:///{work / 'class.db'}"
    subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster), "-o",
                    str(work / "tokens.csv"), "--db", db_url], check=True, capture_output=True)
    tokens = {r["student"]: r["token"] for r in csv.DictReader(
        (work / "tokens.csv").open(encoding="utf-8")) if r["role"] == "student"}
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "membranelab", "serve", "--class", str(roster), "--assignment",
         ASSIGNMENT, "--db", db_url, "--tries", str(10 * args.answers), "--port", str(port),
         "--workers", str(args.workers), "--no-browser"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/static/style.css", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        baseline = _in_process(bank, plan)
        def server_seconds() -> float:
            db_cpu = _cpu_seconds(args.db_pid) if args.db_pid else 0.0
            return _cpu_seconds(server.pid) + db_cpu

        cpu_before = server_seconds()
        client_cpu = time.process_time()
        result = asyncio.run(_run_clients(url, tokens, plan, args.resend, args.think, args.seed))
        server_cpu = server_seconds()
    finally:
        server.terminate()
        server.wait(timeout=30)
    db = ClassDB(db_url)
    subs = db.list_submissions()
    db.close()
    expected = sum(len(items) for items in plan.values())
    recorded_uids = [s.uid for s in subs]
    lost = expected - len(result["uids"])
    duplicates = len(recorded_uids) - len(set(recorded_uids))
    unmatched = len(set(recorded_uids) ^ result["uids"])
    print(f"{args.students} students, {expected} submissions ({result['sent']} requests with "
          f"resends), think time {args.think:g} s, {os.cpu_count()} cores (load average "
          f"{os.getloadavg()[0]:.1f}), server: {args.workers} uvicorn process(es), "
          f"{db_url.split(':', 1)[0]}{' (its CPU counted)' if args.db_pid else ''}")
    print(f"{'':<28} {'n':>6} {'per s':>9} {'p50 ms':>9} {'p99 ms':>9}")
    print(_line("server numeric (E_K)", result["numeric"], result["seconds"]))
    print(_line("server symbolic (formula)", result["symbolic"], result["seconds"]))
    print(_line("in-process numeric", baseline["numeric"]))
    print(_line("in-process symbolic", baseline["symbolic"]))
    all_requests = result["numeric"] + result["symbolic"]
    server_ms = 1000 * (server_cpu - cpu_before) / max(1, result["sent"])
    client_ms = 1000 * (time.process_time() - client_cpu) / max(1, result["sent"])
    print(f"server overall: {len(all_requests) / result['seconds']:.1f} requests/s over "
          f"{result['seconds']:.1f} s; CPU per request: server {server_ms:.2f} ms, "
          f"simulated students {client_ms:.2f} ms")
    for kind in ("numeric", "symbolic"):
        ratio = statistics.median(result[kind]) / statistics.median(baseline[kind])
        print(f"p50 ratio server/in-process, {kind}: {ratio:.1f}")
    print(f"errors: {len(result['errors'])}; lost: {lost}; recorded: {len(subs)} of {expected}; "
          f"duplicates: {duplicates}; recorded ids not acknowledged: {unmatched}")
    summary = {"students": args.students, "submissions": expected, "requests": result["sent"],
               "seconds": round(result["seconds"], 2),
               "server_cpu_ms_per_request": round(server_ms, 2), "errors": len(result["errors"]),
               "lost": lost, "duplicates": duplicates, "recorded": len(subs),
               **{f"server_{k}_p50_ms": round(1000 * statistics.median(result[k]), 2)
                  for k in ("numeric", "symbolic")},
               **{f"server_{k}_p99_ms": round(1000 * _percentile(result[k], 99), 2)
                  for k in ("numeric", "symbolic")},
               **{f"inprocess_{k}_p50_ms": round(1000 * statistics.median(baseline[k]), 3)
                  for k in ("numeric", "symbolic")}}
    print(json.dumps(summary))
    if result["errors"]:
        print("first errors:", result["errors"][:3])
    ok = not result["errors"] and lost == 0 and duplicates == 0 and len(subs) == expected
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
