"""Alembic environment: runs revisions on the connection store.db.migrate hands over."""

from __future__ import annotations

from alembic import context

import redline.store.tables  # noqa: F401  (registers every table on the metadata)
from redline.store.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: open one from the engine or URL given
    from redline.store.db import make_engine

    engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own:
        context.configure(connection=own, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
