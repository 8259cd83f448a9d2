from __future__ import annotations

import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from redline.bundle import read_bundle, write_bundle
from redline.bundle.schema import FILES
from redline.errors import InputError

CN = timezone(timedelta(hours=8))
PAY_HEADER = "payment_id,time,payer,payee,amount_yuan,kind,channel,conversation,memo,status,packet_id\n"
GOOD_PAY = "t1,2016-03-01T10:00:00+08:00,m1,p1,200.00,red_packet,wechat,,节日快乐,received,\n"


def _bundle(tmp_path: Path, **files: str | bytes) -> Path:
    root = tmp_path / "b"
    root.mkdir()
    (root / "people.csv").write_text("person_id,name\np1,张三\n", encoding="utf-8")
    for name, content in files.items():
        target = root / name.replace("_csv", ".csv").replace("_jsonl", ".jsonl")
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


# (bad payments.csv row, field named in quarantine, words of the reason)
BAD_PAYMENT_ROWS = [
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,200.123,red_packet,,,,,", "amount_yuan", "more than two decimals"),
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,-5.00,red_packet,,,,,", "amount_yuan", "negative"),
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,2000000000,red_packet,,,,,", "amount_yuan", "absurd"),
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,二百,red_packet,,,,,", "amount_yuan", "not an amount"),
    ("t2,2016-02-30T10:00:00+08:00,m1,p1,1,red_packet,,,,,", "time", "not a valid time"),
    ("t2,yesterday,m1,p1,1,red_packet,,,,,", "time", "not an ISO 8601 time"),
    ("t2,,m1,p1,1,red_packet,,,,,", "time", "required"),
    ("t2,2016-03-01T10:00:00+08:00,,p1,1,red_packet,,,,,", "payer", "required"),
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,1,bribe,,,,,", "kind", "not one of"),
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,1,transfer,pigeon,,,,", "channel", "not one of"),
    ("t2,2016-03-01T10:00:00+08:00,m1,p1,1,transfer,,,,,", "", "expected 11 fields"),
    ("t1,2016-03-02T10:00:00+08:00,m1,p1,1,transfer,,,,,", "payment_id", "duplicate key, first seen at line 2"),
]


@pytest.mark.parametrize(("row", "field", "reason"), BAD_PAYMENT_ROWS,
                         ids=[f"{r[1] or 'row'}-{r[2]}" for r in BAD_PAYMENT_ROWS])
def test_a_bad_payment_row_is_quarantined_and_the_good_rows_load(tmp_path: Path, row: str, field: str, reason: str) -> None:
    if "expected 11 fields" in reason:
        row = row.rsplit(",", 1)[0]  # one field short
    text = PAY_HEADER + GOOD_PAY + row + "\n" + GOOD_PAY.replace("t1", "t3")
    read = read_bundle(_bundle(tmp_path, payments_csv=text))
    assert read.tables.payments.column("payment_id").to_pylist() == ["t1", "t3"]
    assert [(q.file, q.line, q.field) for q in read.quarantined] == [("payments.csv", 3, field)]
    assert reason in read.quarantined[0].reason
    assert read.quarantined[0].raw == row


@pytest.mark.parametrize(("text", "fen"), [("200", 20000), ("200.5", 20050), ("0.01", 1), ("4200.00", 420000),
                                           (" 12.30 ", 1230), ("1000000000", 100000000000)],
                         ids=["integer", "one-decimal", "one-fen", "two-decimals", "spaces", "limit"])
def test_yuan_becomes_integer_fen(tmp_path: Path, text: str, fen: int) -> None:
    row = f"t1,2016-03-01T10:00:00+08:00,m1,p1,{text},red_packet,,,,,\n"
    read = read_bundle(_bundle(tmp_path, payments_csv=PAY_HEADER + row))
    assert read.quarantined == []
    assert read.tables.payments.column("amount_fen").to_pylist() == [fen]


