"""Holds (保全): cases, people or groups that retention and re-imports leave alone; and the
links an intake officer makes from a portal report to a person, an alert or a case.

Revision ID: cases_0001
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cases_0001"
down_revision = "0001_core"
branch_labels = ("cases",)
depends_on = None

BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "holds",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(64), nullable=False),
        sa.Column("placed_at", TS, nullable=False),
        sa.Column("lifted_by", sa.String(64), nullable=True),
        sa.Column("lifted_at", TS, nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_holds"),
    )
    op.create_index("ix_holds_scope_target", "holds", ["scope", "target"])
    op.create_table(
        "report_links",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("linked_by", sa.String(64), nullable=False),
        sa.Column("linked_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_links"),
    )
    op.create_index("ix_report_links_report_id", "report_links", ["report_id"])
    op.create_index("ix_report_links_kind_target", "report_links", ["kind", "target"])


def downgrade() -> None:
    op.drop_index("ix_report_links_kind_target", table_name="report_links")
    op.drop_index("ix_report_links_report_id", table_name="report_links")
    op.drop_table("report_links")
    op.drop_index("ix_holds_scope_target", table_name="holds")
    op.drop_table("holds")
