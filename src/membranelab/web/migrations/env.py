"""Alembic's environment for the class database (``membranelab.web.migrate`` runs it).

Run by :func:`membranelab.web.migrate.upgrade` with the connection it holds (in a transaction,
under the database's write lock) in ``config.attributes["connection"]``; run by the ``alembic``
command line (``alembic -c src/membranelab/web/migrations/alembic.ini -x db=URL ...``, see
README.md here) on the database named by ``-x db=URL``.  The models' tables
(:data:`membranelab.web.db.metadata`) are the target of ``--autogenerate``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import Connection

from membranelab.web.db import metadata

config = context.config


def run(connection: Connection) -> None:
    """The pending revisions on ``connection`` (in its transaction when it has one)."""
    context.configure(connection=connection, target_metadata=metadata,
                      compare_server_default=True, transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Online on the given connection, or on ``-x db=URL``; offline: SQL text for ``URL``."""
    given = config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    url = (context.get_x_argument(as_dictionary=True).get("db")
           or config.get_main_option("sqlalchemy.url"))
    if not url:
        raise SystemExit("name the class database: alembic ... -x db=sqlite:///class.db")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


main()