@pytest.mark.parametrize(("text", "expected"), [
    ("2016-03-01T10:00:00+08:00", datetime(2016, 3, 1, 10, tzinfo=CN)),
    ("2016-03-01 10:00:00+0800", datetime(2016, 3, 1, 10, tzinfo=CN)),
    ("2016-03-01T02:00:00Z", datetime(2016, 3, 1, 10, tzinfo=CN)),
    ("2016-03-01T10:00:00.250+08:00", datetime(2016, 3, 1, 10, 0, 0, 250000, tzinfo=CN)),
    ("2016-03-01T10:00", datetime(2016, 3, 1, 10, tzinfo=CN)),
], ids=["offset", "space-compact-offset", "utc", "fraction", "no-offset"])
def test_times_are_instants_in_china_time(tmp_path: Path, text: str, expected: datetime) -> None:
    row = f"t1,{text},m1,p1,1,red_packet,,,,,\n"
    read = read_bundle(_bundle(tmp_path, payments_csv=PAY_HEADER + row))
    [value] = read.tables.payments.column("time").to_pylist()
    assert value == expected
    assert str(read.tables.payments.schema.field("time").type) == "timestamp[us, tz=Asia/Shanghai]"
    assumed = [n for n in read.report.notes if "+08:00" in n] if read.report else []
    assert len(assumed) == (1 if text == "2016-03-01T10:00" else 0)


def test_booleans_bom_dates_and_extra_columns(tmp_path: Path) -> None:
    people = "\ufeffperson_id,name,is_official,external,start_date,wechat_id\n" \
             "p1,张三,是,否,2016-01-02,zs01\np2,李四,TRUE,0,,\np3,王五,maybe,1,,\np4,赵六,1,1,2016-13-01,\n"
    root = _bundle(tmp_path)
    (root / "people.csv").write_text(people, encoding="utf-8")
    read = read_bundle(root)
    people_table = read.tables.people
    assert people_table.column_names[-1] == "wechat_id"
    assert people_table.select(["person_id", "is_official", "external", "start_date", "wechat_id"]).to_pylist() == [
        {"person_id": "p1", "is_official": True, "external": False, "start_date": date(2016, 1, 2), "wechat_id": "zs01"},
        {"person_id": "p2", "is_official": True, "external": False, "start_date": None, "wechat_id": None},
    ]
    assert [(q.line, q.field) for q in read.quarantined] == [(4, "is_official"), (5, "start_date")]


def test_quoted_newlines_keep_physical_line_numbers(tmp_path: Path) -> None:
    rows = 't1,2016-03-01T10:00:00+08:00,m1,p1,1,red_packet,,,"第一行\n第二行\n第三行",,\n' \
           "t2,2016-03-01T10:00:00+08:00,m1,p1,1.999,red_packet,,,,,\n"
    read = read_bundle(_bundle(tmp_path, payments_csv=PAY_HEADER + rows))
    assert read.tables.payments.column("memo").to_pylist() == ["第一行\n第二行\n第三行"]
    assert [(q.line, q.field) for q in read.quarantined] == [(5, "amount_yuan")]


def test_blank_lines_and_bad_utf8_cost_only_their_rows(tmp_path: Path) -> None:
    data = (PAY_HEADER + GOOD_PAY + "\n").encode() + b"t2,2016-03-01T10:00:00+08:00,m1,p1,1,red_packet,,,\xff\xfe,,\n" \
        + GOOD_PAY.replace("t1", "t3").encode()
    read = read_bundle(_bundle(tmp_path, payments_csv=data))
    assert read.tables.payments.column("payment_id").to_pylist() == ["t1", "t3"]
    assert [(q.line, q.reason) for q in read.quarantined] == [(4, "invalid UTF-8 bytes")]


def test_messages_jsonl(tmp_path: Path) -> None:
    lines = [
        '{"id":"a","time":"2016-03-01T10:00:00+08:00","conversation":"g1","sender":"p1","type":"text","text":"开会","attachment":null,"device":"ios"}',
        "{not json",
        '{"id":"b","time":"2016-03-01T10:00:00+08:00","conversation":"g1","type":"red_packet","attachment":{"name":"x.jpg","size":3}}',
        '{"id":"c","time":"2016-03-01T10:00:00+08:00","conversation":"g1","type":"telegram"}',
        '["a list"]',
        '{"id":"d","time":"2016-03-01T10:00:00+08:00","conversation":"g1","attachment":"x.jpg"}',
        '{"id":"e","time":"2016-03-01T10:00:00+08:00","conversation":"g1","text":{"nested":1}}',
        '{"id":"a","time":"2016-03-02T10:00:00+08:00","conversation":"g1"}',
        '{"id":7,"time":"2016-03-01T10:00:00+08:00","conversation":"g1","text":""}',
    ]
    read = read_bundle(_bundle(tmp_path, messages_jsonl="\n".join(lines) + "\n"))
    messages = read.tables.messages
    assert messages.column("id").to_pylist() == ["a", "b", "7"]
    assert messages.column("attachment").to_pylist() == [None, '{"name":"x.jpg","size":3}', None]
    assert messages.column("text").to_pylist() == ["开会", None, ""]  # JSON keeps "" apart from null
    assert messages.column("device").to_pylist() == ["ios", None, None]
    assert [(q.line, q.field) for q in read.quarantined] == [(2, ""), (4, "type"), (5, ""), (6, "attachment"), (7, "text"), (8, "id")]


