"""Core tables: the bundle's people, relations, groups, memberships, events, messages and
payments, and the findings raised on them.

Revision ID: 0001_core
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "people",
    "relations",
    "groups",
    "memberships",
    "events",
    "messages",
    "payments",
    "findings",
)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.String(length=128), nullable=True),
        sa.Column("other_id", sa.String(length=128), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
    )
    op.create_table(
        "findings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("pack", sa.String(length=64), nullable=False),
        sa.Column("pack_version", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("detector", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=300), nullable=False),
        sa.Column("person_id", sa.String(length=128), nullable=True),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("related_ids", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("key", name=op.f("uq_findings_key")),
    )
    op.create_index(op.f("ix_findings_category"), "findings", ["category"], unique=False)
    op.create_index(op.f("ix_findings_person_id"), "findings", ["person_id"], unique=False)
    op.create_index(op.f("ix_findings_rule_id"), "findings", ["rule_id"], unique=False)
    op.create_index(op.f("ix_findings_severity"), "findings", ["severity"], unique=False)
    op.create_index("ix_findings_subject", "findings", ["subject", "subject_id"], unique=False)
    op.create_table(
        "groups",
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=128), nullable=True),
        sa.Column("registered", sa.Boolean(), nullable=False),
        sa.Column("classification", sa.String(length=32), nullable=False),
        sa.Column("daily_report", sa.Boolean(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_groups")),
    )
    op.create_table(
        "memberships",
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("person_id", sa.String(length=128), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("joined", sa.Date(), nullable=True),
        sa.Column("left", sa.Date(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "person_id", name=op.f("pk_memberships")),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversation", sa.String(length=300), nullable=False),
        sa.Column("sender", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment", sa.JSON(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(
        "ix_messages_conversation_time", "messages", ["conversation", "time"], unique=False
    )
    op.create_index("ix_messages_sender", "messages", ["sender"], unique=False)
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(length=128), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payer", sa.String(length=128), nullable=False),
        sa.Column("payee", sa.String(length=128), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("conversation", sa.String(length=300), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("packet_id", sa.String(length=128), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payments")),
    )
    op.create_index("ix_payments_payee_time", "payments", ["payee", "time"], unique=False)
    op.create_index("ix_payments_payer_time", "payments", ["payer", "time"], unique=False)
    op.create_table(
        "people",
        sa.Column("person_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("post", sa.String(length=200), nullable=False),
        sa.Column("is_official", sa.Boolean(), nullable=False),
        sa.Column("external", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_people")),
    )
    op.create_index(op.f("ix_people_unit"), "people", ["unit"], unique=False)
    op.create_table(
        "relations",
        sa.Column("person_id", sa.String(length=128), nullable=False),
        sa.Column("other_id", sa.String(length=128), nullable=False),
        sa.Column("relation", sa.String(length=32), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "other_id", "relation", name=op.f("pk_relations")),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
