"""Loading a bundle into the store: idempotent upserts by natural key, on bulk paths.

SQLite: `executemany` of `INSERT … ON CONFLICT DO UPDATE` in batches, all in one
transaction. PostgreSQL: `COPY` (CSV produced by Arrow) into a temporary table, then one
`INSERT … SELECT … ON CONFLICT DO UPDATE`. Loading the same bundle twice leaves the same rows.
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from redline.bundle import BundleRead, QuarantineRecord, ReadReport, read_bundle
from redline.bundle.convert import first_occurrence
from redline.errors import InputError, SourceLocation
from redline.store.columns import TABLE_MAPS, TableMap, sqlite_times, store_ready
from redline.store.faults import classify
from redline.store.holds import held_keys
from redline.store.quarantine import (
    KEEP_ON_UPDATE,
    QUARANTINE_MAP,
    UTC_TIME,
    QuarantineLoad,
    quarantine_table,
)
from redline.store.tables.quarantine import SOURCE_CHARS

Progress = Callable[[str, int, int], None]  # (table, rows done, rows in table)
BATCH = 50_000
SQLITE_CACHE_KIB = 512 * 1024
REBUILD_FROM = 20_000  # rows; below this, maintaining indexes row by row is cheaper


@dataclass(frozen=True, slots=True)
class TableLoad:
    """Counts for one table: rows in the bundle file, rows upserted, rows quarantined."""

    table: str
    filename: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did, table by table, with the rejected rows and the reader's notes."""

    source: str
    tables: tuple[TableLoad, ...]
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    read: ReadReport | None = None
    seconds: float = 0.0
    stored_quarantine: QuarantineLoad | None = None  # the quarantine as kept in the store

    @property
    def rows_loaded(self) -> int:
        return sum(t.rows_loaded for t in self.tables)


def _quote(name: str) -> str:
    return f'"{name}"'


def _upsert_sql(mapping: TableMap, source: str, *, postgres: bool, keep: tuple[str, ...] = ()) -> str:
    """`keep`: columns written by the insert that an update leaves as they are."""
    name = _quote(mapping.table.name)
    cols = ", ".join(_quote(c) for c in mapping.columns)
    keys = ", ".join(_quote(k) for k in mapping.key)
    values = [c for c in mapping.columns if c not in mapping.key and c not in keep]
    updates = ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in values)
    # Only rows that really changed are written, so re-loading a bundle costs lookups, not writes.
    differs = "IS DISTINCT FROM" if postgres else "IS NOT"
    json_cast = "::text" if postgres else ""  # PostgreSQL's json type has no equality operator
    changed = " OR ".join(
        f"{name}.{_quote(c)}{json_cast if c in mapping.json else ''} {differs} excluded.{_quote(c)}{json_cast if c in mapping.json else ''}"
        for c in values
    )
    return f"INSERT INTO {name} ({cols}) {source} ON CONFLICT ({keys}) DO UPDATE SET {updates} WHERE {changed}"


def _is_empty(connection: Connection, mapping: TableMap) -> bool:
    sql = f"SELECT 1 FROM {_quote(mapping.table.name)} LIMIT 1"  # noqa: S608 (our identifiers)
    return connection.exec_driver_sql(sql).first() is None


@contextmanager
def _indexes_rebuilt(connection: Connection, mapping: TableMap, rebuild: bool) -> Iterator[None]:
    """Drop the secondary indexes and build them once afterwards: into an empty table, one
    sort beats a million random B-tree insertions."""
    indexes = [i for i in mapping.table.indexes if not i.unique]
    if not rebuild or not indexes:
        yield
        return
    for index in indexes:
        index.drop(bind=connection)
    yield
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for index in indexes:
        index.create(bind=connection)


def _sqlite_columns(table: pa.Table) -> list[list[Any]]:
    lists = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_timestamp(kind):
            column = sqlite_times(column)
        elif kind == pa.date32():
            column = pc.cast(column, pa.string())
        elif kind == pa.bool_():
            column = pc.cast(column, pa.int64())
        lists.append(column.to_pylist())
    return lists


