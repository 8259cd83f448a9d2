"""The cases branch (cases_0001) creates holds and report_links exactly as the models say."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from tests.review.test_migrations import _table

from redline.store.base import Base
from redline.store.db import migrate

MINE = {"holds", "report_links"}


def test_cases_branch_matches_the_models(db_url: str) -> None:
    engine = migrate(db_url)
    assert set(inspect(engine).get_table_names()) >= MINE
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _table(d) in MINE]
    assert diffs == []
    engine.dispose()
