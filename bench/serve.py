"""Benchmark of ``membranelab serve`` in class mode (issue 23, "Measured"; run on demand, not in
pytest).

    .venv/bin/python bench/serve.py [--students 1000] [--think 5] [--answers 2]
        [--burst-students 100] [--burst-answers 10] [--kill-students 60] [--no-postgresql]

One run measures three servers on this machine, one after the other, with the same roster,
answers and seed (the last two each on a fresh database):

* **the HTTP floor** (``--no-floor`` to leave it out): uvicorn as ``serve`` runs it, answering
  every request with a constant reply (:mod:`floorapp`: no session, grading or database), what
  the machine charges for reading a request and writing a reply alone;
* **baseline**: one uvicorn process (``serve``) on SQLite (WAL) in a temporary directory;
* ``serve --workers 2`` on PostgreSQL: a throwaway server of Debian's package
  (``tests/web/pg.py``: a Unix socket, ``fsync=off``), its processes' CPU read from ``/proc``
  (the postmaster's pid from ``postmaster.pid``, and every process under it: backends,
  checkpointer, writers, with the CPU of those that ended, which their parent's ``cutime``
  keeps).

and on each:

1. **think**: ``--students`` simulated students, signed in, each sending ``--answers`` numeric
   (nernst-potassium E_K) and as many symbolic answers (the Nernst formula, written several
   ways), each after a pause drawn from an exponential distribution of mean ``--think``
   seconds; ``--resend`` of them sent twice with the same id (a double click);
2. **burst**: ``--burst-students`` students sending ``--burst-answers`` answers each, back to
   back (no pause): the requests per second the machine serves;
3. **kill** (``--workers 2`` only): a burst of ``--kill-students`` students during which one
   worker process is killed with SIGKILL; every request that got no answer (its connection
   reset) is sent again with the same id until acknowledged.

After each phase on a database, the database is compared with what the students were told: every acknowledged
submission recorded, exactly once, nothing recorded that was not sent.  Reported per phase:
requests/s, p50 and p99 latency (from the first send to the acknowledgement, retries included)
per kind of answer, the server's CPU per request (its uvicorn processes, and the database
server's processes where there is one) and the load generator's own CPU per request (this
process: :mod:`httpload`, a raw HTTP/1.1 client), then the ratios of the other servers to the
baseline, and per server the think phase's CPU per request over the burst's (what idling
between requests costs).  The same answers graded in-process (``membranelab.bank.grade_part``, one thread) give
the grading's own CPU cost, back to back and after :data:`PAUSE` of idle time before each (and
so does a fixed pure-Python loop, which no cache or program explains): on
a virtual machine the same work costs two to three times the CPU when the core was idle just
before (caches and the core's state after the pause), which is the think phase's case for
nearly every request and the burst's for none.  The load generator and the server share the machine's cores, and the
machine is shared: the load average is printed.  Loopback only; a bounded number of requests.

The students send what a class sends.  Each part's answers, over all phases, are wrong (a
named mistake, a value off, a wrong formula: each graded here first to be sure) until the last,
which is right: a class closes a part once it is answered right, and the page then takes no
more answers to it (the server refuses them, 409).  An answer is posted as the page's script
posts it: the form as ``FormData`` (``multipart/form-data``: the CSRF token, the part, the
submission id, the answer) with the CSRF token also in ``X-CSRF-Token``.  (The answer box's
preview requests, ``/api/preview`` while a student types, are not sent.)  Students sign in with
their personal token as the cookie (what ``/login`` sets) and read their CSRF token from the
problem page (not timed).  The first few kinds of error of a phase are printed with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from httpload import Client, NoReply, multipart_body  # noqa: E402
from proctree import children, connections, tree_cpu_seconds  # noqa: E402

from membranelab.bank import grade_part, load_bank  # noqa: E402
from membranelab.web.db import ClassDB  # noqa: E402
from membranelab.web.security import scoped_uid  # noqa: E402

ASSIGNMENT = "ps1-equilibrium"
PROBLEM = "nernst-potassium"
RIGHT_FORMULAS = ("R*T/(z*F)*ln(c_out/c_in)", "R T/(z F) ln(c_out/c_in)",
                  "RT/(zF)*ln(c_out/c_in)", "R*T/(z*F)*(ln(c_out)-ln(c_in))")
WRONG_FORMULAS = ("R*T/F*ln(c_out/c_in)", "R*T/(z*F)*log10(c_out/c_in)",
                  "(R*T)/(z*F)*ln(c_in/c_out)", "R*T/(z*F)*ln(c_out)")
#: The longest the kill phase waits for a third of its answers before giving up the kill.
KILL_WAIT = 300
_CSRF = b'<meta name="csrf" content="'
#: The label of the HTTP floor's rows.
FLOOR = "floor: uvicorn, no app"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def _merge(first: list, second: list, rng: random.Random) -> list:
    """``first`` and ``second`` interleaved at random, each in its own order."""
    labels = [0] * len(first) + [1] * len(second)
    rng.shuffle(labels)
    sources = (iter(first), iter(second))
    return [next(sources[label]) for label in labels]


def _part_answers(problem, variant, part_id: str, n: int, rng: random.Random) -> list[str]:
    """``n`` answers to one part as a student sends them: wrong ones (named mistakes, values
    off, wrong formulas), then a right one.  A class closes a part once it is answered right
    (the scoring policy), and the page then takes no further answer to it, so a right answer is
    always a part's last.  Each answer is graded here to be sure it is what it is meant to be."""
    part = problem.part(part_id)
    if part_id == "E_K":
        right = variant.answers()["E_K"].value
        mistakes = list(variant.mistake_values("E_K").values())

        def wrong(i: int) -> str:
            if i % 2 == 0:
                return f"{mistakes[rng.randrange(len(mistakes))]:.1f} mV"
            return f"{right * rng.choice((rng.uniform(0.5, 0.8), rng.uniform(1.2, 1.5))):.1f} mV"

        def correct() -> str:
            return rng.choice((f"{right:.1f} mV", f"{right / 1000:.4f} V"))
    else:
        def wrong(i: int) -> str:
            return rng.choice(WRONG_FORMULAS)

        def correct() -> str:
            return rng.choice(RIGHT_FORMULAS)

    out = []
    for i in range(n):
        last = i == n - 1
        for _ in range(20):
            text = correct() if last else wrong(i)
            if grade_part(problem, variant, part, text).correct == last:
                break
        else:
            raise RuntimeError(f"no {'right' if last else 'wrong'} answer to {part_id} "
                               f"for {variant}")
        out.append((part_id, text))
    return out