def test_absent_files_are_empty_tables_and_people_is_required(tmp_path: Path) -> None:
    read = read_bundle(_bundle(tmp_path))
    for spec in FILES:
        table = getattr(read.tables, spec.table)
        assert table.schema == spec.schema if spec.table != "people" else table.num_rows == 1
    (tmp_path / "b" / "people.csv").unlink()
    with pytest.raises(InputError, match=r"people\.csv is missing"):
        read_bundle(tmp_path / "b")


@pytest.mark.parametrize(("people", "message"), [
    ("name\n张三\n", "required column"),
    ("person_id,name,name\np1,a,b\n", "duplicate column"),
    ("", "no header"),
], ids=["missing-key-column", "duplicate-column", "empty-file"])
def test_a_file_that_cannot_be_read_at_all_raises_input_error_with_its_location(tmp_path: Path, people: str, message: str) -> None:
    root = _bundle(tmp_path)
    (root / "people.csv").write_text(people, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_bundle(root)
    assert "people.csv" in str(caught.value)


def test_zip_bundles_including_one_folder_deep(tmp_path: Path, sample_tables: dict) -> None:
    folder = write_bundle(tmp_path / "plain", sample_tables)
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"export-2016/{path.name}")
    from_folder = read_bundle(folder).tables
    from_zip = read_bundle(nested).tables
    for spec in FILES:
        assert getattr(from_zip, spec.table).equals(getattr(from_folder, spec.table)), spec.table
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="zip"):
        read_bundle(tmp_path / "broken.zip")
    with pytest.raises(InputError, match="no such bundle"):
        read_bundle(tmp_path / "absent")


def test_internal_column_names_in_a_file_are_refused(tmp_path: Path) -> None:
    text = PAY_HEADER.replace("amount_yuan", "amount_fen") + GOOD_PAY
    with pytest.raises(InputError, match="amount_yuan"):
        read_bundle(_bundle(tmp_path, payments_csv=text))


def test_trailing_blank_lines_are_harmless(tmp_path: Path) -> None:
    rows = GOOD_PAY + "t2,2016-03-01T10:00:00+08:00,m1,p1,-1,red_packet,,,,,\n\n\n"
    read = read_bundle(_bundle(tmp_path, payments_csv=PAY_HEADER + rows))
    assert read.tables.payments.column("payment_id").to_pylist() == ["t1"]
    assert [(q.line, q.field) for q in read.quarantined] == [(3, "amount_yuan")]


@pytest.mark.parametrize("ragged", [False, True], ids=["fast-path", "careful-path"])
def test_crlf_files_and_both_parsers_agree_on_lines(tmp_path: Path, ragged: bool) -> None:
    rows = [GOOD_PAY.strip(), 't2,2016-03-01T10:00:00+08:00,m1,p1,1,red_packet,,,"两\r\n行",,',
            "t3,2016-03-01T10:00:00+08:00,m1,p1,1.001,red_packet,,,,,"]
    if ragged:
        rows.append("t4,too,short")
    text = "\r\n".join([PAY_HEADER.strip(), *rows]) + "\r\n"
    read = read_bundle(_bundle(tmp_path, payments_csv=text.encode()))
    assert read.tables.payments.column("memo").to_pylist() == ["节日快乐", "两\r\n行"]
    expected = [(5, "amount_yuan")] + ([(6, "")] if ragged else [])
    assert [(q.line, q.field) for q in read.quarantined] == expected


def test_a_runaway_header_is_refused_not_truncated(tmp_path: Path) -> None:
    root = _bundle(tmp_path)
    (root / "people.csv").write_text("person_id," + "x" * 70_000 + "\np1,a\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header row within"):
        read_bundle(root)
