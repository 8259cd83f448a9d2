"""MemoTrace / WeChatMsg (留痕) CSV, written the way its exporter writes it (csv.writer, utf-8-sig)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from redline.bundle import read_bundle
from redline.ingest.run import ingest, read_source

COLUMNS = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent",
           "StrTime", "Remark", "NickName", "Sender"]
TRANSFER = ("<msg><appmsg><type>2000</type><wcpayinfo><paysubtype>1</paysubtype><feedesc>￥200.00</feedesc>"
            "<transferid>T77</transferid><begintransfertime>1768550400</begintransfertime>"
            "<payer_username>wxid_trader</payer_username><receiver_username>wxid_me</receiver_username>"
            "<pay_memo>一点心意</pay_memo></wcpayinfo></appmsg></msg>")


def _write(path: Path, rows: list[list[object]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def _dm(tmp_path: Path) -> Path:
    return _write(tmp_path / "王老板_utf8.csv", [
        [101, 7, 1, 0, 0, 1768550400, 2, "站长，节日快乐", "2026-01-16 16:00:00", "王老板", "老王", "wxid_trader"],
        [102, 7, 49, 2000, 0, 1768550460, 2, TRANSFER, "2026-01-16 16:01:00", "王老板", "老王", "wxid_trader"],
        [103, 7, 1, 0, 1, 1768550520, 2, "不用这样", "2026-01-16 16:02:00", "我", "我", "wxid_me"],
        [104, 7, 49, 2001, 0, 1768550580, 2, "", "2026-01-16 16:03:00", "王老板", "老王", "wxid_trader"],
        [105, 7, 3, 0, 0, 1768550640, 2, "", "2026-01-16 16:04:00", "王老板", "老王", "wxid_trader"],
        [106, 7, 1, 0, 0, "", 2, "坏行", "not a time", "王老板", "老王", "wxid_trader"],
    ])


def test_one_to_one_file(tmp_path: Path) -> None:
    result = read_source(_dm(tmp_path), "auto", "p1")
    assert result.format == "memotrace-csv"
    messages = result.tables["messages"]
    assert [m["type"] for m in messages] == ["text", "transfer", "text", "red_packet", "image"]
    assert {m["conversation"] for m in messages} == {"dm:p1|wxid_trader"}
    assert [m["sender"] for m in messages][:3] == ["wxid_trader", "wxid_trader", "p1"]
    assert messages[0]["time"].isoformat() == "2026-01-16T16:00:00+08:00"
    assert messages[0]["sender_name"] == "王老板"
    [payment] = result.tables["payments"]
    assert (payment["amount_fen"], payment["payer"], payment["memo"]) == (20000, "wxid_trader", "一点心意")
    [bad] = result.quarantined
    assert (bad.line, bad.field) == (7, "CreateTime")


def test_group_file_and_old_nine_column_export(tmp_path: Path) -> None:
    group = _write(tmp_path / "城关粮站收购群_utf8.csv", [
        [1, 9, 1, 0, 0, 1768550400, 2, "明天收购价多少", "", "张三", "张三", "wxid_a"],
        [2, 9, 1, 0, 0, 1768550401, 2, "一块二", "", "李四", "李四", "wxid_b"],
        [3, 9, 1, 0, 1, 1768550402, 2, "收到", "", "我", "我", "wxid_me"],
    ])
    result = read_source(group, "auto", "p1")
    assert {m["conversation"] for m in result.tables["messages"]} == {"wechat-room:talker-9"}
    assert any("TalkerId" in n for n in result.notes)

    old = _write(tmp_path / "old.csv", [[1, 3, 1, 0, 0, 1768550400, 2, "你好", "2026-01-16 16:00:00"]],
                 columns=COLUMNS[:9])
    [message] = read_source(old, "auto", "p1").tables["messages"]
    assert (message["conversation"], message["text"]) == ("dm:p1|talker-3", "你好")


@pytest.mark.parametrize("twice", [False, True])
def test_bundle_is_the_same_on_a_second_import(tmp_path: Path, twice: bool) -> None:
    source = _dm(tmp_path)
    ingest([source], tmp_path / "out", owner="p1")
    if twice:
        ingest([source], tmp_path / "out", owner="p1")
    tables = read_bundle(tmp_path / "out").tables
    assert tables.messages.num_rows == 5
    assert tables.payments.num_rows == 1
