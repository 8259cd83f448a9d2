"""Scan state of the rules pipeline: the plan version each message was screened with.

Revision ID: rules_0001
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rules_0001"
down_revision = "0001_core"
branch_labels = ("rules",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scan_state",
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("plan_version", sa.String(64), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name="pk_scan_state"),
    )
    op.create_index("ix_scan_state_plan_version", "scan_state", ["plan_version"])


def downgrade() -> None:
    op.drop_index("ix_scan_state_plan_version", table_name="scan_state")
    op.drop_table("scan_state")
