from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from redline.errors import ConfigError
from redline.store import make_engine, migrate
from redline.store.base import Base
from redline.store.db import normalise_url

CORE = ("people", "relations", "groups", "memberships", "events", "messages", "payments", "findings")


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
], ids=["postgresql", "postgres", "psycopg", "sqlite"])
def test_urls(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


@pytest.mark.parametrize("url", ["mysql://u@h/db", "redline.db", "sqlite:////no/such/folder/x.db"],
                         ids=["mysql", "bare-path", "missing-folder"])
def test_bad_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        make_engine(url)


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    with engine.connect() as connection:
        pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "synchronous", "foreign_keys")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 0}  # 1 is NORMAL


def test_migrate_creates_the_core_tables_exactly_as_the_models_say(db_url: str) -> None:
    engine = migrate(db_url)
    assert set(CORE) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _table_of(d) in CORE]
    assert diffs == []
    migrate(engine)  # a second upgrade is a no-op, not an error
    engine.dispose()


def _table_of(diff: object) -> str:
    """The table an Alembic autogenerate diff is about."""
    kind, *rest = diff[0] if isinstance(diff, list) else diff  # type: ignore[misc]
    if kind in ("add_table", "remove_table"):
        return str(rest[0].name)
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        return str(rest[0].table.name)
    return str(rest[1])  # ("modify_type", schema, table, column, …), ("add_column", schema, table, column)
