from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from redline.store.base import Base
from redline.store.db import migrate

MINE = {"accounts", "console_keys", "alerts", "cases", "case_notes", "decisions", "audit_log"}


def _table(diff: object) -> str:
    kind, *rest = diff[0] if isinstance(diff, list) else diff  # type: ignore[misc]
    if kind in ("add_table", "remove_table"):
        return str(rest[0].name)
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        return str(rest[0].table.name)
    return str(rest[1])


def test_review_branch_creates_the_console_tables_exactly_as_the_models_say(db_url: str) -> None:
    engine = migrate(db_url)
    assert set(inspect(engine).get_table_names()) >= MINE
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _table(d) in MINE]
    assert diffs == []
    engine.dispose()
