"""Forms kept across a re-login (issue 16 item 8): a reviewer whose session ended while typing a
dismissal reason or a note gets the form back, filled in, after logging in again.

Revision ID: security_0002
Revises: security_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "security_0002"
down_revision = "security_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_forms",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(500), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kept_forms"),
    )
    op.create_index("ix_kept_forms_expires_at", "kept_forms", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_kept_forms_expires_at", table_name="kept_forms")
    op.drop_table("kept_forms")
