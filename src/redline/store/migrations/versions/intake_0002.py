"""Receipt KDF parameters per report: algorithm, ops and memory, so the default can be raised.

Reports filed before this revision were all sealed under argon2id (libsodium alg 2) at
opslimit 1 and 2 MiB, the portal's fixed parameters until now: existing rows get those.

Revision ID: intake_0002
Revises: intake_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "intake_0002"
down_revision = "intake_0001"
branch_labels = None
depends_on = None

# the values RECEIPT_KDF had when intake_0001 was current; never read them from the code
LEGACY_ALG, LEGACY_OPS, LEGACY_MEM = 2, 1, 2 * 1024 * 1024


def upgrade() -> None:
    op.add_column("public_reports", sa.Column("kdf_alg", sa.SmallInteger(), nullable=False,
                                              server_default=sa.text(str(LEGACY_ALG))))
    op.add_column("public_reports", sa.Column("kdf_ops", sa.Integer(), nullable=False,
                                              server_default=sa.text(str(LEGACY_OPS))))
    op.add_column("public_reports", sa.Column("kdf_mem", sa.BigInteger(), nullable=False,
                                              server_default=sa.text(str(LEGACY_MEM))))


def downgrade() -> None:
    with op.batch_alter_table("public_reports") as batch:
        for column in ("kdf_mem", "kdf_ops", "kdf_alg"):
            batch.drop_column(column)
