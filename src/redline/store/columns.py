"""How bundle columns map onto store columns: names, natural keys, and the null conventions.

Store string and boolean columns that are NOT NULL take "" and false where the bundle has
null (a CSV cannot tell "" from null anyway); `tables_from_store` turns "" back into null.
Unknown bundle columns travel in the JSON column `extra`. Times are stored as UTC: SQLite
holds naive UTC text ("YYYY-MM-DD HH:MM:SS.ffffff", SQLAlchemy's own format), PostgreSQL
holds timestamptz.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import orjson
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import JSON, Table

import redline.store.tables  # noqa: F401  (registers every table on the metadata)
from redline.bundle.conform import conform
from redline.bundle.schema import BY_TABLE, FILES, TIMESTAMP, FileSpec
from redline.store.base import Base

EXTRA: Final = "extra"
EMPTY_EXTRA: Final = "{}"


@dataclass(frozen=True, slots=True)
class TableMap:
    """One bundle table and the store table it is loaded into."""

    spec: FileSpec
    table: Table
    columns: tuple[str, ...]  # store columns written by a load, in order (canonical + extra)
    key: tuple[str, ...]
    not_null: frozenset[str]
    json: frozenset[str]  # JSON-typed store columns


def table_map(name: str) -> TableMap:
    """The mapping for bundle table `name` ("people", "payments", …)."""
    spec = BY_TABLE[name]
    table = Base.metadata.tables[name]
    columns = (*spec.schema.names, EXTRA)
    not_null = frozenset(c.name for c in table.columns if not c.nullable and c.name in columns)
    json = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
    return TableMap(spec, table, columns, spec.key, not_null, json)


TABLE_MAPS: Final[tuple[TableMap, ...]] = tuple(table_map(spec.table) for spec in FILES)


def extra_json(table: pa.Table, spec: FileSpec) -> pa.Array:
    """The unknown columns of a bundle table as one JSON object per row ("{}" when none)."""
    names = [n for n in table.column_names if n not in spec.schema.names]
    if not names:
        return pa.array([EMPTY_EXTRA] * table.num_rows, type=pa.string())
    lists = [table.column(n).to_pylist() for n in names]
    texts = []
    for values in zip(*lists, strict=True):
        row = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        texts.append(orjson.dumps(row).decode())
    return pa.array(texts, type=pa.string())


def store_ready(table: pa.Table, mapping: TableMap) -> pa.Table:
    """A bundle table with the store's null conventions applied (times still as timestamps)."""
    arrays = {}
    canonical = conform(table, mapping.spec.table)
    for field in mapping.spec.schema:
        column = canonical.column(field.name)
        if field.name in mapping.not_null:
            if field.type == pa.string():
                column = pc.fill_null(column, "")
            elif field.type == pa.bool_():
                column = pc.fill_null(column, False)
        arrays[field.name] = column
    arrays[EXTRA] = extra_json(table, mapping.spec)
    return pa.table(arrays)


def sqlite_times(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Timestamps as SQLAlchemy's SQLite text, in UTC: 2016-03-01 02:00:00.000000."""
    utc = pc.cast(column, pa.timestamp("us", tz="UTC"))
    return pc.strftime(utc, format="%Y-%m-%d %H:%M:%S")  # %S carries the microseconds


def times_from_sqlite(values: pa.Array) -> pa.Array:
    """SQLite's naive UTC text back to canonical timestamps (Asia/Shanghai)."""
    naive = pc.cast(values, pa.timestamp("us"))
    return pc.assume_timezone(naive, "UTC").cast(TIMESTAMP)
