"""The demo county end to end: bundle → store → bundle tables, with nothing quarantined."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from redline.bundle import read_bundle
from redline.bundle.schema import FILES, FileSpec
from redline.store import load_bundle, migrate, tables_from_store


def _plain(table: pa.Table, spec: FileSpec) -> pa.Table:
    """Canonical columns in key order, as the store keeps them: "" is null, null flags are false."""
    columns = []
    for field in spec.schema:
        column = table.column(field.name)
        if field.type == pa.string():
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        elif field.type == pa.bool_():
            column = pc.fill_null(column, False)
        columns.append(column)
    return pa.table(columns, schema=spec.schema).sort_by([(k, "ascending") for k in spec.key])


def test_the_demo_county_loads_whole_and_reads_back(db_url: str, demo_bundle: Any) -> None:
    engine = migrate(db_url)
    read = read_bundle(demo_bundle.bundle_path)
    report = load_bundle(engine, read)
    assert report.quarantined == []
    assert {t.table: t.rows_loaded for t in report.tables} == {s.table: getattr(read.tables, s.table).num_rows for s in FILES}
    assert report.rows_loaded > 200_000
    stored = tables_from_store(engine)
    for spec in FILES:
        got, want = _plain(getattr(stored, spec.table), spec), _plain(getattr(read.tables, spec.table), spec)
        assert got.equals(want), spec.table
    engine.dispose()
