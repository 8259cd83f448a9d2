"""build_demo: determinism, a clean read-back, the committed planted.json, vocabularies and consistency."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date
from pathlib import Path

import chinese_calendar
import orjson
import pytest

from redline.demo import build_demo
from redline.errors import ConfigError
from redline.vocab import EventKind, GroupType, MessageType, PaymentKind, PaymentStatus, Relation

REPO = Path(__file__).resolve().parents[2]


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_files(small_demo, tmp_path: Path) -> None:
    again = build_demo(tmp_path, scale=0.03)
    digests = _digests(again.bundle_path)
    assert digests == _digests(small_demo.result.bundle_path)
    assert len([name for name in digests if name.startswith("attachments/")]) == 4  # rendered files too


def test_another_seed_gives_another_county(small_demo, tmp_path: Path) -> None:
    other = build_demo(tmp_path, seed=7, scale=0.03)
    mine = _digests(small_demo.result.bundle_path)
    theirs = _digests(other.bundle_path)
    assert mine["messages.jsonl"] != theirs["messages.jsonl"]
    assert mine["people.csv"] != theirs["people.csv"]


def test_bad_scale_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scale"):
        build_demo(tmp_path, scale=0)


def test_bundle_reads_back_with_zero_quarantine(small_demo) -> None:
    assert small_demo.read.quarantined == []
    counts = {name: small_demo.table(name).num_rows for name in small_demo.result.counts}
    assert counts == small_demo.result.counts
    assert counts["groups"] == 60
    assert counts["messages"] == pytest.approx(6_000, abs=5)


def test_committed_planted_json_is_current_and_scale_independent(small_demo) -> None:
    committed = orjson.loads((REPO / "demo" / "planted.json").read_bytes())
    assert small_demo.result.planted_path.read_bytes() == (REPO / "demo" / "planted.json").read_bytes()
    assert committed == small_demo.planted


def test_county_shape(small_demo) -> None:
    people = small_demo.rows("people")
    officials = [p for p in people if p["is_official"]]
    units = Counter(p["unit"] for p in officials if p["person_id"].startswith("P"))
    assert len(units) >= 20
    assert all(not p["external"] for p in officials)
    assert {p["post"] for p in people} >= {"局长", "副局长", "城南粮站副站长", "人武部部长", "配偶", "粮食经纪人", "村民"}
    assert len({p["name"] for p in officials}) == len(officials)  # real names are unique among officials
    groups = small_demo.rows("groups")
    types = Counter(g["type"] for g in groups)
    assert set(types) == {GroupType.LEADERSHIP, GroupType.DEPARTMENT, GroupType.TASK, GroupType.LIAISON,
                          GroupType.SOCIAL}
    assert sum(g["daily_report"] for g in groups) == 4


def test_values_come_from_the_vocabularies(small_demo) -> None:
    assert {m["type"] for m in small_demo.rows("messages")} <= set(MessageType)
    payments = small_demo.rows("payments")
    assert {p["kind"] for p in payments} <= set(PaymentKind)
    assert {p["status"] for p in payments} <= set(PaymentStatus)
    assert {r["relation"] for r in small_demo.rows("relations")} <= set(Relation)
    assert {e["kind"] for e in small_demo.rows("events")} <= set(EventKind)
    # a WeChat red packet holds at most 200 yuan; larger sums go by transfer
    assert max(p["amount_fen"] for p in payments if p["kind"] == PaymentKind.RED_PACKET) <= 20_000
    assert min(p["amount_fen"] for p in payments) > 0


def test_every_id_refers_to_something(small_demo) -> None:
    people = {p["person_id"] for p in small_demo.rows("people")}
    groups = {g["group_id"] for g in small_demo.rows("groups")}
    assert {r["person_id"] for r in small_demo.rows("relations")} <= people
    assert {r["other_id"] for r in small_demo.rows("relations")} <= people
    assert {m["person_id"] for m in small_demo.rows("memberships")} <= people
    assert {g["owner_id"] for g in small_demo.rows("groups")} - {None} <= people
    assert {p["payer"] for p in small_demo.rows("payments")} | {p["payee"] for p in small_demo.rows("payments")} <= people
    assert {m["sender"] for m in small_demo.rows("messages")} <= people
    conversations = {m["conversation"] for m in small_demo.rows("messages")}
    assert {c for c in conversations if not c.startswith(("dm:", "weibo:", "moments:"))} <= groups


def test_group_messages_come_from_members_and_dms_from_their_two_ends(small_demo) -> None:
    members = {(m["group_id"], m["person_id"]) for m in small_demo.rows("memberships")}
    strangers = []
    for m in small_demo.rows("messages"):
        conv = m["conversation"]
        if conv.startswith("dm:"):
            a, b = conv[3:].split("|")
            assert a < b
            assert m["sender"] in (a, b), m
        elif conv.startswith(("weibo:", "moments:")):
            # a public post: its channel has followers, not members; the account's owner writes it
            assert m["type"] in ("post", "repost"), m
        elif (conv, m["sender"]) not in members:
            strangers.append(m["id"])
    assert strangers == []


def test_texts_are_filled_and_varied(small_demo) -> None:
    texts = [m["text"] for m in small_demo.rows("messages") if m["type"] == MessageType.TEXT]
    assert all(texts), "a text message without text"
    assert not [t for t in texts if re.search(r"\{[a-z_0-9]+\}", t)], "an unfilled template slot"
    assert len(set(texts)) > 0.2 * len(texts)
    joined = "".join(texts)
    for phrase in ("收到", "会议", "进展汇报", "请假", "值班", "秋粮收购"):
        assert phrase in joined


def test_daily_reports_only_on_working_days(small_demo) -> None:
    reports = [m for m in small_demo.rows("messages") if m["text"] and m["text"].startswith(("【进展汇报】", "【日报】"))]
    assert len(reports) > 50
    days = {m["time"].date() for m in reports}
    assert all(chinese_calendar.is_workday(d) for d in days)
    assert date(2023, 10, 7) in days  # a Saturday made a working day after the National Day holiday


def test_group_packets_are_one_row_per_claim(small_demo) -> None:
    by_packet: dict[str, list[dict]] = {}
    for p in small_demo.rows("payments"):
        if p["packet_id"]:
            by_packet.setdefault(p["packet_id"], []).append(p)
    assert len(by_packet) > 20
    for rows in by_packet.values():
        assert len({r["payer"] for r in rows}) == 1
        assert len({r["payee"] for r in rows}) == len(rows)  # nobody claims twice
        assert len({r["conversation"] for r in rows}) == 1


def test_ordinary_life_payments_are_varied(small_demo) -> None:
    payments = small_demo.rows("payments")
    background = [p for p in payments if p["payment_id"].startswith("pay")]
    memos = Counter(p["memo"] for p in background)
    assert {"AA饭钱", "压岁钱", "新婚快乐，百年好合", "生活费"} <= set(memos)
    assert Counter(p["kind"] for p in background).keys() >= {"red_packet", "transfer", "bank"}
    assert any(p["status"] == PaymentStatus.RETURNED for p in background)
    spring = {p["time"].date() for p in background if p["memo"] == "压岁钱"}
    assert spring <= {date(2024, 2, 9), date(2024, 2, 10)}  # 除夕 and 春节 from lunardate
