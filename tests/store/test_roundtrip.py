"""Property: whatever the writer writes, the store gives back (bundle → load → tables_from_store)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import Engine

from redline.bundle import read_bundle, write_bundle
from redline.store import load_bundle, migrate, tables_from_store
from redline.vocab import PaymentKind

ids = st.text(alphabet="abcdef0123456789", min_size=1, max_size=6)
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=10)
times = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2090, 1, 1),  # noqa: DTZ001
                     timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))]))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = migrate(f"sqlite:///{tmp_path_factory.mktemp('rt') / 'r.db'}")
    yield engine
    engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=st.lists(ids, min_size=1, max_size=6, unique=True), data=st.data())
def test_payments_survive_the_store(engine: Engine, tmp_path_factory: pytest.TempPathFactory,
                                   keys: list[str], data: st.DataObject) -> None:
    rows: list[dict[str, Any]] = [{
        "payment_id": key, "time": data.draw(times), "payer": data.draw(ids), "payee": data.draw(text),
        "amount_fen": data.draw(st.none() | st.integers(0, 10**11)),
        "kind": data.draw(st.sampled_from([k.value for k in PaymentKind])), "memo": data.draw(text),
        "note": data.draw(text),  # an unknown column travels in `extra`
    } for key in keys]
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM payments")
    root: Path = write_bundle(tmp_path_factory.mktemp("b"), {"payments": rows})
    load_bundle(engine, root)
    stored = tables_from_store(engine).payments.to_pylist()
    expected = sorted(read_bundle(root).tables.payments.to_pylist(), key=lambda r: r["payment_id"])
    if all(r["note"] is None for r in expected):  # a column that is empty everywhere leaves no trace
        for row in expected:
            del row["note"]
    assert stored == expected
