"""Conforming a table to the bundle schema: the one rule every reader of bundle tables applies.

`conform(table, name)` gives bundle table `name` with the canonical columns in schema order,
cast to the schema's types; a column the table lacks arrives as nulls (an absent file is
an empty table). A naive timestamp is refused, never guessed: a naive time could be UTC or
China time, and an 8-hour guess would move gifts across days. A value that cannot take the
schema's type is refused too, naming the column. Unknown columns are dropped, or with
`extras=True` kept after the canonical ones as text (the bundle writer's convention).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from redline.bundle.schema import BY_TABLE
from redline.errors import InputError, SourceLocation


def conform(table: pa.Table, name: str, *, extras: bool = False, source: str | None = None) -> pa.Table:
    """Table `name` in the canonical schema (see module doc); InputError located at `source`
    (by default the bundle file's name) and the offending column."""
    spec = BY_TABLE.get(name)
    if spec is None:
        raise InputError(f"unknown bundle table '{name}' (expected one of {', '.join(BY_TABLE)})")
    where = source or spec.filename
    n = table.num_rows
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for fld in spec.schema:
        if fld.name not in table.column_names:
            columns[fld.name] = pa.nulls(n, fld.type)
            continue
        column = table.column(fld.name)
        if pa.types.is_timestamp(column.type) and column.type.tz is None:
            raise InputError("naive timestamps refused: give the column a time zone", SourceLocation(where, field=fld.name))
        try:
            columns[fld.name] = column if column.type == fld.type else pc.cast(column, fld.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise InputError(f"cannot be {fld.type}: {exc}", SourceLocation(where, field=fld.name)) from exc
    if not extras:
        return pa.Table.from_arrays(list(columns.values()), schema=spec.schema)
    for extra in table.column_names:
        if extra not in columns:
            try:
                columns[extra] = pc.cast(table.column(extra), pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise InputError(f"extra column cannot be written as text: {exc}",
                                 SourceLocation(where, field=extra)) from exc
    return pa.table(columns)
