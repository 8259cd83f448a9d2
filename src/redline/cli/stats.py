"""`redline stats`: how many rows each table of the store holds."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, func, inspect, select

from redline.cli.common import DEFAULT_DB, DbOption
from redline.errors import ConfigError
from redline.store import make_engine
from redline.store.base import Base


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, for every table of the metadata that exists in the database."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:" and not Path(database).exists():
        raise ConfigError(f"no such database file: {database}")
    present = set(inspect(engine).get_table_names())
    if not present & set(Base.metadata.tables):
        raise ConfigError(f"no Redline tables in {engine.url.render_as_string(hide_password=True)} (run `redline load` first)")
    counts = {}
    with engine.connect() as connection:
        for name, table in sorted(Base.metadata.tables.items()):
            if name in present:
                counts[name] = int(connection.execute(select(func.count()).select_from(table)).scalar_one())
    return counts


def register(app: typer.Typer) -> None:
    """Add `redline stats` to the root app."""

    @app.command("stats")
    def stats(db: DbOption = DEFAULT_DB) -> None:
        """Print the number of rows in each table of the store."""
        import redline.store.tables  # noqa: F401  (every area's tables, so all are counted)

        engine = make_engine(db)
        try:
            counts = table_counts(engine)
        finally:
            engine.dispose()
        table = Table(title="Rows per table", title_justify="left")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, count in counts.items():
            table.add_row(name, f"{count:,}")
        Console().print(table)
