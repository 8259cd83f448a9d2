"""The queue sorted by person risk: each alert carries its person's risk key (`alerts.risk`).

The key is the person's decaying risk score projected to a fixed epoch (`review.risk_order`),
so it orders alerts by their person's current score whenever it is read, and an index on
(status, risk, severity_rank, id) pages that order by keyset like the other sorts. Existing
alerts start at 0; the next alert build fills every key (no refresh has been recorded yet).

Revision ID: review_0005
Revises: review_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "review_0005"
down_revision = "review_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("risk", sa.Double(), nullable=False, server_default="0"))
        batch.create_index("ix_alerts_queue_risk", ["status", "risk", "severity_rank", "id"])


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_index("ix_alerts_queue_risk")
        batch.drop_column("risk")
