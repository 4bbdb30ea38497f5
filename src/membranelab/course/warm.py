"""``course grade``'s workers start warm: their fork server imports the grading code and loads
the bank once, in the background, while the command's own process is still starting.

:func:`start` starts the :mod:`membranelab.workers` fork server with this module among its
preloads and the bank's folder in :data:`BANK_VARIABLE` for the server alone; imported there,
this module loads that bank (:func:`_preload`), and every worker forked from the server has it
already (:func:`bank`), instead of each worker importing and loading it after the pool starts
(about 1 s of CPU per worker, on the critical path).  Where the server was started by
something else (another pool in the same process), :func:`bank` loads the bank itself: the
result is the same bank either way, only the time differs.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from membranelab.workers import context

__all__ = ["BANK_VARIABLE", "PRELOAD", "bank", "start"]

#: Set only in the fork server's environment: the bank folder to load ("" : the default bank).
BANK_VARIABLE = "MEMBRANELAB_WARM_BANK"
#: What the fork server imports for every worker: this module (and so the bank) and the code
#: that grades a notebook.
PRELOAD = (__name__, "membranelab.course.submission", "membranelab.bank",
           "membranelab.grading")

log = logging.getLogger(__name__)
#: Banks loaded by this process as the fork server, by folder (as given and as resolved).
_BANKS: dict[str, Any] = {}


def start(bank_root: str | os.PathLike[str] | None) -> None:
    """Start the workers' fork server now, in the background, preloading the bank at
    ``bank_root`` (None: the default bank); nothing happens if it is running already."""
    os.environ[BANK_VARIABLE] = "" if bank_root is None else os.fspath(bank_root)
    try:
        context(PRELOAD)
    finally:
        os.environ.pop(BANK_VARIABLE, None)


def bank(root: str | None) -> Any:
    """The bank at ``root`` (None: the default): the fork server's copy if it loaded that one,
    else loaded now."""
    found = _BANKS.get("" if root is None else root)
    if found is not None:
        return found
    from membranelab.service.problems import open_bank

    return open_bank(root)


def _preload() -> None:
    """In the fork server (the variable set): load the bank it names, once for every worker."""
    root = os.environ.get(BANK_VARIABLE)
    if root is None:
        return
    try:
        from membranelab.service.problems import open_bank

        loaded = open_bank(root or None)
    except Exception:  # noqa: BLE001 - a worker loads the bank itself (and reports its error)
        from membranelab.incident import enable_incident_log, record_incident

        enable_incident_log()
        record_incident(log, "preloading the bank %r for course grade's workers", root)
        return
    _BANKS[root] = loaded
    if getattr(loaded, "root", None) is not None:
        _BANKS[str(loaded.root)] = loaded
    if not root:
        _BANKS[""] = loaded


_preload()
