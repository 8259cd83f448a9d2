"""`bundle.conform`: the one rule for bringing a table to the bundle schema, used by every reader."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

from redline.bundle.conform import conform
from redline.bundle.schema import BY_TABLE
from redline.errors import InputError

NAIVE = pa.table({"id": ["m1"], "time": pa.array([datetime(2026, 3, 2, 9, 0)], pa.timestamp("us"))})  # noqa: DTZ001 - the point


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(BY_TABLE)), keep=st.sets(st.integers(0, 20)), extra=st.booleans())
def test_any_subset_of_columns_conforms_to_the_schema(name: str, keep: set[int], extra: bool) -> None:
    schema = BY_TABLE[name].schema
    present = [f for i, f in enumerate(schema) if i in keep]
    data: dict[str, Any] = {f.name: pa.nulls(2, f.type) for f in present}
    if extra:
        data["note_x"] = pa.array(["a", None])
    table = pa.table(data) if data else pa.table({"note_x": pa.array(["a", None])})
    out = conform(table, name)
    assert out.schema == schema
    assert out.num_rows == table.num_rows
    kept = conform(table, name, extras=True)
    assert kept.schema.names[: len(schema)] == schema.names
    assert ("note_x" in kept.schema.names) == ("note_x" in table.column_names)


def _payment_frame(table: pa.Table) -> Any:
    from redline.contracts import BundleTables
    from redline.payments.frame import PaymentFrame

    empty = {n: BY_TABLE[n].schema.empty_table() for n in BY_TABLE}
    return PaymentFrame(BundleTables(**{**empty, "messages": table}))


def _group_frame(table: pa.Table) -> Any:
    from redline.contracts import BundleTables
    from redline.groups.frame import connect

    empty = {n: BY_TABLE[n].schema.empty_table() for n in BY_TABLE}
    return connect(BundleTables(**{**empty, "messages": table}))


def _writer(table: pa.Table) -> Any:
    from redline.bundle import internal_table

    return internal_table("messages", table)


@pytest.mark.parametrize("reader", [lambda t: conform(t, "messages"), _writer, _payment_frame, _group_frame],
                         ids=["conform", "bundle-writer", "payment-frame", "group-frame"])
def test_every_reader_refuses_naive_timestamps(reader: Any) -> None:
    with pytest.raises(InputError, match="naive timestamps refused") as info:
        reader(NAIVE)
    assert info.value.location is not None
    assert info.value.location.field == "time"


def test_a_value_that_cannot_take_the_type_names_its_column() -> None:
    with pytest.raises(InputError, match="cannot be int64") as info:
        conform(pa.table({"payment_id": ["x"], "amount_fen": ["12 yuan"]}), "payments")
    assert info.value.location is not None
    assert info.value.location.field == "amount_fen"
