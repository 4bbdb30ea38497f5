"""Helpers for the end-to-end tests: a real `membranelab serve` process and headless Chromium.

Chromium is Debian's (/usr/bin/chromium; `.ci/run` installs it), driven by Playwright for Python
(never `playwright install`: no browser download)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
#: How long a page action may wait (a hang detector, not a speed check): a page waits for
#: MathJax, the server and the grader, which on a busy 2-core machine running the slow tier
#: beside it took more than 30 s once (test_self_study_pages[zh] failed so in a full run).
PAGE_TIMEOUT_MS = 120_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(args: list[str], env: dict[str, str], cwd: Path | None = None) -> Iterator[str]:
    """Run `membranelab serve ARGS --no-browser` on a free port until the block ends."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "membranelab", "serve", *args, "--no-browser",
                             "--port", str(port)], env={**os.environ, **env}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/static/style.css", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    output = proc.stdout.read() if proc.stdout else ""
                    raise RuntimeError(f"server did not start: {output}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


#: axe-core, vendored from the npm registry (tests/web/vendor/README.md).
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
#: The impacts a page must have no violation of.
BLOCKING_IMPACTS = ("serious", "critical")


def sign_in(page, url: str, token: str) -> None:
    """Follow a personal sign-in link and press its "Sign in as ..." button."""
    page.goto(f"{url}/login?token={token}")
    with page.expect_navigation():
        page.click("#confirm-sign-in")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[str]:
    """axe-core's violations of ``impacts`` on the page as it is now, one line each (rule, impact,
    the first offending elements).  axe is evaluated through the DevTools protocol, which the
    pages' Content-Security-Policy does not govern, so the pages are tested as served."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}"
            for v in found if v["impact"] in impacts]