def _load_sqlite(
    connection: Connection, mapping: TableMap, table: pa.Table, progress: Progress | None, *, empty: bool,
    keep: tuple[str, ...] = (),
) -> None:
    del empty  # an upsert into an empty SQLite table costs no more than a plain insert
    placeholders = ", ".join("?" for _ in mapping.columns)
    sql = _upsert_sql(mapping, f"VALUES ({placeholders})", postgres=False, keep=keep)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    # Index pages of a million-row upsert do not fit SQLite's default 2 MB cache: give it room.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    total = table.num_rows
    for start in range(0, total, BATCH):
        chunk = table.slice(start, BATCH)
        cursor.executemany(sql, zip(*_sqlite_columns(chunk), strict=True))
        if progress:
            progress(mapping.table.name, min(start + BATCH, total), total)
    cursor.execute("PRAGMA cache_size=-2000")  # back to the default for the pooled connection
    cursor.close()


def _csv_chunk(table: pa.Table) -> bytes:
    # Times as UTC text ("2016-03-01 02:00:00.000000Z"): a plain cast, and timestamptz reads it.
    arrays = [pc.cast(pc.cast(c, pa.timestamp("us", tz="UTC")), pa.string()) if pa.types.is_timestamp(c.type) else c
              for c in table.columns]
    buffer = io.BytesIO()
    pacsv.write_csv(
        pa.table(arrays, names=table.column_names), buffer,
        write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return buffer.getvalue()


def _load_postgres(
    connection: Connection, mapping: TableMap, table: pa.Table, progress: Progress | None, *, empty: bool,
    keep: tuple[str, ...] = (),
) -> None:
    """COPY straight into an empty table (keys are unique already); otherwise COPY into a
    temporary table and upsert from it."""
    name = mapping.table.name
    target = _quote(name) if empty else f"_load_{name}"
    cols = ", ".join(_quote(c) for c in mapping.columns)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        if not empty:
            cursor.execute(f"DROP TABLE IF EXISTS {target}")
            cursor.execute(f"CREATE TEMP TABLE {target} (LIKE {_quote(name)} INCLUDING DEFAULTS) ON COMMIT DROP")
        total = table.num_rows
        # Arrow quotes every string, so "" stays an empty string and an empty field is NULL.
        with cursor.copy(f"COPY {target} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
            for start in range(0, total, BATCH):
                copy.write(_csv_chunk(table.slice(start, BATCH)))
                if progress:
                    progress(name, min(start + BATCH, total), total)
        if not empty:
            cursor.execute(_upsert_sql(mapping, f"SELECT {cols} FROM {target}", postgres=True, keep=keep))  # noqa: S608
            cursor.execute(f"DROP TABLE {target}")


def _dedupe(table: pa.Table, mapping: TableMap) -> pa.Table:
    """First row of each natural key wins (read_bundle already did this; callers may not)."""
    winners = first_occurrence([table.column(k).combine_chunks() for k in mapping.key])
    return table if winners.all() else table.filter(pa.array(winners))


def _store_quarantine(
    connection: Connection, source: str, records: list[QuarantineRecord], *, postgres: bool,
) -> QuarantineLoad:
    """Upsert this load's rejected rows of `source` and delete its rows no longer rejected."""
    now = datetime.now(UTC)
    table = _dedupe(quarantine_table(source, records, now), QUARANTINE_MAP)
    if table.num_rows:
        loader = _load_postgres if postgres else _load_sqlite
        empty = _is_empty(connection, QUARANTINE_MAP)
        with _indexes_rebuilt(connection, QUARANTINE_MAP, empty and table.num_rows >= REBUILD_FROM):
            loader(connection, QUARANTINE_MAP, table, None, empty=empty, keep=KEEP_ON_UPDATE)
    # Every row this load rejected now holds exactly this load's last_seen; any other row of the
    # source is one a fix let through. Equality, not "<", so a clock set back cannot keep it.
    # SQLite holds the text the bulk path wrote: compare with that very text.
    seen: object = now if postgres else sqlite_times(pa.array([now], UTC_TIME))[0].as_py()
    gone = connection.execute(
        text('DELETE FROM "quarantined_rows" WHERE "source" = :source AND "last_seen" <> :seen'),
        {"source": source, "seen": seen},
    )
    return QuarantineLoad(source, table.num_rows, gone.rowcount)


def _without_held(connection: Connection, mapping: TableMap, table: pa.Table) -> pa.Table:
    """The rows of `table` minus those whose stored row is under a hold (store.holds): a
    re-import leaves held evidence exactly as it was collected."""
    if not table.num_rows or len(mapping.key) != 1:
        return table
    frozen = held_keys(connection, mapping.table.name)
    if not frozen:
        return table
    keep = pc.invert(pc.is_in(table.column(mapping.key[0]), value_set=pa.array(sorted(frozen), pa.string())))
    return table.filter(keep)


def load_tables(
    engine: Engine, bundle: BundleRead, progress: Progress | None = None, *, source_name: str,
    also: Callable[[Connection], None] | None = None,
) -> tuple[list[TableLoad], QuarantineLoad]:
    """Upsert every table of an already-read bundle and its quarantine (as source `source_name`),
    in one transaction; `also` runs in that transaction last (the live watcher records how far
    it read a file there, so rows and position commit together or not at all)."""
    if len(source_name) > SOURCE_CHARS:
        raise InputError(f"bundle name longer than {SOURCE_CHARS} characters: pass a shorter name",
                         SourceLocation(source_name[:80]))
    postgres = engine.dialect.name == "postgresql"
    report = {f.filename: f for f in bundle.report.files} if bundle.report else {}
    loads = []
    try:
        with engine.begin() as connection:
            for mapping in TABLE_MAPS:
                source = getattr(bundle.tables, mapping.spec.table)
                table = _without_held(connection, mapping, store_ready(_dedupe(source, mapping), mapping))
                if table.num_rows:
                    empty = _is_empty(connection, mapping)
                    loader = _load_postgres if postgres else _load_sqlite
                    with _indexes_rebuilt(connection, mapping, empty and table.num_rows >= REBUILD_FROM):
                        loader(connection, mapping, table, progress, empty=empty)
                elif progress:
                    progress(mapping.table.name, 0, 0)
                file = report.get(mapping.spec.filename)
                loads.append(TableLoad(
                    mapping.spec.table, mapping.spec.filename,
                    file.rows_read if file else source.num_rows, table.num_rows,
                    file.rows_quarantined if file else 0,
                ))
            stored = _store_quarantine(connection, source_name, bundle.quarantined, postgres=postgres)
            if also is not None:
                also(connection)
    except (SQLAlchemyError, sqlite3.Error, psycopg.Error) as exc:  # bulk paths use the raw driver
        raise classify(exc, "load", SourceLocation(str(engine.url.render_as_string(hide_password=True)))) from exc
    return loads, stored


def load_bundle(
    engine: Engine, source: str | Path | BundleRead, progress: Progress | None = None, *, name: str | None = None,
) -> LoadReport:
    """Read (unless given a BundleRead) and upsert a bundle; returns counts per table.

    Idempotent: rows are keyed by the bundle's natural keys, a second load updates them in
    place. Rows the reader quarantined are in `report.quarantined` and in the store's
    `quarantined_rows` under the source `name` (default: the bundle's absolute path), which
    then holds exactly this load's rejected rows of that source (see `store.quarantine`).
    The schema must exist (`db.migrate`).
    """
    started = time.perf_counter()
    bundle = source if isinstance(source, BundleRead) else read_bundle(source)
    given = bundle.report.source if bundle.report else "<tables>"
    # absolute, so that `redline load b` and `redline load ./b` are one source
    where = name or (str(Path(given).resolve()) if bundle.report else given)
    loads, stored = load_tables(engine, bundle, progress, source_name=where)
    return LoadReport(given, tuple(loads), bundle.quarantined, bundle.report, time.perf_counter() - started, stored)