def _answers(bank, students: list[str], think: int, later: dict[str, int],
             rng: random.Random) -> tuple[dict, dict]:
    """(think phase, later phase) plans: per student, (part, answer) pairs, ``think`` numeric
    (E_K) and as many symbolic (the formula) in the think phase, and ``later[student]``
    answers in a burst after it (half numeric, half symbolic); each part's answers wrong but
    the last of all its phases."""
    problem = bank.problems[PROBLEM]
    think_plan, later_plan = {}, {}
    for student in students:
        variant = problem.variant(student=student, assignment=ASSIGNMENT)
        more = later.get(student, 0)
        counts = {"E_K": (more + 1) // 2, "formula": more // 2}
        first, second = [], []
        for part_id, extra in counts.items():
            items = _part_answers(problem, variant, part_id, think + extra, rng)
            first.append(items[:think])
            second.append(items[think:])
        think_plan[student] = _merge(*first, rng)
        later_plan[student] = _merge(*second, rng)
    return think_plan, later_plan


#: Idle time before each answer of the in-process measure "after a pause" (the think phase's
#: server is idle between most answers).
PAUSE = 0.01


def _in_process(bank, plan, *, pause: float = 0.0, most: int | None = None
                ) -> dict[str, list[float]]:
    """CPU seconds of this thread per answer of grade_part, by kind (``pause``: idle seconds
    before each; ``most``: at most this many answers)."""
    problem = bank.problems[PROBLEM]
    times: dict[str, list[float]] = {"numeric": [], "symbolic": []}
    items = [(student, part_id, answer) for student, answers in plan.items()
             for part_id, answer in answers][:most]
    for student, part_id, answer in items:
        variant = problem.variant(student=student, assignment=ASSIGNMENT)
        if pause:
            time.sleep(pause)
        start = time.thread_time()
        grade_part(problem, variant, problem.part(part_id), answer)
        times["numeric" if part_id == "E_K" else "symbolic"].append(time.thread_time() - start)
    return times


def _loop_work(n: int = 2000) -> int:
    """A fixed piece of pure Python with a tiny working set (no allocation, no I/O)."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def _loop_cpu(*, pause: float = 0.0, times: int = 300) -> float:
    """Median CPU seconds of :func:`_loop_work`, back to back or after ``pause`` idle seconds:
    what the machine charges the same instructions after idling, whatever the program."""
    spent = []
    for _ in range(times):
        if pause:
            time.sleep(pause)
        start = time.thread_time()
        _loop_work()
        spent.append(time.thread_time() - start)
    return statistics.median(spent)


@dataclass
class Outcome:
    """What the simulated students saw in one phase."""

    times: dict[str, list[float]] = field(default_factory=lambda: {"numeric": [],
                                                                   "symbolic": []})
    acked: set[str] = field(default_factory=set)  # stored ids the server acknowledged
    sent: set[str] = field(default_factory=set)  # stored ids of every submission sent
    requests: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0


class Server:
    """A running ``membranelab serve --class`` process."""

    def __init__(self, work: Path, roster: Path, db_url: str | None, workers: int,
                 tries: int) -> None:
        self.port = _free_port()
        command = ([sys.executable, str(Path(__file__).with_name("floorapp.py")), str(self.port)]
                   if db_url is None else  # the HTTP floor: uvicorn with a constant reply
                   [sys.executable, "-m", "membranelab", "serve", "--class", str(roster),
                    "--assignment", ASSIGNMENT, "--db", db_url, "--tries", str(tries),
                    "--port", str(self.port), "--workers", str(workers), "--no-browser"])
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL, stderr=(work / f"server-{self.port}.log").open("w"),
            env={**os.environ, "MEMBRANELAB_DATA_DIR": str(work)})
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/static/style.css",
                                            timeout=2):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start (see {work})") from None
                time.sleep(0.2)
        if workers > 1:  # every worker up (each builds its app after the port answers)
            while len(self.workers()) < workers and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(3)

    def workers(self) -> list[int]:
        """The worker processes (uvicorn's supervisor's children that are not helpers)."""
        found = []
        for pid in children(self.proc.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmdline:
                found.append(pid)
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def _sign_in(port: int, tokens: dict[str, str]) -> dict[str, tuple[Client, str]]:
    """Each student's client (their token as the cookie) and CSRF token, 50 at a time."""
    limit = asyncio.Semaphore(50)

    async def one(student: str) -> tuple[str, tuple[Client, str]]:
        async with limit:
            client = Client("127.0.0.1", port, cookie=f"membranelab_token={tokens[student]}")
            page = await client.request("GET", f"/p/{PROBLEM}")
            start = page.body.index(_CSRF) + len(_CSRF)
            csrf = page.body[start:page.body.index(b'"', start)].decode()
            client.close()
            return student, (client, csrf)

    return dict(await asyncio.gather(*(one(s) for s in tokens)))


async def _student(student: str, client: Client, csrf: str, items, *, think: float,
                   resend: float, rng: random.Random, out: Outcome) -> None:
    headers = {"Accept": "application/json", "X-CSRF-Token": csrf}
    for part_id, answer in items:
        if think:
            await asyncio.sleep(rng.expovariate(1 / think))
        uid = os.urandom(12).hex()
        stored = scoped_uid(student, uid)  # as the server stores it
        out.sent.add(stored)
        # the page's form as its script sends it: FormData (multipart), the CSRF token in
        # a hidden field and in the header
        content_type, body = multipart_body({"csrf": csrf, "part": part_id, "uid": uid,
                                             "answer": answer})
        kind = "numeric" if part_id == "E_K" else "symbolic"
        for copy in range(2 if rng.random() < resend else 1):
            start = time.perf_counter()
            for attempt in range(60):  # no reply, or 503: the same id again (recorded once)
                out.requests += 1
                try:
                    reply = await client.request("POST", f"/p/{PROBLEM}/answer", body=body,
                                                 headers=headers, content_type=content_type)
                except NoReply as exc:
                    reply, why = None, str(exc)
                if reply is not None and reply.status == 200:
                    if copy == 0:
                        out.times[kind].append(time.perf_counter() - start)
                    out.acked.add(stored)
                    break
                if reply is not None and reply.status != 503:
                    out.errors.append(f"{reply.status} {reply.text[:120]}")
                    break
                out.retries += 1
                if attempt == 59:
                    out.errors.append(f"no reply after 60 attempts: {why if reply is None else 503}")
                await asyncio.sleep(0.2)
    client.close()


async def _phase(clients: dict[str, tuple[Client, str]], plan, *, think: float, resend: float,
                 seed: int, during=None) -> Outcome:
    out = Outcome()
    rng = random.Random(seed)
    cpu, start = time.process_time(), time.perf_counter()
    tasks = [asyncio.ensure_future(_student(s, c, csrf, plan[s], think=think, resend=resend,
                                            rng=random.Random(rng.random()), out=out))
             for s, (c, csrf) in clients.items()]
    if during is not None:
        await during(out)
    await asyncio.gather(*tasks)
    out.seconds = time.perf_counter() - start
    out.client_cpu = time.process_time() - cpu
    return out


@dataclass
class Row:
    """One line of the results table."""

    server: str
    phase: str
    outcome: Outcome
    server_cpu: float
    db_cpu: float
    recorded: int | None  # None: the HTTP floor (nothing recorded)
    lost: int | None
    duplicates: int | None
    strangers: int | None

    @property
    def rate(self) -> float:
        return len(self.outcome.acked) / self.outcome.seconds

    def ms(self, seconds: float) -> float:
        return 1000 * seconds / max(1, self.outcome.requests)


def _check(db_url: str, out: Outcome, before: set[str]) -> tuple[int, int, int, int]:
    """(recorded, lost, recorded twice, recorded but never sent) of a phase's submissions."""
    db = ClassDB(db_url)
    try:
        uids = [s.uid for s in db.list_submissions()]
    finally:
        db.close()
    mine = [u for u in uids if u not in before]
    recorded = set(mine)
    return (len(mine), len(out.acked - recorded), len(mine) - len(recorded),
            len(recorded - out.sent))


def _run_phase(name: str, label: str, server: Server, db_url: str | None, db_pid: int | None,
               clients, plan, args, *, think: float, during=None) -> Row:
    before: set[str] = set()
    if db_url is not None:
        db = ClassDB(db_url)
        before = {s.uid for s in db.list_submissions()}
        db.close()
    cpu0 = tree_cpu_seconds(server.proc.pid)
    db0 = tree_cpu_seconds(db_pid) if db_pid else 0.0
    out = asyncio.run(_phase(clients, plan, think=think, resend=args.resend, seed=args.seed,
                             during=during))
    server_cpu = tree_cpu_seconds(server.proc.pid) - cpu0
    db_cpu = (tree_cpu_seconds(db_pid) - db0) if db_pid else 0.0
    checked = _check(db_url, out, before) if db_url is not None else (None,) * 4
    row = Row(label, name, out, server_cpu, db_cpu, *checked)
    print(f"  {name}: {len(out.acked)} acknowledged, {out.requests} requests, "
          f"{out.seconds:.1f} s, errors {len(out.errors)}, retries {out.retries}", flush=True)
    for error in list(dict.fromkeys(out.errors))[:3]:  # the first few kinds
        print(f"    error: {error}", flush=True)
    return row


def _subset(clients, plan, n: int, offset: int):
    names = list(clients)[offset:offset + n]
    return {s: clients[s] for s in names}, {s: plan[s] for s in names}


def _measure(label: str, work: Path, roster: Path, tokens_for, db_url: str | None,
             db_pid: int | None, workers: int, think_plan, plan, args) -> list[Row]:
    """Every phase against one server (``db_url`` None: the HTTP floor, :mod:`floorapp`)."""
    tokens = tokens_for(db_url)
    tries = 10 * (2 * args.answers + args.burst_answers)
    server = Server(work, roster, db_url, workers, tries)
    rows = []
    try:
        print(f"{label}: signing in {len(tokens)} students", flush=True)
        clients = asyncio.run(_sign_in(server.port, tokens))
        rows.append(_run_phase("think", label, server, db_url, db_pid, clients, think_plan,
                               args, think=args.think))
        burst_clients, burst_plan = _subset(clients, plan, args.burst_students, 0)
        rows.append(_run_phase("burst", label, server, db_url, db_pid, burst_clients,
                               burst_plan, args, think=0.0))
        if workers > 1:
            kill_clients, kill_plan = _subset(clients, plan, args.kill_students,
                                              args.burst_students)

            async def kill_one(out: Outcome) -> None:
                total = sum(len(v) for v in kill_plan.values())
                give_up = time.monotonic() + KILL_WAIT
                # a third answered (a refusal is an answer too: waiting for acknowledgements
                # alone waited forever when the server refused)
                while len(out.acked) + len(out.errors) < total // 3:
                    if time.monotonic() > give_up:
                        out.errors.append(f"no worker killed: {len(out.acked)} of {total} "
                                          f"acknowledged after {KILL_WAIT} s")
                        return
                    await asyncio.sleep(0.01)
                held = {pid: connections(pid, server.port) for pid in server.workers()}
                victim = max(held, key=held.__getitem__)  # the busier worker
                os.kill(victim, signal.SIGKILL)
                print(f"  killed worker {victim} (holding {held[victim]} of "
                      f"{sum(held.values())} connections) after {len(out.acked)} of {total} "
                      "acknowledged", flush=True)

            rows.append(_run_phase("kill -9", label, server, db_url, db_pid, kill_clients,
                                   kill_plan, args, think=0.0, during=kill_one))
    finally:
        server.stop()
    return rows


@contextlib.contextmanager
def _postgresql() -> Iterator[tuple[str, int]]:
    """(database URL, postmaster pid) of a throwaway PostgreSQL server."""
    from tests.web.pg import new_database, postgres_server

    with postgres_server() as where:
        url = new_database(where, "bench_serve")
        pid = int((Path(where[0]) / "data" / "postmaster.pid").read_text().split()[0])
        yield url, pid


def _count(n: int | None) -> str:
    return "-" if n is None else str(n)


def _table(rows: list[Row], baseline: dict[str, Row], inproc, paused) -> None:
    head = (f"{'server':<26} {'phase':<8} {'acked':>6} {'req/s':>7} {'num p50':>8} "
            f"{'num p99':>8} {'sym p50':>8} {'sym p99':>8} {'srv ms':>7} {'db ms':>6} "
            f"{'total':>6} {'loadgen':>7} {'lost':>4} {'dup':>4} {'x req/s':>8} "
            f"{'x CPU':>6}")
    print(head)
    for r in rows:
        t = r.outcome.times
        base = baseline.get(r.phase)
        total = r.ms(r.server_cpu + r.db_cpu)
        ratio_rate = f"{r.rate / base.rate:.2f}" if base else "-"
        ratio_cpu = f"{total / base.ms(base.server_cpu + base.db_cpu):.2f}" if base else "-"
        print(f"{r.server:<26} {r.phase:<8} {len(r.outcome.acked):>6} {r.rate:>7.1f} "
              f"{1000 * statistics.median(t['numeric']):>8.1f} "
              f"{1000 * _percentile(t['numeric'], 99):>8.1f} "
              f"{1000 * statistics.median(t['symbolic']):>8.1f} "
              f"{1000 * _percentile(t['symbolic'], 99):>8.1f} "
              f"{r.ms(r.server_cpu):>7.2f} {r.ms(r.db_cpu):>6.2f} {total:>6.2f} "
              f"{r.ms(r.outcome.client_cpu):>7.2f} {_count(r.lost):>4} "
              f"{_count(r.duplicates):>4} "
              f"{ratio_rate:>8} {ratio_cpu:>6}")
    by_server: dict[str, dict[str, Row]] = {}
    for r in rows:
        by_server.setdefault(r.server, {})[r.phase] = r
    for server, phases in by_server.items():  # the cost of idling between requests
        if "think" in phases and "burst" in phases:
            think, burst = phases["think"], phases["burst"]
            print(f"{server}: a think-phase request costs "
                  f"{think.ms(think.server_cpu + think.db_cpu) / burst.ms(burst.server_cpu + burst.db_cpu):.2f}"
                  " x the CPU of a back-to-back one")
    for kind in ("numeric", "symbolic"):
        print(f"in-process grade_part, {kind}: CPU p50 {1000 * statistics.median(inproc[kind]):.3f}"
              f" ms, p99 {1000 * _percentile(inproc[kind], 99):.3f} ms back to back; p50 "
              f"{1000 * statistics.median(paused[kind]):.3f} ms after {1000 * PAUSE:g} ms idle")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds a student thinks before each answer (exponential)")
    parser.add_argument("--answers", type=int, default=2,
                        help="answers per kind per student in the think phase")
    parser.add_argument("--burst-students", type=int, default=100)
    parser.add_argument("--burst-answers", type=int, default=10)
    parser.add_argument("--kill-students", type=int, default=60)
    parser.add_argument("--resend", type=float, default=0.05,
                        help="share of submissions sent twice with the same id")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-postgresql", action="store_true",
                        help="only the baseline (SQLite, one process)")
    parser.add_argument("--no-floor", action="store_true",
                        help="without the HTTP floor (uvicorn with a constant reply)")
    parser.add_argument("--json", metavar="FILE", default=None, help="also write the rows here")
    args = parser.parse_args()
    if args.burst_students + args.kill_students > args.students:
        parser.error("--burst-students + --kill-students must not exceed --students")
    command = " ".join(["bench/serve.py", *sys.argv[1:]])
    rng = random.Random(args.seed)
    bank = load_bank()
    students = [f"s{i:04d}" for i in range(args.students)]
    # the burst's students, then the kill phase's, answer again after the think phase
    think_plan, plan = _answers(
        bank, students, args.answers,
        dict.fromkeys(students[:args.burst_students + args.kill_students], args.burst_answers),
        rng)
    work = Path(tempfile.mkdtemp(prefix="membranelab-bench-serve-"))
    roster = work / "roster.csv"
    roster.write_text("student\n" + "\n".join(students) + "\n", encoding="utf-8")

    def tokens_for(db_url: str) -> dict[str, str]:
        out = work / "tokens.csv"
        subprocess.run([sys.executable, "-m", "membranelab", "serve", "tokens", str(roster),
                        "-o", str(out), "--db", db_url], check=True, capture_output=True,
                       timeout=600)
        return {r["student"]: r["token"] for r in csv.DictReader(out.open(encoding="utf-8"))
                if r["role"] == "student"}

    load = os.getloadavg()
    inproc = _in_process(bank, think_plan)
    paused = _in_process(bank, think_plan, pause=PAUSE, most=400)
    loop = (_loop_cpu(), _loop_cpu(pause=PAUSE))

    def measure(label: str, db_url: str, db_pid: int | None, workers: int) -> list[Row]:
        return _measure(label, work, roster, tokens_for, db_url, db_pid, workers, think_plan,
                        plan, args)

    try:
        rows = [] if args.no_floor else _measure(
            FLOOR, work, roster, lambda _url: dict.fromkeys(students, "floor"), None, None, 1,
            think_plan, plan, args)
        rows += measure("baseline: sqlite, 1 process", f"sqlite:///{work / 'class.db'}", None, 1)
        if not args.no_postgresql:
            with _postgresql() as (url, pid):
                rows += measure("postgresql, --workers 2", url, pid, 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the roster, tokens and database
    baseline = {r.phase: r for r in rows if r.server.startswith("baseline")}
    print()
    print(f"$ {command}")
    print(f"{args.students} students (think {args.think:g} s, {2 * args.answers} answers each, "
          f"{args.resend:.0%} sent twice), bursts of {args.burst_students} and "
          f"{args.kill_students} students x {args.burst_answers} answers back to back; "
          f"{os.cpu_count()} cores; load average {load[0]:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end")
    print("CPU per request (ms): srv = the uvicorn processes, db = the PostgreSQL server's "
          "processes, total = both, loadgen = the simulated students (this process); "
          "x = ratio to the baseline's same phase")
    _table(rows, baseline, inproc, paused)
    print(f"a fixed pure-Python loop (2,000 multiply-adds): CPU p50 {1e6 * loop[0]:.0f} us back "
          f"to back; {1e6 * loop[1]:.0f} us after {1000 * PAUSE:g} ms idle")
    bad = [r for r in rows if r.lost or r.duplicates or r.strangers or r.outcome.errors]
    for r in bad:
        print(f"{r.server} {r.phase}: lost {r.lost}, twice {r.duplicates}, never sent "
              f"{r.strangers}, errors {r.outcome.errors[:3]}")
    if args.json:
        Path(args.json).write_text(json.dumps([{
            "server": r.server, "phase": r.phase, "acked": len(r.outcome.acked),
            "requests": r.outcome.requests, "retries": r.outcome.retries,
            "seconds": round(r.outcome.seconds, 3), "per_s": round(r.rate, 1),
            **{f"{k}_p{q}_ms": round(1000 * (statistics.median(v) if q == 50
                                              else _percentile(v, 99)), 2)
               for k, v in r.outcome.times.items() for q in (50, 99)},
            "server_cpu_ms": round(r.ms(r.server_cpu), 3), "db_cpu_ms": round(r.ms(r.db_cpu), 3),
            "loadgen_cpu_ms": round(r.ms(r.outcome.client_cpu), 3), "lost": r.lost,
            "duplicates": r.duplicates, "errors": len(r.outcome.errors)} for r in rows],
            indent=1))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
