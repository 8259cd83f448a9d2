"""How far each source was read (table `source_positions`), written with the rows it covers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from redline.store.tables.live import SourcePosition


@dataclass(frozen=True, slots=True)
class Position:
    """A source's position and the identity (device:inode, SDK corp) it belongs to."""

    position: int
    identity: str


def read_positions(engine: Engine, prefix: str) -> dict[str, Position]:
    """Every stored position whose source starts with `prefix`."""
    table = SourcePosition.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.source, table.c.position, table.c.identity)
                            .where(table.c.source.startswith(prefix, autoescape=True)))
        return {source: Position(int(position), identity) for source, position, identity in rows}


def writer(source: str, position: int, identity: str) -> Callable[[Connection], None]:
    """A step for `load_tables(also=…)`: record `position` in the load's own transaction."""

    def write(conn: Connection) -> None:
        save_position(conn, source, position, identity)

    return write


def save_position(conn: Connection, source: str, position: int, identity: str) -> None:
    """Upsert one position inside the caller's transaction."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SourcePosition.__table__).values(  # type: ignore[arg-type]
        source=source, position=position, identity=identity, updated_at=datetime.now(UTC))
    conn.execute(stmt.on_conflict_do_update(index_elements=["source"], set_={
        "position": stmt.excluded.position, "identity": stmt.excluded.identity,
        "updated_at": stmt.excluded.updated_at}))
