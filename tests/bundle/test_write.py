from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from redline.bundle import (
    QuarantineRecord,
    read_bundle,
    read_quarantine,
    write_bundle,
    write_quarantine,
)
from redline.bundle.schema import FILES, TIMESTAMP
from redline.errors import InputError


def test_round_trip_of_every_table(tmp_path: Path, sample_tables: dict[str, list[dict[str, Any]]]) -> None:
    read = read_bundle(write_bundle(tmp_path / "b", sample_tables))
    assert read.quarantined == []
    people = read.tables.people.to_pylist()
    assert people[0]["start_date"] == date(2012, 3, 1)
    assert people[1]["unit"] is None  # CSV: "" and null are one empty field
    assert people[1]["phone"] == "138 0000 0000"  # unknown column kept
    payments = read.tables.payments
    assert payments.column("amount_fen").to_pylist() == [20000, 20000, 20000, 500000]
    assert payments.column("time").to_pylist()[3] == datetime(2016, 5, 24, 12, 0, tzinfo=UTC)
    messages = read.tables.messages.to_pylist()
    assert messages[1]["time"].microsecond == 250000
    assert messages[1]["text"] == ""
    assert messages[1]["attachment"] == '{"name":"通知.pdf","size":1024,"sha256":"ab","path":"f/1"}'
    for spec in FILES:
        table = getattr(read.tables, spec.table)
        assert table.schema.names[: len(spec.schema)] == spec.schema.names
        assert len(table) == len(sample_tables[spec.table])


def test_money_and_times_in_the_csv(tmp_path: Path, sample_tables: dict[str, list[dict[str, Any]]]) -> None:
    root = write_bundle(tmp_path / "b", {"payments": sample_tables["payments"]})
    text = (root / "payments.csv").read_text(encoding="utf-8").splitlines()
    assert text[0].replace('"', "") == "payment_id,time,payer,payee,amount_yuan,kind,channel,conversation,memo,status,packet_id"
    assert '"200.00"' in text[1]
    assert '"2016-03-02T20:00:00+08:00"' in text[2]
    assert '"5000.00"' in text[4]
    assert '"2016-05-24T20:00:00+08:00"' in text[4]
    assert (root / "people.csv").exists()  # always written, so the folder reads as a bundle


def test_arrow_input_and_zip_output(tmp_path: Path, sample_tables: dict[str, list[dict[str, Any]]]) -> None:
    first = read_bundle(write_bundle(tmp_path / "a", sample_tables)).tables
    again = read_bundle(write_bundle(tmp_path / "b.zip", {s.table: getattr(first, s.table) for s in FILES})).tables
    for spec in FILES:
        assert getattr(again, spec.table).equals(getattr(first, spec.table)), spec.table


@pytest.mark.parametrize(("tables", "message"), [
    ({"payments": [{"payment_id": "x", "time": datetime(2016, 3, 1, 10), "payer": "a", "kind": "transfer"}]}, "naive"),  # noqa: DTZ001
    ({"payments": pa.table({"payment_id": ["x"], "time": pa.array([0], pa.timestamp("us"))})}, "naive"),
    ({"payments": [{"payment_id": "x", "time": datetime(2016, 3, 1, tzinfo=UTC), "amount_fen": -1}]}, "negative"),
    ({"payments": [{"payment_id": "x", "amount_yuan": "2.00"}]}, "amount_fen"),
    ({"people": [{"person_id": "x", "start_date": "2016-01-01"}]}, "expected a date"),
    ({"chats": []}, "unknown bundle table"),
    ({"messages": [{"id": "m", "time": datetime(2016, 3, 1, tzinfo=UTC), "conversation": "g", "attachment": "{oops"}]},
     "cannot be written as JSON"),
], ids=["naive-datetime", "naive-arrow", "negative-money", "yuan-inside", "date-as-text", "unknown-table",
        "attachment-not-json"])
def test_refuses_what_could_not_be_read_back(tmp_path: Path, tables: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        write_bundle(tmp_path / "b", tables)


def test_timestamps_in_another_zone_are_the_same_instant(tmp_path: Path) -> None:
    utc = pa.array([datetime(2016, 3, 1, 2, 0, tzinfo=UTC)], pa.timestamp("us", tz="UTC"))
    table = pa.table({"payment_id": ["x"], "time": utc, "payer": ["a"], "kind": ["transfer"], "amount_fen": [1]})
    [value] = read_bundle(write_bundle(tmp_path / "b", {"payments": table})).tables.payments.column("time").to_pylist()
    assert value == datetime(2016, 3, 1, 2, 0, tzinfo=UTC)
    assert str(TIMESTAMP) == "timestamp[us, tz=Asia/Shanghai]"


def test_quarantine_file_round_trip(tmp_path: Path) -> None:
    records = [QuarantineRecord("payments.csv", 3, "amount_yuan", "negative amount: '-5'", "t3,…,-5"),
               QuarantineRecord("messages.jsonl", 9, "", "invalid JSON", "{oops")]
    written = write_quarantine(tmp_path, records)
    assert written == tmp_path / "quarantine.jsonl"
    assert read_quarantine(tmp_path) == records
    assert write_quarantine(tmp_path, []).read_text() == ""  # a stale quarantine never survives
