"""Public reporting portal: intake officers, reports, sealed keys, messages, files.

Revision ID: intake_0001
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "intake_0001"
down_revision = "0001_core"
branch_labels = ("intake",)
depends_on = None

BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intake_officers",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intake_officers"),
        sa.UniqueConstraint("name", name="uq_intake_officers_name"),
    )
    op.create_table(
        "public_reports",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("lookup", sa.String(8), nullable=False),
        sa.Column("receipt_hash", sa.String(200), nullable=False),
        sa.Column("code_salt", sa.LargeBinary(), nullable=False),
        sa.Column("key_for_code", sa.LargeBinary(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("real_name", sa.Boolean(), nullable=False),
        sa.Column("substantive", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("accept_due", sa.Date(), nullable=True),
        sa.Column("result_due", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("duplicate_of", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_public_reports"),
    )
    op.create_index("ix_public_reports_lookup", "public_reports", ["lookup"])
    op.create_index("ix_public_reports_case_id", "public_reports", ["case_id"])
    op.create_table(
        "public_report_keys",
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("sealed_key", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["public_reports.id"], ondelete="CASCADE",
                                name="fk_public_report_keys_report_id_public_reports"),
        sa.ForeignKeyConstraint(["officer_id"], ["intake_officers.id"],
                                name="fk_public_report_keys_officer_id_intake_officers"),
        sa.PrimaryKeyConstraint("report_id", "officer_id", name="pk_public_report_keys"),
    )
    op.create_table(
        "public_report_messages",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["public_reports.id"], ondelete="CASCADE",
                                name="fk_public_report_messages_report_id_public_reports"),
        sa.PrimaryKeyConstraint("id", name="pk_public_report_messages"),
    )
    op.create_index("ix_public_report_messages_report", "public_report_messages", ["report_id", "id"])
    op.create_table(
        "public_report_files",
        sa.Column("id", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("stored_name", sa.String(64), nullable=False),
        sa.Column("sealed_meta", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["public_reports.id"], ondelete="CASCADE",
                                name="fk_public_report_files_report_id_public_reports"),
        sa.PrimaryKeyConstraint("id", name="pk_public_report_files"),
    )
    op.create_index("ix_public_report_files_report_id", "public_report_files", ["report_id"])


def downgrade() -> None:
    for table in ("public_report_files", "public_report_messages", "public_report_keys", "public_reports",
                  "intake_officers"):
        op.drop_table(table)
