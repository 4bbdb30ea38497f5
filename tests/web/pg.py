"""A throwaway PostgreSQL server for the class-mode tests (Debian's ``postgresql`` package).

The server runs from a fresh data directory on a Unix socket only (no TCP port), as the
``postgres`` user when the tests run as root (PostgreSQL refuses to run as root), and is stopped
at the end of the session.  Where PostgreSQL or psycopg is not installed the PostgreSQL runs
are skipped, saying so.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_postgres() -> dict:
    """subprocess options to run as the postgres user when root."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")

    def demote() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return {"preexec_fn": demote}


@contextlib.contextmanager
def postgres_server() -> Iterator[tuple[str, str]]:
    """(socket directory, port) of a running throwaway server."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed (pip install 'psycopg[binary]')")
    if initdb is None or pg_ctl is None:
        pytest.fail("PostgreSQL is not installed (Debian's postgresql package)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("no postgres user to run PostgreSQL as (root may not run it)")
    base = Path(tempfile.mkdtemp(prefix="membranelab-pg-"))
    os.chmod(base, 0o755)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    data, log = base / "data", base / "log"
    port = "5432"
    options = _as_postgres()
    subprocess.run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True, **options)
    subprocess.run([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                    f"-k {base} -p {port} -c listen_addresses='' -c fsync=off "
                    "-c max_connections=200", "start"], check=True, capture_output=True,
                   **options)
    try:
        yield str(base), port
    finally:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, **options)
        shutil.rmtree(base, ignore_errors=True)


def new_database(server: tuple[str, str], name: str) -> str:
    """Create database ``name`` on ``server``; its SQLAlchemy URL."""
    import psycopg

    host, port = server
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={host}&port={port}"
