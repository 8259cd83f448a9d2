"""Scan state remembers the length of the text it screened, so an edited message is rescanned.

Revision ID: rules_0002
Revises: rules_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rules_0002"
down_revision = "rules_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scan_state") as batch:
        batch.add_column(sa.Column("text_length", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scan_state") as batch:
        batch.drop_column("text_length")
