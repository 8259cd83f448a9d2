from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import Engine, inspect

from redline.bundle import read_bundle, write_bundle
from redline.bundle.schema import FILES
from redline.errors import ServerFault
from redline.store import load_bundle, migrate, tables_from_store


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = migrate(db_url)
    yield engine
    engine.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {s.table: connection.exec_driver_sql(f'SELECT count(*) FROM "{s.table}"').scalar_one() for s in FILES}


def _canonical(table: pa.Table) -> list[dict[str, Any]]:
    """Rows as the store keeps them: "" is null, null booleans are false; in key order."""
    rows = [{k: None if v == "" else v for k, v in row.items()} for row in table.to_pylist()]
    for row in rows:
        for key in ("is_official", "external", "registered", "daily_report"):
            if key in row and row[key] is None:
                row[key] = False
    return sorted(rows, key=lambda r: tuple(str(v) for v in r.values()))


def test_load_then_read_back_gives_the_bundle(engine: Engine, sample_bundle: Path) -> None:
    report = load_bundle(engine, sample_bundle)
    assert {t.table: t.rows_loaded for t in report.tables} == {
        "people": 2, "relations": 1, "groups": 1, "memberships": 1, "messages": 2, "payments": 4, "events": 1}
    stored = tables_from_store(engine)
    read = read_bundle(sample_bundle).tables
    for spec in FILES:
        got, want = getattr(stored, spec.table), getattr(read, spec.table)
        assert got.schema == want.schema, spec.table  # canonical types, extra columns restored
        assert _canonical(got) == _canonical(want), spec.table


def test_loading_twice_leaves_the_same_rows(engine: Engine, sample_bundle: Path) -> None:
    load_bundle(engine, sample_bundle)
    first = tables_from_store(engine)
    load_bundle(engine, read_bundle(sample_bundle))
    second = tables_from_store(engine)
    assert _counts(engine)["payments"] == 4
    for spec in FILES:
        assert getattr(second, spec.table).equals(getattr(first, spec.table)), spec.table


def test_a_later_load_updates_rows_in_place(engine: Engine, tmp_path: Path, sample_tables: dict[str, Any]) -> None:
    load_bundle(engine, write_bundle(tmp_path / "a", sample_tables))
    changed = [dict(row, amount_fen=19900) if row["payment_id"] == "wx01" else row for row in sample_tables["payments"]]
    changed.append({"payment_id": "new", "time": datetime(2017, 1, 1, tzinfo=UTC), "payer": "m1", "kind": "transfer"})
    load_bundle(engine, write_bundle(tmp_path / "b", {"payments": changed}))
    amounts = dict(zip(*tables_from_store(engine).payments.select(["payment_id", "amount_fen"]).to_pydict().values(), strict=True))
    assert amounts == {"new": None, "tr1": 500000, "wx00": 20000, "wx01": 19900, "wx02": 20000}
    assert _counts(engine)["people"] == 2  # not in the second bundle: untouched


def test_quarantined_rows_are_reported_not_loaded(engine: Engine, sample_bundle: Path) -> None:
    with (sample_bundle / "payments.csv").open("a", encoding="utf-8") as out:
        out.write('"bad1","2016-03-01T10:00:00+08:00","m1","p1","-3.00","red_packet",,,,,\n')
    report = load_bundle(engine, sample_bundle)
    payments = next(t for t in report.tables if t.table == "payments")
    assert (payments.rows_read, payments.rows_loaded, payments.rows_quarantined) == (5, 4, 1)
    assert [(q.file, q.line, q.field) for q in report.quarantined] == [("payments.csv", 6, "amount_yuan")]
    assert _counts(engine)["payments"] == 4


def test_progress_reports_every_table(engine: Engine, sample_bundle: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    load_bundle(engine, sample_bundle, progress=lambda table, done, total: seen.append((table, done, total)))
    assert {t for t, _, _ in seen} == {s.table for s in FILES}
    assert ("payments", 4, 4) in seen


def test_a_missing_schema_is_one_clear_error(db_url: str, sample_bundle: Path) -> None:
    from redline.store import make_engine

    engine = make_engine(db_url)
    with pytest.raises(ServerFault, match="schema is missing or old") as caught:
        load_bundle(engine, sample_bundle)
    assert not caught.value.unavailable  # a 500 for the operator, not a 400 for the user
    engine.dispose()


def test_bulk_path_rebuilds_the_secondary_indexes(engine: Engine, sample_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import redline.store.load

    monkeypatch.setattr(redline.store.load, "REBUILD_FROM", 1)  # take the bulk path on a small bundle
    load_bundle(engine, sample_bundle)
    indexes = {i["name"] for table in ("payments", "messages") for i in inspect(engine).get_indexes(table)}
    assert indexes >= {"ix_payments_payee_time", "ix_payments_payer_time", "ix_messages_conversation_time", "ix_messages_sender"}
    assert _counts(engine)["payments"] == 4


def test_reading_an_unmigrated_database_is_one_clear_error(db_url: str) -> None:
    from redline.store import make_engine

    engine = make_engine(db_url)
    with pytest.raises(ServerFault, match="schema is missing or old"):
        tables_from_store(engine)
    engine.dispose()
