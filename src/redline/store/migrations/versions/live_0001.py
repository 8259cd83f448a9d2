"""Live monitoring: source positions (spool files, WeCom seq), watcher heartbeats, media queue.

Revision ID: live_0001
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "live_0001"
down_revision = "0001_core"
branch_labels = ("live",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_positions",
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("identity", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name="pk_source_positions"),
    )
    op.create_table(
        "watcher_beats",
        sa.Column("watcher", sa.String(200), nullable=False),
        sa.Column("plan_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_pull", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_import", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported", sa.BigInteger(), nullable=False),
        sa.Column("errors", sa.BigInteger(), nullable=False),
        sa.Column("backlog", sa.BigInteger(), nullable=False),
        sa.Column("lag_seconds", sa.Float(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("watcher", name="pk_watcher_beats"),
    )
    op.create_table(
        "media_queue",
        sa.Column("msgid", sa.String(128), nullable=False),
        sa.Column("sdkfileid", sa.Text(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("msgid", name="pk_media_queue"),
    )
    op.create_index("ix_media_queue_status", "media_queue", ["status"])


def downgrade() -> None:
    op.drop_index("ix_media_queue_status", table_name="media_queue")
    op.drop_table("media_queue")
    op.drop_table("watcher_beats")
    op.drop_table("source_positions")
