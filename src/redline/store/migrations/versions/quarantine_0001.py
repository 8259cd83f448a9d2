"""Quarantined rows of bundle loads, kept in the store (one row per rejected bundle row).

Revision ID: quarantine_0001
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "quarantine_0001"
down_revision = "0001_core"
branch_labels = ("quarantine",)
depends_on = None

BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quarantined_rows",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("file", sa.String(128), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quarantined_rows"),
        sa.UniqueConstraint("key", name="uq_quarantined_rows_key"),
    )
    op.create_index("ix_quarantined_rows_source_file", "quarantined_rows", ["source", "file", "id"])


def downgrade() -> None:
    op.drop_index("ix_quarantined_rows_source_file", table_name="quarantined_rows")
    op.drop_table("quarantined_rows")
