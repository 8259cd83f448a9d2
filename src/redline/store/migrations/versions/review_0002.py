"""Queue indexes: one (filter, status, severity_rank, id) index per queue filter.

With a single-column index on the filter, SQLite and PostgreSQL fetch every matching alert
and sort them; with the composite index a filtered page is one ordered index range.

Revision ID: review_0002
Revises: review_0001
"""

from __future__ import annotations

from alembic import op

revision = "review_0002"
down_revision = "review_0001"
branch_labels = None
depends_on = None

FILTERS = ("category", "unit", "pack", "rule_id", "assignee", "person_id", "severity")
SINGLE = ("person_id", "rule_id", "pack", "category", "unit", "assignee")  # replaced by the composites


def upgrade() -> None:
    for column in SINGLE:
        op.drop_index(f"ix_alerts_{column}", table_name="alerts")
    for column in FILTERS:
        op.create_index(f"ix_alerts_queue_{column}", "alerts", [column, "status", "severity_rank", "id"])


def downgrade() -> None:
    for column in FILTERS:
        op.drop_index(f"ix_alerts_queue_{column}", table_name="alerts")
    for column in SINGLE:
        op.create_index(f"ix_alerts_{column}", "alerts", [column])
