"""Fixtures of the review tests: a migrated store holding the sample organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from redline.review.sample import load_sample
from redline.store.db import migrate


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Engine:
    """A migrated SQLite store with the sample organisation and its alerts."""
    engine = migrate(f"sqlite:///{tmp_path / 'review.db'}")
    load_sample(engine)
    return engine


@pytest.fixture
def store(db_url: str) -> Engine:
    """The same on SQLite and on PostgreSQL."""
    engine = migrate(db_url)
    load_sample(engine)
    return engine
