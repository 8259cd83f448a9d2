"""The database: engines from URLs (SQLite in WAL mode, or PostgreSQL) and schema migrations.

`sqlite:///redline.db` is the embedded default; `postgresql://…` (psycopg 3) scales out.
Migrations are Alembic revisions shipped inside the package: `0001_core` for the bundle and
findings tables, and one branch per area on top of it; `migrate` runs `upgrade heads`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from redline.errors import ConfigError

MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as psycopg 3 URLs; refuse other back-ends."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith(("sqlite://", "sqlite+pysqlite://", "postgresql+psycopg://")):
        return url
    raise ConfigError(f"unsupported database URL '{url}' (use sqlite:///FILE or postgresql://USER@HOST/DB)")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the console read while a load writes; NORMAL is safe under WAL and much faster;
    # foreign keys stay off so bundles can be loaded in any file order.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite files get WAL, synchronous=NORMAL and foreign keys off."""
    full = normalise_url(url)
    try:
        parsed = make_url(full)
    except ArgumentError as exc:
        raise ConfigError(f"bad database URL '{url}': {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not Path(database).parent.exists():
            raise ConfigError(f"the folder of the SQLite database does not exist: {database}")
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, **kwargs)


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration pointing at the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["engine"] = engine
    return config


def migrate(url_or_engine: str | Engine, revision: str = "heads") -> Engine:
    """Bring the schema up to date (`upgrade heads`: the core and every area's branch)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot migrate {engine.url.render_as_string(hide_password=True)}: {exc}") from exc
    return engine
