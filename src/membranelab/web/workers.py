"""``membranelab serve --workers N``: a class served by N uvicorn processes on one port.

uvicorn starts each worker process afresh and builds its app from an import path
(:func:`app_factory`); the server's settings reach the workers through a private file
(``0600``, in a private temporary directory, removed when the server stops) named by
:data:`CONFIG_ENV`, never through the command line (the course secret is in them).  Before the
workers start, the parent builds the state once (roster, tokens, tables), so N processes never
race to create the database.  Every worker shares the class database (SQLite in WAL mode, or
PostgreSQL: any SQLAlchemy URL), which is the server's only state: sessions are cookies checked
against it, CSRF secrets are stored in it, a submission's try and uid are settled by its unique
keys.  Each worker has its own connection limit (``Limits.max_connections``) and request
deadline.  Self-study (one student, a progress file) keeps one process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .config import ServeConfig

__all__ = ["CONFIG_ENV", "app_factory", "shared_config"]

#: The environment variable naming the workers' settings file.
CONFIG_ENV = "MEMBRANELAB_SERVE_CONFIG"


@contextlib.contextmanager
def shared_config(config: ServeConfig) -> Iterator[Path]:
    """Write ``config`` where the workers read it (owner-only), set :data:`CONFIG_ENV`, and
    remove both when the block ends."""
    directory = Path(tempfile.mkdtemp(prefix="membranelab-serve-"))  # 0700
    path = directory / "config.pickle"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(config, handle)
        old = os.environ.get(CONFIG_ENV)
        os.environ[CONFIG_ENV] = str(path)
        try:
            yield path
        finally:
            if old is None:
                os.environ.pop(CONFIG_ENV, None)
            else:
                os.environ[CONFIG_ENV] = old
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def app_factory() -> Any:
    """The app of one worker process (uvicorn calls it by import path, with ``factory=True``)."""
    from .app import create_app
    from .deadline import DeadlineProtocol

    # the settings file is written by this server's own parent process, owner-only
    with open(os.environ[CONFIG_ENV], "rb") as handle:
        config: ServeConfig = pickle.load(handle)  # noqa: S301
    DeadlineProtocol.request_seconds = float(config.limits.request_seconds)
    return create_app(config)
