"""Every real sample export: the right importer is chosen and yields the right rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.bundle import read_bundle
from redline.ingest.detect import decode, detect
from redline.ingest.run import ingest, read_source

DETECTED = [
    ("alipay-bill/example-alipay-records.gbk.csv", "alipay"),
    ("chatlog-json/chatlog_webhook_body.readme.json", "chatlog-json"),
    ("pywxdump-csv/weclone_test_PII_0_730.csv", "pywxdump-csv"),
    ("pywxdump-csv/weclone_test_person_0_730.csv", "pywxdump-csv"),
    ("wechat-appmsg-xml/redpacket_2001.gewe-2024.xml", "wechat-appmsg"),
    ("wechat-appmsg-xml/redpacket_2001.ios-2017.xml", "wechat-appmsg"),
    ("wechat-appmsg-xml/redpacket_claimed_sysmsg_10000.ios-2017.txt", "wechat-appmsg"),
    ("wechat-appmsg-xml/revoke_10002_sysmsg.gewe-2024.xml", "wechat-appmsg"),
    ("wechat-appmsg-xml/transfer_2000_paysubtype1.gewe-2024.xml", "wechat-appmsg"),
    ("wechat-pay-bill/example-wechat-records.csv", "wechat-pay"),
    ("wecom-msgaudit/decrypted_messages.reconstructed.jsonl", "wecom-archive"),
    ("wecom-msgaudit/datazone_get_group_chat_response.json", "wecom-api"),
    ("wecom-msgaudit/datazone_sync_msg_response.json", "wecom-api"),
    ("wecom-msgaudit/externalcontact_get_response.json", "wecom-api"),
    ("wecom-msgaudit/externalcontact_groupchat_get_response.json", "wecom-api"),
    ("wecom-msgaudit/getchatdata_response.reconstructed.json", "wecom-api"),
    ("wecom-msgaudit/msgaudit_groupchat_get_response.reconstructed.json", "wecom-api"),
] + [(f"bank-statement-csv/{name}", "bank-csv") for name in (
    "abc_debit_abc_debit-records.csv", "boc_credit_boc-records.csv", "boc_debit_boc-records.csv",
    "bocom_credit_bocom_credit-records.csv", "bocom_debit_bocom_debit-records.csv",
    "cgb_credit_cgb_credit-records.csv", "cmb_credit_cmb-records.csv", "cmb_debit_cmb-records.csv",
    "icbc_credit_icbc-credit-records.csv", "icbc_debit-v1_icbc-debit-v1-records.csv",
    "icbc_debit-v2_icbc-debit-v2-records.csv")]


@pytest.mark.parametrize(("relative", "expected"), DETECTED, ids=[d[0].split("/")[-1] for d in DETECTED])
def test_auto_format_picks_the_right_importer(samples: Path, relative: str, expected: str) -> None:
    path = samples / relative
    assert detect(path, decode(path)) == expected


@pytest.mark.parametrize("folder", sorted(p.name for p in (Path(__file__).resolve().parents[2].parent / "shared" / "samples").glob("*") if p.is_dir()))
def test_source_descriptions_are_not_mistaken_for_exports(samples: Path, folder: str) -> None:
    path = samples / folder / "SOURCE.txt"
    assert detect(path, decode(path)) is None


# (bank layout file, rows written, (first row: direction, fen))
BANKS = [
    ("abc_debit_abc_debit-records.csv", 5, ("in", 1_000_000)),
    ("boc_credit_boc-records.csv", 14, ("out", 5_000)),
    ("boc_debit_boc-records.csv", 17, ("out", 7_189)),
    ("bocom_credit_bocom_credit-records.csv", 8, ("in", 12_318)),
    ("bocom_debit_bocom_debit-records.csv", 6, ("in", 123)),
    ("cgb_credit_cgb_credit-records.csv", 4, ("out", 1_590)),
    ("cmb_credit_cmb-records.csv", 6, ("in", 123)),
    ("cmb_debit_cmb-records.csv", 5, ("in", 123_400)),
    ("icbc_credit_icbc-credit-records.csv", 9, ("out", 1)),
    ("icbc_debit-v1_icbc-debit-v1-records.csv", 11, ("out", 1_340)),
    ("icbc_debit-v2_icbc-debit-v2-records.csv", 11, ("out", 1_340)),
]


@pytest.mark.parametrize(("name", "rows", "first"), BANKS, ids=[b[0].split("_records")[0][:20] for b in BANKS])
def test_bank_layouts(samples: Path, name: str, rows: int, first: tuple[str, int]) -> None:
    result = read_source(samples / "bank-statement-csv" / name, "auto", "me")
    payments = result.tables["payments"]
    assert len(payments) == rows
    assert result.quarantined == []
    assert (payments[0]["direction"], payments[0]["amount_fen"]) == first
    # the account holder is on the right side of every row
    for p in payments:
        assert (p["payee"] if p["direction"] == "in" else p["payer"]) == "me"


def test_cmb_credit_statement_dates_take_the_year_from_the_title(samples: Path) -> None:
    result = read_source(samples / "bank-statement-csv" / "cmb_credit_cmb-records.csv", "auto", "me")
    days = [p["time"].date().isoformat() for p in result.tables["payments"]]
    assert days[:3] == ["2023-12-29", "2023-12-30", "2024-01-01"]


def test_icbc_footer_rows_are_counted_as_skipped_not_payments(samples: Path) -> None:
    result = read_source(samples / "bank-statement-csv" / "icbc_credit_icbc-credit-records.csv", "auto", "me")
    assert dict(result.skipped) == {"footer row (合计)": 1}


def test_wechat_pay_bill(samples: Path) -> None:
    result = read_source(samples / "wechat-pay-bill" / "example-wechat-records.csv", "auto", "me")
    payments = result.tables["payments"]
    assert len(payments) == 27
    packet = payments[1]
    assert (packet["kind"], packet["payer"], packet["payee"], packet["amount_fen"], packet["status"]) == (
        "red_packet", "wechat-name:同性好友", "me", 35, "received")
    withdrawals = [p for p in payments if p["category"] == "零钱提现"]
    assert [p["amount_fen"] for p in withdrawals][:3] == [10_010, 1_010, 100_110]
    assert {p["direction"] for p in withdrawals} == {"neutral"}


def test_alipay_bill_gbk(samples: Path) -> None:
    result = read_source(samples / "alipay-bill" / "example-alipay-records.gbk.csv", "auto", "me")
    payments = result.tables["payments"]
    assert len(payments) == 10
    big = next(p for p in payments if p["amount_fen"] == 22_222_850)
    assert (big["payer"], big["payee"], big["direction"], big["channel"]) == ("alipay-name:xxxx", "me", "in", "alipay")
    assert {p["status"] for p in payments} >= {"refunded", "received", "paid"}


def test_wecom_archive_keeps_every_type(samples: Path) -> None:
    result = read_source(samples / "wecom-msgaudit" / "decrypted_messages.reconstructed.jsonl", "auto", "me")
    types = {m["source_type"] for m in result.tables["messages"]}
    # 31 lines, one (image) with msgtime 0 is quarantined with its reason
    assert len(types) == 30
    assert [q.reason for q in result.quarantined] == ["no time recorded (unix time 0)"]
    packets = {p["payment_id"]: p["amount_fen"] for p in result.tables["payments"]}
    assert sorted(packets.values()) == [20, 3000]
    switch = next(m for m in result.tables["messages"] if m["source_type"] == "switch")
    assert switch["sender"] == "XuJinSheng"
    externals = {p["person_id"] for p in result.tables["people"] if p["external"]}
    assert all(pid.startswith(("wm", "wo")) for pid in externals)
    assert externals


def test_wecom_customer_group_gives_memberships_with_external_members(samples: Path) -> None:
    result = read_source(samples / "wecom-msgaudit" / "externalcontact_groupchat_get_response.json", "auto", "me")
    assert [(m["group_id"], m["person_id"], m["display_name"]) for m in result.tables["memberships"]] == [
        ("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", "abel", "客服小张"),
        ("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", "wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", "顾客老王"),
    ]
    assert [p["external"] for p in result.tables["people"]] == [False, True]


def test_transfer_payload(samples: Path) -> None:
    result = read_source(samples / "wechat-appmsg-xml" / "transfer_2000_paysubtype1.gewe-2024.xml", "auto", "me")
    [payment] = result.tables["payments"]
    assert (payment["kind"], payment["amount_fen"], payment["payee"], payment["status"]) == (
        "transfer", 10, "wxid_0xsqb3o0tsvz22", "paid")
    assert payment["time"].isoformat() == "2024-01-12T15:36:24+08:00"


def test_red_packet_payloads_have_no_amount_but_a_date(samples: Path) -> None:
    result = read_source(samples / "wechat-appmsg-xml" / "redpacket_2001.ios-2017.xml", "auto", "me")
    [packet] = result.tables["payments"]
    assert packet["amount_fen"] is None
    assert packet["packet_id"] == "1000039401201707207016154830099"
    assert packet["time"].date().isoformat() == "2017-07-20"


def test_pywxdump_csv_excel_resaved_times_and_revokes(samples: Path) -> None:
    result = read_source(samples / "pywxdump-csv" / "weclone_test_person_0_730.csv", "auto", "me")
    messages = result.tables["messages"]
    assert len(messages) == 96
    assert messages[0]["time"].isoformat() == "2024-10-04T11:42:00+08:00"
    assert any(m["type"] == "revoke" for m in messages)
    assert {m["type"] for m in messages} >= {"text", "image"}


def test_whole_sample_folder_imports_twice_identically(samples: Path, tmp_path: Path) -> None:
    sources = [samples / "bank-statement-csv", samples / "wechat-pay-bill", samples / "pywxdump-csv"]
    first = ingest(sources, tmp_path / "b")
    snapshot = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    ingest(sources, tmp_path / "b")
    assert {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()} == snapshot
    read = read_bundle(tmp_path / "b")
    assert read.quarantined == []
    assert read.tables.payments.num_rows == first.written["payments"] == 96 + 27
    assert read.tables.messages.num_rows == first.written["messages"]
