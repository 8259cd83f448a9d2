"""One incident, one alert: alerts group findings across subjects (alert_findings, alert_items).

An alert used to be the findings of one message or payment (unique subject); it is now one
incident — findings of one category linked by person, conversation or payment within a window
— so the subject is no longer unique, and which findings an alert holds and which items it
touches are stored in their own tables. Existing alerts keep their findings (by subject) and
their subject as an item.

Revision ID: review_0004
Revises: review_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from redline.store.base import BigIntPK

revision = "review_0004"
down_revision = "review_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_constraint("uq_alerts_subject", type_="unique")
        batch.add_column(sa.Column("top_finding_id", BigIntPK))
        batch.create_index("ix_alerts_subject", ["subject", "subject_id"])
    op.create_table(
        "alert_findings",
        sa.Column("finding_id", BigIntPK, nullable=False),
        sa.Column("alert_id", BigIntPK, nullable=False),
        sa.PrimaryKeyConstraint("finding_id", name="pk_alert_findings"),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name="fk_alert_findings_finding_id_findings"),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name="fk_alert_findings_alert_id_alerts"),
    )
    op.create_index("ix_alert_findings_alert_id", "alert_findings", ["alert_id"])
    op.create_table(
        "alert_items",
        sa.Column("alert_id", BigIntPK, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", "kind", "item_id", name="pk_alert_items"),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name="fk_alert_items_alert_id_alerts"),
    )
    op.create_index("ix_alert_items_item", "alert_items", ["kind", "item_id"])
    op.execute("INSERT INTO alert_findings (finding_id, alert_id) SELECT f.id, a.id FROM findings f "
               "JOIN alerts a ON a.subject = f.subject AND a.subject_id = f.subject_id")
    op.execute("INSERT INTO alert_items (alert_id, kind, item_id) SELECT id, subject, subject_id FROM alerts")
    op.execute("INSERT INTO alert_items (alert_id, kind, item_id) SELECT id, 'person', person_id FROM alerts "
               "WHERE person_id IS NOT NULL AND subject <> 'person'")


def downgrade() -> None:
    op.drop_index("ix_alert_items_item", table_name="alert_items")
    op.drop_table("alert_items")
    op.drop_index("ix_alert_findings_alert_id", table_name="alert_findings")
    op.drop_table("alert_findings")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_index("ix_alerts_subject")
        batch.drop_column("top_finding_id")
        batch.create_unique_constraint("uq_alerts_subject", ["subject", "subject_id"])
