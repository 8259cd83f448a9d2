"""The store: SQLAlchemy tables on SQLite (WAL, the default) or PostgreSQL, and their loaders.

`db.make_engine` / `db.migrate` open and upgrade a database, `load.load_bundle` upserts a
bundle, `tables_from_store` reads it back as Arrow, `findings.save_findings` stores leads.
"""

from __future__ import annotations

from redline.store.db import make_engine, migrate
from redline.store.export import tables_from_store
from redline.store.findings import finding_key, save_findings
from redline.store.load import LoadReport, TableLoad, load_bundle

__all__ = [
    "LoadReport",
    "TableLoad",
    "finding_key",
    "load_bundle",
    "make_engine",
    "migrate",
    "save_findings",
    "tables_from_store",
]
