"""Fixtures and tiers for every test.

* The incident log goes to a temporary file, never the user's.
* **Tiers.** A test is ``slow`` when it starts another process (a subprocess, a terminal
  session, a browser, nbgrader, a server): found by reading its source and that of the
  helpers and fixtures it uses (:func:`_spawns`), or marked by hand (large sweeps).
  ``pytest -m "not slow"`` is the quick tier for a change; ``.ci/run`` runs both.
* **What a test needs from the machine.** ``@pytest.mark.chromium`` (Debian's
  ``/usr/bin/chromium``), ``@pytest.mark.cjk_font`` (Noto CJK for Chinese figures and pages),
  ``@pytest.mark.postgres`` (a PostgreSQL server to start; every test using the ``postgres``
  fixture has it):
  such a test is skipped, with the reason, where the machine lacks it; with
  ``MEMBRANELAB_TESTS_STRICT=1`` (set by ``.ci/run``) it runs anyway and fails, so CI never
  skips it.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import shutil
import signal
import subprocess

import pytest

#: Set by .ci/run: a test whose requirement is missing fails instead of being skipped.
STRICT_VAR = "MEMBRANELAB_TESTS_STRICT"

#: What starts another process: directly, or through the package's own worker pools (the
#: batch grader, ``course grade``, ``check -j``, ``regrade``) or nbgrader's commands, whether
#: called as functions or through the command line's ``main`` in this process.
_SPAWN = re.compile(r"\bsubprocess\.(?:run|Popen|check_output|check_call|call)\b|"
                    r"\bpexpect\.spawn\b|\bsync_playwright\b|\bPopen\(|\bserver\(\[|"
                    r"\b(?:WorkerPool|grade_file|run_groups|grade_assignment|check_bank)\(|"
                    r"\.Pool\(|"
                    r"\bmain\(\s*\[[^\]]*?[\"'](?:grade|regrade|check|course|demo)[\"']|"
                    r"\brun\(\s*[\"'](?:grade|regrade|check|course|demo)[\"']")


@functools.cache
def _chromium() -> bool:
    return os.access("/usr/bin/chromium", os.X_OK)


@functools.cache
def _cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    return "Noto Sans CJK" in listed or "Noto Serif CJK" in listed


@functools.cache
def _postgres() -> bool:
    import glob
    import importlib.util
    import pwd

    if importlib.util.find_spec("psycopg") is None:
        return False
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return False
    if os.geteuid() == 0:  # the server will not run as root: it runs as the postgres user
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
    return True


#: marker -> (is it on this machine?, what to install)
REQUIREMENTS = {
    "postgres": (_postgres, "no PostgreSQL server to start (Debian's postgresql package and "
                            "psycopg; .ci/run installs them)"),
    "chromium": (_chromium, "Debian's chromium (/usr/bin/chromium) is not installed: "
                            "apt-get install chromium (.ci/run does)"),
    "cjk_font": (_cjk_font, "no Noto CJK font: apt-get install fonts-noto-cjk (.ci/run does)"),
}


_TESTS = os.path.dirname(os.path.abspath(__file__))
_spawners: dict[object, bool] = {}


def _source(func) -> str:
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return ""


def _is_spawner(func) -> bool:
    """Whether ``func`` (a test, fixture or test helper) starts a process: its source does, or
    it calls a helper of the tests (resolved through its own globals) that does."""
    if func in _spawners:
        return _spawners[func]
    _spawners[func] = False  # a recursion in progress counts as not spawning
    text = _source(func)
    found = bool(_SPAWN.search(text))
    if not found:
        names = getattr(func, "__globals__", {})
        called = [names.get(name) for name in set(re.findall(r"(?<![.\w])([A-Za-z_]\w*)\(", text))]
        for owner, name in set(re.findall(r"\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\(", text)):
            module = names.get(owner)
            if inspect.ismodule(module):  # sub.nbgrader(...): a helper module of the tests
                called.append(getattr(module, name, None))
        for target in called:
            if (inspect.isfunction(target) and target is not func
                    and target.__code__.co_filename.startswith(_TESTS)
                    and _is_spawner(target)):
                found = True
                break
    _spawners[func] = found
    return found


def _spawns(item: pytest.Item) -> bool:
    """Whether the test, or a fixture it uses, starts another process."""
    func = getattr(item, "function", None)
    if func is None:
        return False
    if _is_spawner(func):
        return True
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        for fixturedef in defs:
            if _is_spawner(fixturedef.func):
                return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    strict = os.environ.get(STRICT_VAR) == "1"
    slow = pytest.mark.slow
    for item in items:
        if item.get_closest_marker("slow") is None and _spawns(item):
            item.add_marker(slow)
        if "postgres" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
                "postgres"):
            item.add_marker(pytest.mark.postgres)
        for name, (present, reason) in REQUIREMENTS.items():
            if item.get_closest_marker(name) is None:
                continue
            if item.get_closest_marker("slow") is None and name == "chromium":
                item.add_marker(slow)
            if not strict and not present():
                item.add_marker(pytest.mark.skipif(True, reason=reason))


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory):
    """``MEMBRANELAB_DATA_DIR`` (progress, the grading seed) is a session-wide temporary
    directory unless a test sets its own: tests never write the user's data directory."""
    old = os.environ.get("MEMBRANELAB_DATA_DIR")
    os.environ["MEMBRANELAB_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    if old is None:
        os.environ.pop("MEMBRANELAB_DATA_DIR", None)
    else:
        os.environ["MEMBRANELAB_DATA_DIR"] = old


@pytest.fixture(scope="session", autouse=True)
def incident_log(tmp_path_factory):
    """``MEMBRANELAB_LOG`` points at a session-wide temporary file (inherited by subprocesses)."""
    path = tmp_path_factory.mktemp("log") / "membranelab.log"
    old = os.environ.get("MEMBRANELAB_LOG")
    os.environ["MEMBRANELAB_LOG"] = str(path)
    yield path
    if old is None:
        os.environ.pop("MEMBRANELAB_LOG", None)
    else:
        os.environ["MEMBRANELAB_LOG"] = old


@pytest.fixture(scope="session", autouse=True)
def user_config(tmp_path_factory):
    """``XDG_CONFIG_HOME`` is a session-wide temporary folder (inherited by subprocesses), so no
    test reads or writes a course secret in the real user config directory."""
    path = tmp_path_factory.mktemp("config")
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(path)
    yield path
    if old is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = old


def pytest_configure(config: pytest.Config) -> None:
    """A test run started in the background by a shell without job control inherits SIGINT
    ignored, and so would every command a test starts (an ignored signal stays ignored across
    exec, and the package rightly leaves it so): the interruption tests' Ctrl-C would reach
    nothing.  Handled here, it is back to its default in every child."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)

