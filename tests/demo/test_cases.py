"""The planted cases: every id in planted.json exists, and each case has the shape it claims."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import orjson
import pytest

from redline.demo.units import UNITS
from redline.vocab import Category, GroupType, PaymentKind, PaymentStatus, Relation


@pytest.fixture(scope="module")
def idx(small_demo) -> dict[str, Any]:
    """Rows by id, relations as a set, memberships by (group, person)."""
    return {
        "people": {p["person_id"]: p for p in small_demo.rows("people")},
        "payments": {p["payment_id"]: p for p in small_demo.rows("payments")},
        "messages": {m["id"]: m for m in small_demo.rows("messages")},
        "groups": {g["group_id"]: g for g in small_demo.rows("groups")},
        "events": {e["event_id"]: e for e in small_demo.rows("events")},
        "members": {(m["group_id"], m["person_id"]): m for m in small_demo.rows("memberships")},
        "relations": {(r["person_id"], r["other_id"], r["relation"]) for r in small_demo.rows("relations")},
    }


def _ids(record: dict[str, Any], key: str) -> list[str]:
    return list(record.get(key, []))


def test_every_planted_id_exists(small_demo, idx) -> None:
    planted = small_demo.planted
    records = [*planted["cases"].values(), *planted["near_misses"].values()]
    missing = []
    for r in records:
        missing += [i for i in _ids(r, "payment_ids") if i not in idx["payments"]]
        missing += [i for i in _ids(r, "message_ids") + _ids(r, "context_message_ids") if i not in idx["messages"]]
        people = _ids(r, "person_ids") + _ids(r, "counterparty_ids") + [r[k] for k in ("person_id", "owner_id")
                                                                         if r.get(k)]
        missing += [i for i in people if i not in idx["people"]]
        missing += [r["group_id"]] if r.get("group_id") and r["group_id"] not in idx["groups"] else []
        missing += [r["event_id"]] if r.get("event_id") and r["event_id"] not in idx["events"] else []
    assert missing == []
    assert len(planted["cases"]) == 20  # 18 in chat and payments, a Weibo repost and a 朋友圈 post
    assert {c["expected"]["category"] for c in planted["cases"].values()} <= set(Category)


def _pays(case: dict[str, Any], idx: dict[str, Any]) -> list[dict[str, Any]]:
    return [idx["payments"][i] for i in case["payment_ids"]]


def test_grain_trader_sends_21_packets_of_200_yuan(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["grain_trader_packets"]
    pays = _pays(case, idx)
    assert len(pays) == 21
    assert {(p["payer"], p["payee"], p["amount_fen"], p["kind"]) for p in pays} == {
        (case["counterparty_ids"][0], case["person_id"], 20_000, PaymentKind.RED_PACKET)}
    assert sum(p["amount_fen"] for p in pays) == case["total_fen"] == 420_000
    assert idx["people"][case["person_id"]]["post"] == "城南粮站副站长"
    assert (case["person_id"], case["counterparty_ids"][0], Relation.MANAGED) in idx["relations"]
    times = sorted(p["time"] for p in pays)
    assert times[-1] - times[0] > timedelta(days=60)  # over several months


def test_villager_transfers_5000_yuan_to_a_street_official(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["villager_transfer"]
    [pay] = _pays(case, idx)
    assert (pay["amount_fen"], pay["kind"], pay["channel"]) == (500_000, PaymentKind.TRANSFER, "wechat")
    official = idx["people"][case["person_id"]]
    assert (official["post"], official["unit"]) == ("人武部部长", "城关街道办事处")
    assert idx["people"][pay["payer"]]["post"] == "村民"


def test_forwarded_article_is_a_link_with_a_placeholder_comment(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["forwarded_article"]
    link, comment = (idx["messages"][i] for i in case["message_ids"])
    assert link["type"] == "link"
    assert "https://" in link["text"]
    assert case["term"] in comment["text"]
    assert comment["sender"] == link["sender"] == case["person_id"]
    assert idx["groups"][case["group_id"]]["type"] == GroupType.DEPARTMENT


def test_weibo_rumour_is_a_repost_with_reach_and_a_quoted_original(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["weibo_rumour"]
    [post] = (idx["messages"][i] for i in case["message_ids"])
    [original] = (idx["messages"][i] for i in case["context_message_ids"])
    assert (post["type"], post["sender"]) == ("repost", case["person_id"])
    assert post["conversation"] == f"weibo:{idx['people'][case['person_id']]['weibo_uid']}"
    assert int(post["reposts"]) == case["reposts"] >= 1000
    quote = orjson.loads(post["quote"])
    assert quote["id"] == original["id"]
    assert quote["text"] == original["text"] != post["text"]
    assert original["sender"].startswith("weibo:")  # an outside account, not a person of the roster


def test_moments_article_keeps_the_article_as_context(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["moments_article"]
    [post] = (idx["messages"][i] for i in case["message_ids"])
    assert (post["type"], post["conversation"]) == ("repost", f"moments:{case['person_id']}")
    assert orjson.loads(post["quote"]) == case["article"]
    assert case["term"] in post["text"]


def test_classified_notice_carries_marking_and_document_number(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["classified_notice"]
    [msg] = (idx["messages"][i] for i in case["message_ids"])
    assert msg["text"].startswith("机密★1年")
    assert case["doc_number"] in msg["text"]
    assert re.search(r"〔2023〕\d+号", msg["text"])
    assert idx["groups"][msg["conversation"]]["classification"] == "非涉密"


def test_gambling_chain_largest_claimer_sends_next(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["packet_gambling"]
    assert idx["groups"][case["group_id"]]["type"] == GroupType.SOCIAL
    for session in case["sessions"]:
        packets = [[idx["payments"][i] for i in session["payment_ids"] if idx["payments"][i]["packet_id"] == pk]
                   for pk in session["packet_ids"]]
        assert len(packets) >= 12
        for this, following in itertools.pairwise(packets):
            best = max(this, key=lambda p: p["amount_fen"])
            assert following[0]["payer"] == best["payee"]
            assert timedelta(0) < following[0]["time"] - this[0]["time"] <= timedelta(minutes=3, seconds=30)
    assert sum(p["amount_fen"] for p in _pays(case, idx)) == case["total_fen"]
    texts = "".join(idx["messages"][i]["text"] for i in case["message_ids"])
    assert "扫雷" in texts
    assert "接龙" in texts


def test_vote_buying_before_the_election(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["vote_buying"]
    event = idx["events"][case["event_id"]]
    assert (event["kind"], event["person_id"]) == ("election", case["person_id"])
    pays = _pays(case, idx)
    assert {p["payer"] for p in pays} == {case["person_id"]}
    assert all(timedelta(0) < event["date"] - p["time"].date() <= timedelta(days=7) for p in pays)
    assert sum(p["amount_fen"] for p in pays) == case["total_fen"]
    assert len({p["payee"] for p in pays}) >= 10
    assert all((case["group_id"], p["payee"]) in idx["members"] for p in pays)
    assert any("投我一票" in idx["messages"][i]["text"] for i in case["message_ids"])


def test_changed_posts_still_in_old_groups(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["stale_members"]
    end = date.fromisoformat(small_demo.planted["period"]["end"])
    for member in case["members"]:
        person = idx["people"][member["person_id"]]
        changed = date.fromisoformat(member["date"])
        if member["change"] == "retired":
            assert person["end_date"] == changed
        else:
            assert person["start_date"] == changed
            assert person["unit"] == member["new_unit"]
        assert changed + timedelta(days=case["grace_days"]) < end
        assert member["old_unit_group"] in member["still_in"]
        short = next((u.short for u in UNITS if u.name == member["new_unit"]), None)
        for g in member["display_name_mismatch_in"]:  # still shown as 旧单位-姓名, not 新单位-姓名
            assert short is not None
            assert not idx["members"][(g, member["person_id"])]["display_name"].startswith(short)
        assert all(idx["members"][(g, member["person_id"])]["left"] is None for g in member["still_in"])
    moved = small_demo.planted["near_misses"]["moved_and_left"]
    assert all(idx["members"][(g, moved["person_id"])]["left"] is not None for g in moved["left_groups"])


def test_governance_cases(small_demo, idx) -> None:
    cases = small_demo.planted["cases"]
    unregistered = idx["groups"][cases["unregistered_group"]["group_id"]]
    assert unregistered["registered"] is False
    assert len(cases["unregistered_group"]["official_ids"]) >= 3
    assert idx["groups"][cases["no_owner"]["group_id"]]["owner_id"] is None
    gid = cases["display_names"]["group_id"]
    names = {pid: m["display_name"] for (g, pid), m in idx["members"].items() if g == gid}
    pattern = re.compile(r"^[\u4e00-\u9fff]+-[\u4e00-\u9fff]{2,4}$")  # 单位-姓名
    assert sorted(p for p, n in names.items() if not pattern.match(n)) == sorted(cases["display_names"]["person_ids"])
    ext = cases["external_member"]
    assert idx["people"][ext["person_id"]]["external"] is True
    assert (ext["group_id"], ext["person_id"]) in idx["members"]
    assert idx["groups"][ext["group_id"]]["type"] == GroupType.DEPARTMENT


def test_flattery_addresses_the_group_owner(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["owner_flattery"]
    owner = idx["people"][case["owner_id"]]
    assert idx["groups"][case["group_id"]]["owner_id"] == case["owner_id"]
    texts = [idx["messages"][i]["text"] for i in case["message_ids"]]
    assert all(owner["name"][0] + "书记" in t for t in texts)
    assert any("高瞻远瞩" in t for t in texts)


def test_daily_report_gap(small_demo, idx) -> None:
    case = small_demo.planted["cases"]["daily_report_gap"]
    assert idx["groups"][case["group_id"]]["daily_report"] is True
    group_msgs = [m for m in idx["messages"].values() if m["conversation"] == case["group_id"]]
    unit = idx["people"][case["person_id"]]["unit"][:3]  # 马庄镇: reports start with the unit or 【…】
    reports = [m for m in group_msgs if m["text"].startswith(("【进展汇报】", "【日报】", unit)) and re.search(r"\d", m["text"])]
    mine = [m["time"].date() for m in reports if m["sender"] == case["person_id"]]
    assert len(mine) > 20
    assert max(mine) == date.fromisoformat(case["last_report_date"])
    others = [m["time"].date() for m in group_msgs if m["sender"] != case["person_id"]]
    assert max(others) > date.fromisoformat(case["last_report_date"]) + timedelta(days=30)


def test_gift_cases_around_family_festival_and_bid(small_demo, idx) -> None:
    cases = small_demo.planted["cases"]
    proxy = cases["family_proxy"]
    for p in _pays(proxy, idx):
        assert (proxy["person_id"], p["payee"], Relation.FAMILY) in idx["relations"]
        assert (proxy["person_id"], p["payer"], Relation.MANAGED) in idx["relations"]
    gift = cases["supplier_holiday_gift"]
    [card] = _pays(gift, idx)
    assert card["kind"] == PaymentKind.GIFT_CARD
    assert abs((card["time"].date() - date.fromisoformat(gift["festival_date"])).days) <= 3
    assert (gift["person_id"], card["payer"], Relation.SUPPLIER) in idx["relations"]
    bid = cases["bid_gift"]
    event = idx["events"][bid["event_id"]]
    [thanks] = _pays(bid, idx)
    assert (event["kind"], event["person_id"], event["other_id"]) == ("bid", bid["person_id"], thanks["payer"])
    assert timedelta(0) < thanks["time"].date() - event["date"] <= timedelta(days=7)


def test_near_misses(small_demo, idx) -> None:
    misses = small_demo.planted["near_misses"]
    assert all(m["must_not_flag"] for m in misses.values())
    [family] = _pays(misses["family_packet"], idx)
    assert idx["groups"][family["conversation"]]["type"] == GroupType.SOCIAL
    assert (family["payer"], family["payee"], Relation.FAMILY) in idx["relations"]
    [returned] = _pays(misses["returned_packet"], idx)
    assert returned["status"] == PaymentStatus.RETURNED
    [meeting] = (idx["messages"][i]["text"] for i in misses["secrecy_meeting"]["message_ids"])
    assert "保密工作会议" in meeting
    assert "★" not in meeting
    liaison = misses["liaison_externals"]["group_id"]
    assert idx["groups"][liaison]["type"] == GroupType.LIAISON
    assert any(idx["people"][p]["external"] for (g, p) in idx["members"] if g == liaison)
