"""Reading the bundle tables back out of the store as canonical Arrow tables.

`tables_from_store(engine)` is what an analysis over a loaded database starts from: the same
`BundleTables` that `read_bundle` gives (money in fen, times in Asia/Shanghai, unknown
columns restored from `extra`), rows ordered by natural key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from typing import Any

import orjson
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import JSON, Engine
from sqlalchemy.exc import SQLAlchemyError

from redline.contracts import BundleTables
from redline.errors import SourceLocation
from redline.store.columns import EXTRA, TABLE_MAPS, TableMap, times_from_sqlite
from redline.store.faults import classify


def _column(values: list[Any], kind: pa.DataType, sqlite: bool) -> pa.Array:
    if pa.types.is_timestamp(kind):
        if sqlite:
            return times_from_sqlite(pa.array(values, type=pa.string()))
        return pa.array(values, type=pa.timestamp("us", tz="UTC")).cast(kind)
    if kind == pa.date32() and sqlite:
        return pc.cast(pa.array(values, type=pa.string()), pa.date32())
    if kind == pa.bool_() and sqlite:
        return pc.cast(pa.array(values, type=pa.int64()), pa.bool_())
    array = pa.array(values, type=kind)
    if kind == pa.string():  # the store keeps "" for null; the bundle says null
        array = pc.if_else(pc.equal(array, ""), pa.nulls(len(array), pa.string()), array)
    return array


def _extras(values: list[Any]) -> dict[str, pa.Array]:
    """The `extra` JSON column back as string columns (absent when every row has none)."""
    parsed = [v if isinstance(v, dict) else orjson.loads(v) if v and v != "{}" else {} for v in values]
    names = list(dict.fromkeys(k for row in parsed for k in row))
    return {n: pa.array([row.get(n) for row in parsed], type=pa.string()) for n in names}


def _where(any_of: Mapping[str, Collection[str]], sqlite: bool) -> tuple[str, list[Any]]:
    """`WHERE a IN (…) OR b IN (…)` in the raw driver's parameter style, and its values."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, values in any_of.items():
        if sqlite:
            clauses.append(f'"{column}" IN ({", ".join("?" for _ in values)})' if values else "0")
            params.extend(values)
        else:
            clauses.append(f'"{column}" = ANY(%s)')
            params.append(list(values))
    return " WHERE " + " OR ".join(clauses), params


def read_table(engine: Engine, mapping: TableMap, any_of: Mapping[str, Collection[str]] | None = None) -> pa.Table:
    """One bundle table from the store, with the canonical schema (plus extra columns).

    `any_of` keeps the rows whose value in one of the named columns is among the given ones
    (the live pipeline re-analyses only the people and groups a new row concerns).
    """
    sqlite = engine.dialect.name == "sqlite"
    cols = ", ".join(f'"{c}"' for c in mapping.columns)
    order = ", ".join(f'"{k}"' for k in mapping.key)
    where, params = _where(any_of, sqlite) if any_of is not None else ("", [])
    # Identifiers come from our own table metadata, never from input; values are parameters.
    sql = f'SELECT {cols} FROM "{mapping.table.name}"{where} ORDER BY {order}'  # noqa: S608
    try:
        with engine.connect() as connection:
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(sql, params)  # the raw driver: plain tuples, no per-row SQLAlchemy objects
            rows = cursor.fetchall()
            cursor.close()
    except (SQLAlchemyError, sqlite3.Error, psycopg.Error) as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise classify(exc, f"read table {mapping.table.name}", SourceLocation(where)) from exc
    lists = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in mapping.columns]
    arrays = {}
    for field, values in zip(mapping.spec.schema, lists, strict=False):
        if isinstance(mapping.table.c[field.name].type, JSON):  # psycopg hands JSON back parsed
            values = [v if v is None or isinstance(v, str) else orjson.dumps(v).decode() for v in values]
        arrays[field.name] = _column(values, field.type, sqlite)
    extra_values = lists[mapping.columns.index(EXTRA)]
    for name, array in _extras(extra_values).items():
        if name not in arrays:
            arrays[name] = array
    return pa.table(arrays)


def tables_from_store(engine: Engine) -> BundleTables:
    """Every bundle table in the store as canonical Arrow tables (money in fen)."""
    return BundleTables(**{m.spec.table: read_table(engine, m) for m in TABLE_MAPS})
