"""The intake branch of the migrations builds the tables exactly as the models say."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from redline.store.base import Base
from redline.store.db import migrate

MINE = {"intake_officers", "public_reports", "public_report_keys", "public_report_messages", "public_report_files"}
# intake_0001 made these id columns BIGINT where the models say Integer/BigIntPK's variant: the
# same storage in SQLite and harmless in PostgreSQL; old revisions are never edited
KNOWN_TYPE_DRIFT = {("public_report_files", "report_id"), ("public_report_files", "message_id"),
                    ("public_report_keys", "report_id"), ("public_report_keys", "officer_id"),
                    ("public_report_messages", "report_id"), ("public_reports", "case_id"),
                    ("public_reports", "duplicate_of")}


def _table(diff: object) -> str:
    kind, *rest = diff[0] if isinstance(diff, list) else diff  # type: ignore[misc]
    if kind in ("add_table", "remove_table"):
        return str(rest[0].name)
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        return str(rest[0].table.name)
    return str(rest[1])


def _known(diff: object) -> bool:
    kind, _, table, column, *_ = diff[0] if isinstance(diff, list) else diff  # type: ignore[misc]
    return kind == "modify_type" and (table, column) in KNOWN_TYPE_DRIFT


def test_intake_branch_creates_the_portal_tables_exactly_as_the_models_say(db_url: str) -> None:
    engine = migrate(db_url)
    assert set(inspect(engine).get_table_names()) >= MINE
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _table(d) in MINE and not _known(d)]
    assert diffs == []
    engine.dispose()
