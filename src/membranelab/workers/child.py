"""The worker side: the loop a worker process runs, and its tie to the process that started it.

A worker is started (by :mod:`.process`) with ``spawn`` or ``forkserver`` and runs :func:`serve`:
it ties its life to its parent's (:func:`die_with_parent`), ignores Ctrl-C (the terminal sends it
to the whole process group; the parent decides what happens), runs the pool's initializer, says
``ready``, then answers one request at a time until its pipe closes.

Messages on the pipe (pickled by ``multiprocessing.connection``): the parent sends
``(function, args)``; the worker answers ``("ok", value)`` or ``("error", type name, incident
id)`` when the function raised (the incident, with its traceback, is in the incident log).
Before the first request it sends ``("ready",)`` or ``("init-error", type name, incident id)``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from membranelab.incident import enable_incident_log, record_incident

__all__ = ["die_with_parent", "serve"]

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
#: How often the watchdog thread looks for its parent.
WATCH_SECONDS = 0.25


def die_with_parent() -> None:
    """End this process as soon as its parent process ends (call it first thing in a child).

    Linux: the kernel's parent-death signal (SIGKILL), which stops even a C loop.  Elsewhere, and
    as a second net, a daemon thread that exits when the parent's pid changes."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
        except (OSError, AttributeError) as error:
            log.warning("no parent-death signal here: %s", error)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _name(function: Callable[..., Any]) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', function)}"


def _send(conn: Any, message: tuple[Any, ...]) -> bool:
    """Send ``message``; False when the parent is gone (its end of the pipe closed)."""
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return False
    return True


def serve(conn: Any, initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """Run the initializer, then answer ``(function, args)`` requests on ``conn`` until it
    closes; a parent that has gone away ends the loop quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # the parent blocked it to start us
    die_with_parent()
    enable_incident_log()  # a spawned process has no handler of its own
    if initializer is not None:
        try:
            initializer(*initargs)
        except Exception as error:  # noqa: BLE001 - reported to the parent, which gives up on us
            incident = record_incident(log, "starting a worker process: %s failed",
                                       _name(initializer))
            _send(conn, ("init-error", type(error).__name__, incident))
            return
    if not _send(conn, ("ready",)):
        return
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return  # the parent closed the pipe (or is gone): nothing more to do
        try:
            reply: tuple[Any, ...] = ("ok", function(*args))
        except Exception as error:  # noqa: BLE001 - one failed request must not end the worker
            incident = record_incident(log, "worker request %s failed", _name(function))
            reply = ("error", type(error).__name__, incident)
        try:
            if not _send(conn, reply):
                return
        except Exception:  # noqa: BLE001 - the value cannot be pickled: a bug in the caller
            incident = record_incident(log, "the result of %s cannot be sent", _name(function))
            if not _send(conn, ("error", "PicklingError", incident)):
                return
