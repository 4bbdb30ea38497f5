"""Fixtures for every test: the incident log goes to a temporary file, never the user's."""

from __future__ import annotations

import os

import pytest


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
