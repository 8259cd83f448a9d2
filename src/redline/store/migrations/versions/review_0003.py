"""Findings by pack: the queue's pack filter and its dropdown read findings, not only alerts.

An alert shows its most severe finding's pack, but the queue's pack filter matches any finding
of an alert, and the dropdown offers every pack with a finding. rule_id and category already
have an index on findings; pack had none, so both read the whole table (0.8 s at a million
findings on SQLite).

Revision ID: review_0003
Revises: review_0002
"""

from __future__ import annotations

from alembic import op

revision = "review_0003"
down_revision = "review_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_findings_pack", "findings", ["pack"])


def downgrade() -> None:
    op.drop_index("ix_findings_pack", table_name="findings")
