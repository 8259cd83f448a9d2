"""Property tests of the bundle reader: it only ever raises our errors, loses no good row,
and reads back exactly what the writer wrote."""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from hypothesis import HealthCheck, given, settings, strategies as st

from redline.bundle import read_bundle, write_bundle
from redline.bundle.schema import PAYMENTS_CSV_COLUMNS
from redline.bundle.write import format_times
from redline.errors import RedlineError
from redline.vocab import Channel, PaymentKind

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ids = st.text(alphabet="abcdefghijk0123456789-_", min_size=1, max_size=8)
free_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))])
times = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2090, 1, 1), timezones=zones)  # noqa: DTZ001


@st.composite
def payments(draw: st.DrawFn) -> list[dict[str, Any]]:
    keys = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    return [{
        "payment_id": key, "time": draw(times), "payer": draw(ids), "payee": draw(free_text),
        "amount_fen": draw(st.none() | st.integers(0, 10**11)),
        "kind": draw(st.sampled_from(list(PaymentKind))).value,
        "channel": draw(st.none() | st.sampled_from([c.value for c in Channel])),
        "conversation": draw(free_text), "memo": draw(free_text), "status": None, "packet_id": draw(free_text),
    } for key in keys]


def _expected(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a CSV read gives back: the same instants, "" as null."""
    return [{k: (None if v == "" else v) for k, v in row.items()} for row in rows]


def _people(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "people.csv").write_text("person_id\np1\n")


@SETTINGS
@given(rows=payments())
def test_write_then_read_round_trips(tmp_path_factory: Any, rows: list[dict[str, Any]]) -> None:
    root = tmp_path_factory.mktemp("rt")
    read = read_bundle(write_bundle(root / "b", {"payments": rows}))
    assert read.quarantined == []
    assert read.tables.payments.to_pylist() == _expected(rows)


@SETTINGS
@given(texts=st.lists(st.one_of(st.none(), st.text(max_size=15)), min_size=1, max_size=6))
def test_message_texts_round_trip_exactly(tmp_path_factory: Any, texts: list[str | None]) -> None:
    when = datetime(2016, 3, 1, tzinfo=UTC)
    rows = [{"id": f"m{i}", "time": when, "conversation": "g", "text": t} for i, t in enumerate(texts)]
    read = read_bundle(write_bundle(tmp_path_factory.mktemp("msg") / "b", {"messages": rows}))
    assert read.tables.messages.column("text").to_pylist() == texts


BAD_AMOUNTS = st.sampled_from(["-1.00", "1.234", "壹佰", "1e5", "", "99999999999.00"])


@SETTINGS
@given(rows=payments(), data=st.data())
def test_a_bad_field_lands_in_quarantine_with_its_line_and_no_good_row_is_lost(
    tmp_path_factory: Any, rows: list[dict[str, Any]], data: st.DataObject,
) -> None:
    bad_index = data.draw(st.integers(0, len(rows) - 1))
    bad_amount = data.draw(BAD_AMOUNTS)
    table = pa.table({
        "payment_id": [r["payment_id"] for r in rows],
        "time": format_times(pa.array([r["time"] for r in rows], pa.timestamp("us", tz="UTC"))),
        "payer": [r["payer"] for r in rows], "payee": [r["payee"] for r in rows],
        "amount_yuan": [bad_amount if i == bad_index else "1.00" for i in range(len(rows))],
        "kind": [r["kind"] for r in rows], "channel": [r["channel"] for r in rows],
        "conversation": [r["conversation"] for r in rows], "memo": [r["memo"] for r in rows],
        "status": [None] * len(rows), "packet_id": [r["packet_id"] for r in rows],
    })
    assert table.column_names == list(PAYMENTS_CSV_COLUMNS)
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer)
    root = tmp_path_factory.mktemp("bad")
    _people(root)
    (root / "payments.csv").write_bytes(buffer.getvalue())
    read = read_bundle(root)
    newlines_before = sum(str(v).count("\n") for row in rows[:bad_index] for v in row.values() if isinstance(v, str))
    expected_line = 2 + bad_index + newlines_before
    kept = read.tables.payments.column("payment_id").to_pylist()
    if bad_amount == "":  # an empty amount is allowed (unknown), so nothing is rejected
        assert read.quarantined == []
        assert kept == [r["payment_id"] for r in rows]
        return
    assert [(q.line, q.field) for q in read.quarantined] == [(expected_line, "amount_yuan")]
    assert kept == [r["payment_id"] for i, r in enumerate(rows) if i != bad_index]


@SETTINGS
@given(rows=payments(), data=st.data())
def test_truncated_files_keep_every_complete_row(tmp_path_factory: Any, rows: list[dict[str, Any]], data: st.DataObject) -> None:
    root = tmp_path_factory.mktemp("cut")
    write_bundle(root, {"payments": rows})
    content = (root / "payments.csv").read_bytes()
    cut = data.draw(st.integers(0, len(content)))
    (root / "payments.csv").write_bytes(content[:cut])
    try:
        read = read_bundle(root)
    except RedlineError:
        return  # e.g. the header itself was cut: one clear error is fine
    complete = _complete_rows(content, cut, rows)
    kept = set(read.tables.payments.column("payment_id").to_pylist())
    assert set(complete) <= kept


def _complete_rows(content: bytes, cut: int, rows: list[dict[str, Any]]) -> list[str]:
    """Ids of rows whose whole record (including its newline) lies before the cut."""
    header_end = content.index(b"\n") + 1
    position, out = header_end, []
    for row, record in zip(rows, _records(content[header_end:]), strict=True):
        position += len(record)
        if position <= cut:
            out.append(row["payment_id"])
    return out


def _records(body: bytes) -> list[bytes]:
    """Split CSV bytes into records, honouring quotes (quoted newlines stay inside)."""
    records, start, quoted = [], 0, False
    for i, byte in enumerate(body):
        if byte == ord('"'):
            quoted = not quoted
        elif byte == ord("\n") and not quoted:
            records.append(body[start : i + 1])
            start = i + 1
    return records


@SETTINGS
@given(blob=st.binary(max_size=300), name=st.sampled_from(["people.csv", "payments.csv", "messages.jsonl", "groups.csv"]))
def test_random_bytes_raise_nothing_but_our_errors(tmp_path_factory: Any, blob: bytes, name: str) -> None:
    root = tmp_path_factory.mktemp("rnd")
    _people(root)
    (root / name).write_bytes(blob)
    with contextlib.suppress(RedlineError):
        read_bundle(root)


@SETTINGS
@given(lines=st.lists(st.text(alphabet='ab,"\n\r 是否12.-:T+', max_size=25), max_size=6))
def test_csv_shaped_noise_raises_nothing_but_our_errors(tmp_path_factory: Any, lines: list[str]) -> None:
    root = tmp_path_factory.mktemp("noise")
    _people(root)
    (root / "payments.csv").write_text(",".join(PAYMENTS_CSV_COLUMNS) + "\n" + "\n".join(lines), encoding="utf-8")
    try:
        read = read_bundle(root)
    except RedlineError:
        return
    assert read.report is not None
    payments_report = next(f for f in read.report.files if f.filename == "payments.csv")
    assert payments_report.rows_kept + payments_report.rows_quarantined == payments_report.rows_read


@SETTINGS
@given(texts=st.lists(free_text, min_size=1, max_size=8), data=st.data())
def test_truncated_messages_keep_every_complete_line(tmp_path_factory: Any, texts: list[str], data: st.DataObject) -> None:
    when = datetime(2016, 3, 1, tzinfo=UTC)
    rows = [{"id": f"m{i}", "time": when, "conversation": "g", "text": t} for i, t in enumerate(texts)]
    root = write_bundle(tmp_path_factory.mktemp("cutmsg"), {"messages": rows})
    content = (root / "messages.jsonl").read_bytes()
    cut = data.draw(st.integers(0, len(content)))
    (root / "messages.jsonl").write_bytes(content[:cut])
    read = read_bundle(root)
    complete = content[:cut].count(b"\n")  # JSON escapes newlines inside strings: one record a line
    assert read.tables.messages.column("id").to_pylist()[:complete] == [r["id"] for r in rows[:complete]]
    assert len(read.quarantined) <= 1  # at most the one line that was cut


@SETTINGS
@given(blob=st.binary(max_size=400))
def test_a_random_zip_raises_nothing_but_our_errors(tmp_path_factory: Any, blob: bytes) -> None:
    target = tmp_path_factory.mktemp("zip") / "bundle.zip"
    target.write_bytes(b"PK\x03\x04" + blob)
    with contextlib.suppress(RedlineError):
        read_bundle(target)
