"""The class database's schema revisions (Alembic): a database is brought to :data:`HEAD` when
it is opened, or refused when it is newer than this code.

The revisions are ``migrations/versions/*.py`` beside this module (shipped in the package;
``migrations/README.md`` says how to add one).  Opening a database (:func:`upgrade`):

* at :data:`HEAD`: nothing to do (two small queries, Alembic is not even imported);
* without Alembic's ``alembic_version`` table: an empty database, or one made before revisions
  were recorded (membranelab 0.1.0 and earlier), which is *recognised* as the baseline: the
  baseline revision creates only what it lacks (tables, columns, indexes, all of them for an
  empty one) and records itself; no table is dropped, recreated or emptied;
* at an older revision: the revisions after it;
* at a revision these revisions do not know (a newer membranelab upgraded it): refused with
  ``classdb.too_new``, changing nothing.

An upgrade runs in one transaction holding the database's write lock (SQLite: ``BEGIN
IMMEDIATE``; PostgreSQL: an advisory lock), so two processes opening the database at once (the
workers of ``serve --workers N``, two servers behind a load balancer) upgrade it once, and a
failed revision leaves it as it was.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from membranelab.errors import CliError

__all__ = ["HEAD", "SCRIPTS", "SchemaChange", "alembic_config", "revision_of", "upgrade"]

#: The newest revision of ``migrations/versions`` (a test checks it is Alembic's head).
HEAD = "0001"
#: Alembic's script directory, shipped in the package.
SCRIPTS = Path(__file__).with_name("migrations")
#: Alembic's table of the revision a database is at.
VERSION_TABLE = "alembic_version"
#: The PostgreSQL advisory lock an upgrade holds ("memb").
_PG_LOCK = 0x6D656D62
#: The class database's tables (any of them there: a database made before revisions).
_TABLES = frozenset({"students", "settings", "submissions", "hints", "regrades"})

logger = logging.getLogger(__name__)

#: Alembic's ``context`` and ``op`` are module-wide: one upgrade at a time in a process.
_UPGRADING = threading.Lock()


@dataclass(frozen=True)
class SchemaChange:
    """What opening a database did to its schema: ``before`` (None: no revision recorded),
    ``after``; ``recognised``: it had the class tables but no revision (an earlier release's)."""

    before: str | None
    after: str
    recognised: bool = False

    @property
    def changed(self) -> bool:
        """True when a revision was applied or recorded."""
        return self.before != self.after

    def message(self, db: str, lang: str | None = "en") -> str:
        """What happened, as a sentence for the teacher (``db``: the URL shown)."""
        from membranelab.messages import gettext

        if not self.changed:
            key = "classdb.current"
        elif self.recognised:
            key = "classdb.recognised"
        elif self.before is None:
            key = "classdb.created"
        else:
            key = "classdb.upgraded"
        return gettext(key, lang or "en", db=db, before=self.before or "", after=self.after)


def shown_url(engine: Engine) -> str:
    """The database's URL without its password (for messages)."""
    return engine.url.render_as_string(hide_password=True)


def revision_of(conn: Connection) -> tuple[set[str], bool]:
    """(the revisions recorded, whether any class table exists) of the database."""
    names = set(inspect(conn).get_table_names())
    if VERSION_TABLE not in names:
        return set(), bool(names & _TABLES)
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return {str(r) for r in rows}, True


def alembic_config(connection: Connection | None = None) -> Any:
    """Alembic's configuration for :data:`SCRIPTS` (``connection``: the one to migrate)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _unknown(revisions: set[str]) -> set[str]:
    """The revisions of ``revisions`` that are not in :data:`SCRIPTS`."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    scripts = ScriptDirectory.from_config(alembic_config())
    unknown = set()
    for rev in revisions:
        try:
            if scripts.get_revision(rev) is None:
                unknown.add(rev)
        except CommandError:
            unknown.add(rev)
    return unknown


def _lock(conn: Connection) -> None:
    """Take the database's write lock for the rest of the transaction."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


def upgrade(engine: Engine) -> SchemaChange:
    """Bring the database of ``engine`` to :data:`HEAD` (see the module's docstring); raises
    :class:`~membranelab.errors.CliError` ``classdb.too_new`` for a newer database."""
    with engine.connect() as conn:
        before, has_tables = revision_of(conn)
    if before == {HEAD}:
        return SchemaChange(HEAD, HEAD)
    _refuse_newer(engine, before)
    from alembic import command

    with _UPGRADING, engine.connect() as conn, conn.begin():
        _lock(conn)
        before, has_tables = revision_of(conn)  # again, under the lock
        if before != {HEAD}:
            _refuse_newer(engine, before)
            command.upgrade(alembic_config(conn), "head")
    found = min(before) if before else None
    change = SchemaChange(found, HEAD, recognised=not before and has_tables)
    if change.changed:
        logger.info("class database %s: schema %s -> %s%s", shown_url(engine), found, HEAD,
                    " (made before revisions were recorded)" if change.recognised else "")
    return change


def _refuse_newer(engine: Engine, revisions: set[str]) -> None:
    """Raise ``classdb.too_new`` when the database is at a revision this code does not know."""
    if not revisions or revisions == {HEAD}:
        return
    unknown = _unknown(revisions)
    if unknown:
        raise CliError("classdb.too_new", db=shown_url(engine),
                       revision=", ".join(sorted(unknown)), head=HEAD)
