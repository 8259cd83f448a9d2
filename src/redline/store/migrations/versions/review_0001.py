"""Console tables: accounts, console keys, alerts, cases, case notes, decisions, audit log.

Revision ID: review_0001
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "review_0001"
down_revision = "0001_core"
branch_labels = ("review",)
depends_on = None

BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("username", name="uq_accounts_username"),
    )
    op.create_table(
        "console_keys",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_console_keys"),
    )
    op.create_table(
        "cases",
        sa.Column("id", BigIntPK, autoincrement=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("person_id", sa.String(128)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16)),
        sa.Column("disposition", sa.String(16)),
        sa.Column("owner", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_person_id", "cases", ["person_id"])
    op.create_table(
        "alerts",
        sa.Column("id", BigIntPK, autoincrement=True),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(300), nullable=False),
        sa.Column("person_id", sa.String(128)),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("pack", sa.String(64), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("severity_rank", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("time", TS),
        sa.Column("n_findings", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assignee", sa.String(64)),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("case_id", BigIntPK),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("decided_at", TS),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_alerts_case_id_cases"),
        sa.UniqueConstraint("subject", "subject_id", name="uq_alerts_subject"),
    )
    for column in ("person_id", "rule_id", "pack", "category", "unit", "time", "assignee", "case_id"):
        op.create_index(f"ix_alerts_{column}", "alerts", [column])
    op.create_index("ix_alerts_queue", "alerts", ["status", "severity_rank", "id"])
    op.create_index("ix_alerts_queue_time", "alerts", ["status", "time", "id"])
    op.create_table(
        "case_notes",
        sa.Column("id", BigIntPK, autoincrement=True),
        sa.Column("case_id", BigIntPK, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_notes"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_notes_case_id_cases"),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])
    op.create_table(
        "decisions",
        sa.Column("id", BigIntPK, autoincrement=True),
        sa.Column("alert_id", BigIntPK),
        sa.Column("case_id", BigIntPK),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("value", sa.String(300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name="fk_decisions_alert_id_alerts"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_decisions_case_id_cases"),
    )
    for column in ("alert_id", "case_id", "actor"):
        op.create_index(f"ix_decisions_{column}", "decisions", [column])
    op.create_table(
        "audit_log",
        sa.Column("id", BigIntPK, autoincrement=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.UniqueConstraint("seq", name="uq_audit_log_seq"),
    )
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    for table in ("audit_log", "decisions", "case_notes", "alerts", "cases", "console_keys", "accounts"):
        op.drop_table(table)
