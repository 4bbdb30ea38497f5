"""Baseline: the class database as membranelab 0.1.0 made it (commit a159ff6), from whatever
an earlier release left.

Idempotent on purpose: a database made before revisions were recorded (no ``alembic_version``
table) is upgraded by this revision like an empty one, and it creates only what is missing: the
tables an earlier release did not have (``hints``, ``regrades``), the ``submissions.hints`` and
``.late`` columns (default 0), the indexes.  It never drops, recreates or rewrites a table, so
every row of such a database is kept (``tests/web/test_migrations.py``, from a database made by
that release).  The tables are written out here, not taken from ``membranelab.web.db``: a
revision is the schema of its day, and the models move on.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.schema import SchemaItem

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Ids (students, assignments, problems, parts): membranelab.web.config.MAX_ID of that release.
_ID = 200


def _tables() -> dict[str, list[SchemaItem]]:
    """The release's tables: name -> new columns and constraints (new objects on every call:
    a column belongs to one table)."""
    return {
        "students": [
            sa.Column("student", sa.String(_ID), primary_key=True),
            sa.Column("name", sa.String(400), nullable=False),
            sa.Column("token_hash", sa.String(64), nullable=True),
            sa.Column("created", sa.Float(), nullable=False),
            sa.UniqueConstraint("token_hash"),
        ],
        "settings": [
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("value", sa.Text(), nullable=False),
        ],
        "submissions": [
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("uid", sa.String(64), nullable=False),
            sa.Column("student", sa.String(_ID), nullable=False),
            sa.Column("assignment", sa.String(_ID), nullable=False),
            sa.Column("problem", sa.String(_ID), nullable=False),
            sa.Column("part", sa.String(_ID), nullable=False),
            sa.Column("seq", sa.Integer(), nullable=False),
            sa.Column("answer", sa.Text(), nullable=False),
            sa.Column("score", sa.Float(), nullable=False),
            sa.Column("weight", sa.Float(), nullable=False),
            sa.Column("correct", sa.Boolean(), nullable=False),
            sa.Column("note", sa.String(200), nullable=False),
            sa.Column("feedback", sa.Text(), nullable=False),
            sa.Column("level", sa.String(16), nullable=False),
            sa.Column("counted", sa.Boolean(), nullable=False),
            sa.Column("created", sa.Float(), nullable=False),
            sa.Column("hints", sa.Integer(), nullable=False, server_default="0"),
            sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.UniqueConstraint("uid"),
            sa.UniqueConstraint("student", "assignment", "problem", "part", "seq",
                                name="one_seq"),
        ],
        "hints": [
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("student", sa.String(_ID), nullable=False),
            sa.Column("assignment", sa.String(_ID), nullable=False),
            sa.Column("problem", sa.String(_ID), nullable=False),
            sa.Column("part", sa.String(_ID), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.Column("created", sa.Float(), nullable=False),
            sa.UniqueConstraint("student", "assignment", "problem", "part", "n",
                                name="one_hint"),
        ],
        "regrades": [
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("uid", sa.String(64), nullable=False),
            sa.Column("score", sa.Float(), nullable=False),
            sa.Column("correct", sa.Boolean(), nullable=False),
            sa.Column("note", sa.String(200), nullable=False),
            sa.Column("feedback", sa.Text(), nullable=False),
            sa.Column("regraded", sa.Float(), nullable=False),
        ],
    }


#: (index, table, columns) of the release.
_INDEXES = (("ix_submissions_student", "submissions", ["student"]),
            ("ix_regrades_uid", "regrades", ["uid"]))

#: Columns added by releases before the baseline to a table that already had rows.
_ADDED = ("hints", "late")


def upgrade() -> None:
    """Create the tables, columns and indexes the database lacks (all of them when empty)."""
    offline = context.is_offline_mode()  # alembic upgrade --sql: SQL for an empty database
    existing = set() if offline else set(sa.inspect(op.get_bind()).get_table_names())
    for name, items in _tables().items():
        if name not in existing:
            op.create_table(name, *items)
    if "submissions" in existing:
        have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("submissions")}
        for item in _tables()["submissions"]:
            if isinstance(item, sa.Column) and item.name in _ADDED and item.name not in have:
                op.add_column("submissions", item)
    for index, table, columns in _INDEXES:
        known = ({i["name"] for i in sa.inspect(op.get_bind()).get_indexes(table)}
                 if table in existing else set())
        if index not in known:
            op.create_index(index, table, columns)


def downgrade() -> None:
    """Refused: below the baseline there is no schema, only data to lose."""
    raise NotImplementedError("the baseline revision is not downgraded: it would drop every "
                              "table of the class database (drop them yourself if you mean it)")
