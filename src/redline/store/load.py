"""Loading a bundle into the store: idempotent upserts by natural key, on bulk paths.

SQLite: `executemany` of `INSERT … ON CONFLICT DO UPDATE` in batches, all in one
transaction. PostgreSQL: `COPY` (CSV produced by Arrow) into a temporary table, then one
`INSERT … SELECT … ON CONFLICT DO UPDATE`. Loading the same bundle twice leaves the same rows.
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from redline.bundle import BundleRead, QuarantineRecord, ReadReport, read_bundle
from redline.bundle.convert import first_occurrence
from redline.bundle.write import format_times
from redline.errors import InputError, SourceLocation
from redline.store.columns import TABLE_MAPS, TableMap, sqlite_times, store_ready

Progress = Callable[[str, int, int], None]  # (table, rows done, rows in table)
BATCH = 50_000


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

    @property
    def rows_loaded(self) -> int:
        return sum(t.rows_loaded for t in self.tables)


def _quote(name: str) -> str:
    return f'"{name}"'


def _upsert_sql(mapping: TableMap, source: str) -> str:
    cols = ", ".join(_quote(c) for c in mapping.columns)
    keys = ", ".join(_quote(k) for k in mapping.key)
    updates = ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in mapping.columns if c not in mapping.key)
    return f"INSERT INTO {_quote(mapping.table.name)} ({cols}) {source} ON CONFLICT ({keys}) DO UPDATE SET {updates}"


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


def _load_sqlite(connection: Connection, mapping: TableMap, table: pa.Table, progress: Progress | None) -> None:
    placeholders = ", ".join("?" for _ in mapping.columns)
    sql = _upsert_sql(mapping, f"VALUES ({placeholders})")
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    total = table.num_rows
    for start in range(0, total, BATCH):
        chunk = table.slice(start, BATCH)
        cursor.executemany(sql, zip(*_sqlite_columns(chunk), strict=True))
        if progress:
            progress(mapping.table.name, min(start + BATCH, total), total)
    cursor.close()


def _csv_chunk(table: pa.Table) -> bytes:
    arrays = [format_times(c) if pa.types.is_timestamp(c.type) else c for c in table.columns]
    buffer = io.BytesIO()
    pacsv.write_csv(
        pa.table(arrays, names=table.column_names), buffer,
        write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return buffer.getvalue()


def _load_postgres(connection: Connection, mapping: TableMap, table: pa.Table, progress: Progress | None) -> None:
    name = mapping.table.name
    temp = f"_load_{name}"
    cols = ", ".join(_quote(c) for c in mapping.columns)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMP TABLE {temp} (LIKE {_quote(name)} INCLUDING DEFAULTS) ON COMMIT DROP")
        total = table.num_rows
        # Arrow quotes every string, so "" stays an empty string and an empty field is NULL.
        with cursor.copy(f"COPY {temp} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
            for start in range(0, total, BATCH):
                copy.write(_csv_chunk(table.slice(start, BATCH)))
                if progress:
                    progress(name, min(start + BATCH, total), total)
        cursor.execute(_upsert_sql(mapping, f"SELECT {cols} FROM {temp}"))  # noqa: S608 (our identifiers)
        cursor.execute(f"DROP TABLE {temp}")


def _dedupe(table: pa.Table, mapping: TableMap) -> pa.Table:
    """First row of each natural key wins (read_bundle already did this; callers may not)."""
    winners = first_occurrence([table.column(k).combine_chunks() for k in mapping.key])
    return table if winners.all() else table.filter(pa.array(winners))


def load_tables(engine: Engine, bundle: BundleRead, progress: Progress | None = None) -> list[TableLoad]:
    """Upsert every table of an already-read bundle, in one transaction."""
    postgres = engine.dialect.name == "postgresql"
    report = {f.filename: f for f in bundle.report.files} if bundle.report else {}
    loads = []
    try:
        with engine.begin() as connection:
            for mapping in TABLE_MAPS:
                source = getattr(bundle.tables, mapping.spec.table)
                table = store_ready(_dedupe(source, mapping), mapping)
                if table.num_rows:
                    (_load_postgres if postgres else _load_sqlite)(connection, mapping, table, progress)
                elif progress:
                    progress(mapping.table.name, 0, 0)
                file = report.get(mapping.spec.filename)
                loads.append(TableLoad(
                    mapping.spec.table, mapping.spec.filename,
                    file.rows_read if file else source.num_rows, table.num_rows,
                    file.rows_quarantined if file else 0,
                ))
    except (SQLAlchemyError, sqlite3.Error, psycopg.Error) as exc:  # bulk paths use the raw driver
        raise InputError(f"load failed: {exc}", SourceLocation(str(engine.url.render_as_string(hide_password=True)))) from exc
    return loads


def load_bundle(engine: Engine, source: str | Path | BundleRead, progress: Progress | None = None) -> LoadReport:
    """Read (unless given a BundleRead) and upsert a bundle; returns counts per table.

    Idempotent: rows are keyed by the bundle's natural keys, a second load updates them in
    place. Rows the reader quarantined are in `report.quarantined` (not in the store).
    The schema must exist (`db.migrate`).
    """
    started = time.perf_counter()
    bundle = source if isinstance(source, BundleRead) else read_bundle(source)
    name = bundle.report.source if bundle.report else "<tables>"
    loads = load_tables(engine, bundle, progress)
    return LoadReport(name, tuple(loads), bundle.quarantined, bundle.report, time.perf_counter() - started)
