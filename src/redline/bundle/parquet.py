"""A bundle as Parquet: one file per table with the internal columns (money in fen, times as
timezone-aware timestamps), for big-data platforms and `redline screen --engine spark`."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from redline.bundle.read import read_bundle
from redline.bundle.schema import FILES
from redline.errors import InputError, SourceLocation


def export_parquet(bundle: Path, out: Path) -> dict[str, int]:
    """Write every table of `bundle` as `<table>.parquet` under `out`; returns rows per table."""
    read = read_bundle(bundle)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror}", SourceLocation(out)) from exc
    rows: dict[str, int] = {}
    for spec in FILES:
        table = getattr(read.tables, spec.table)
        pq.write_table(table, out / f"{spec.table}.parquet", compression="zstd")
        rows[spec.table] = table.num_rows
    return rows
