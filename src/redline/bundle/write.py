"""Writing a canonical bundle from tables in the internal form (fen, tz-aware times).

The inverse of `read_bundle`: money leaves as `amount_yuan` with two decimals, times as ISO
8601 with their +08:00 offset, booleans as true/false, and unknown columns as extra string
columns. Naive datetimes and negative money are refused, because reading them back could not
give the same rows. CSV cannot tell "" from null: both are written as an empty field.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from redline.bundle.conform import conform
from redline.bundle.schema import BY_TABLE, MESSAGES, PEOPLE, TIMESTAMP, TZ, FileSpec, csv_columns
from redline.errors import InputError, SourceLocation

TableLike: TypeAlias = pa.Table | Sequence[Mapping[str, Any]]


def _refuse(spec: FileSpec, message: str, column: str | None = None) -> InputError:
    return InputError(message, SourceLocation(spec.filename, field=column))


def _from_rows(spec: FileSpec, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    columns: dict[str, pa.Array] = {}
    for schema_field in spec.schema:
        name = schema_field.name
        values = [row.get(name) for row in rows]
        if schema_field.type == TIMESTAMP:
            for index, value in enumerate(values):
                if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
                    raise _refuse(spec, f"row {index}: naive or non-datetime time refused: {value!r} (use a tz-aware datetime)", name)
        elif schema_field.type == pa.date32():
            for index, value in enumerate(values):
                if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
                    raise _refuse(spec, f"row {index}: expected a date, got {value!r}", name)
        elif name == "attachment":
            values = [orjson.dumps(v).decode() if isinstance(v, dict) else v for v in values]
        try:
            columns[name] = pa.array(values, type=schema_field.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise _refuse(spec, f"bad values: {exc}", name) from exc
    known = set(spec.schema.names)
    extras = list(dict.fromkeys(k for row in rows for k in row if k not in known))
    for name in extras:
        values = [row.get(name) for row in rows]
        columns[name] = pa.array(
            [v if v is None or isinstance(v, str) else orjson.dumps(v, default=str).decode() for v in values],
            type=pa.string(),
        )
    return pa.table(columns) if columns else spec.schema.empty_table()


def internal_table(name: str, data: TableLike) -> pa.Table:
    """Any accepted input for bundle table `name` as an Arrow table with the canonical columns first."""
    spec = BY_TABLE.get(name)
    if spec is None:
        raise InputError(f"unknown bundle table '{name}' (expected one of {', '.join(BY_TABLE)})")
    table = conform(data, name, extras=True) if isinstance(data, pa.Table) else _from_rows(spec, data)
    if spec.table == "payments":
        if "amount_yuan" in table.column_names:
            raise _refuse(spec, "internal tables carry amount_fen, not amount_yuan", "amount_yuan")
        if pc.any(pc.less(table.column("amount_fen"), 0)).as_py():
            raise _refuse(spec, "negative amounts cannot be written (the reader refuses them)", "amount_fen")
    return table


def format_times(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Timestamps as ISO 8601 in China time with offset: 2016-03-01T10:00:00+08:00."""
    local = pc.cast(column, TIMESTAMP)
    micros = pc.cast(pc.cast(local, pa.timestamp("us", tz=TZ)), pa.int64())
    if pc.any(pc.not_equal(pc.remainder(micros, 1_000_000), 0)).as_py():
        text = pc.strftime(local, format="%Y-%m-%dT%H:%M:%S%z")
    else:
        text = pc.strftime(pc.cast(local, pa.timestamp("s", tz=TZ)), format="%Y-%m-%dT%H:%M:%S%z")
    return pc.replace_substring_regex(text, r"([+-]\d{2})(\d{2})$", r"\1:\2")


def format_yuan(fen: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Non-negative int fen as yuan text with two decimals: 420000 → "4200.00"."""
    yuan = pc.divide(fen, 100)  # integer division for non-negative ints
    cents = pc.subtract(fen, pc.multiply(yuan, 100))
    return pc.binary_join_element_wise(
        pc.cast(yuan, pa.string()), pc.utf8_lpad(pc.cast(cents, pa.string()), 2, "0"), ".",
    )


def _csv_bytes(spec: FileSpec, table: pa.Table) -> bytes:
    out: dict[str, pa.Array] = {}
    header = csv_columns(spec)
    for out_name, name in zip(header, spec.schema.names, strict=True):
        column = table.column(name)
        kind = spec.schema.field(name).type
        if kind == TIMESTAMP:
            out[out_name] = format_times(column)
        elif kind == pa.bool_():
            out[out_name] = pc.if_else(column, "true", "false")
        elif name == "amount_fen":
            out[out_name] = format_yuan(column)
        else:
            out[out_name] = pc.cast(column, pa.string())
    for name in table.column_names[len(spec.schema):]:
        out[name] = table.column(name)
    buffer = io.BytesIO()
    pacsv.write_csv(pa.table(out), buffer, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return buffer.getvalue()


def _jsonl_bytes(spec: FileSpec, table: pa.Table) -> bytes:
    """JSON Lines written by DuckDB's JSON writer: a C++ pass over the columns, and the
    attachment text is checked to be JSON on the way (one Python call per row was 2.5x slower)."""
    if table.num_rows == 0:
        return b""
    table = table.set_column(table.column_names.index("time"), "time", format_times(table.column("time")))
    select = ", ".join(
        f"{_ident(name)}::JSON AS {_ident(name)}" if name == "attachment" else _ident(name)
        for name in table.column_names
    )
    connection = duckdb.connect()
    try:
        connection.execute("SET enable_progress_bar = false")
        connection.register("messages", table)
        with tempfile.TemporaryDirectory(prefix="redline-jsonl-") as tmp:
            target = Path(tmp) / spec.filename
            # Quoted identifiers of our own columns and a path in our own temp dir.
            connection.execute(f"COPY (SELECT {select} FROM messages) TO '{target}' (FORMAT JSON)")  # noqa: S608
            return target.read_bytes()
    except duckdb.Error as exc:
        raise _refuse(spec, f"cannot be written as JSON: {exc}", "attachment") from exc
    finally:
        connection.close()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def bundle_files(tables: Mapping[str, TableLike]) -> dict[str, bytes]:
    """The bundle's files as bytes, by file name (people.csv always, even when empty)."""
    files: dict[str, bytes] = {}
    given = dict(tables)
    given.setdefault(PEOPLE.table, PEOPLE.schema.empty_table())
    for name, data in given.items():
        table = internal_table(name, data)
        spec = BY_TABLE[name]
        files[spec.filename] = _jsonl_bytes(spec, table) if spec is MESSAGES else _csv_bytes(spec, table)
    return files


def write_bundle(path: str | Path, tables: Mapping[str, TableLike]) -> Path:
    """Write tables (Arrow or lists of dicts, internal form) as a bundle folder or a .zip.

    `tables` may hold any subset of the seven tables, by table name ("people", "payments",
    …); people.csv is always written, the others only when given. Returns the path written.
    """
    target = Path(path)
    files = bundle_files(tables)
    try:
        if target.suffix.lower() == ".zip":
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for filename, data in files.items():
                    archive.writestr(filename, data)
        else:
            target.mkdir(parents=True, exist_ok=True)
            for filename, data in files.items():
                (target / filename).write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write bundle: {exc.strerror}", SourceLocation(target)) from exc
    return target
