from __future__ import annotations

from typing import Any

import pytest

from redline.contracts import Trigger
from redline.groups.communities import detect
from redline.groups.faction import Faction, FactionConfig

CIRCLE = ["a1", "b1", "c1", "d1"]  # one official from each of four units
UNITS = {"a": "财政局", "b": "税务局", "c": "住建局", "d": "交通局"}
CANVAS = ["关键一票", "投我一票", "抱团"]


def _org(kit, *, units: dict[str, str] = UNITS, event_date: str | None = "2026-05-20",
         packets: bool = True, words: bool = True):  # type: ignore[no-untyped-def]
    k = kit
    people, groups, mem, msgs, pays = [], [], [], [], []
    n = 0
    for code, unit in units.items():
        staff = [f"{code}{i}" for i in range(1, 7)]
        people += [k.person(p, f"人{p}", unit) for p in staff]
        gid = f"dept_{code}"
        groups.append(k.group(gid, f"{unit}工作群", staff[1]))
        mem += [k.member(gid, p, f"{unit}-人{p}") for p in staff]
        for day in range(1, 25):  # colleagues answer each other every day
            for j in range(4):
                n += 1
                sender = staff[(day + j) % 6]
                msgs.append(k.msg(f"w{n}", f"2026-04-{day % 28 + 1:02d}T09:{j * 2:02d}:00+08:00", gid, sender, "收到，马上落实"))
    groups.append(k.group("circle", "兄弟伙", "a1", type_="social", registered=False))
    mem += [k.member("circle", p, None) for p in CIRCLE]
    for i, p in enumerate(CIRCLE * 3):
        text = CANVAS[i % 3] + "，这次推荐大家都支持一下" if words and i < 3 else "晚上一起吃饭"
        msgs.append(k.msg(f"c{i}", f"2026-05-{i + 1:02d}T20:{i:02d}:00+08:00", "circle", p, text))
    if packets:
        for i, (a, b) in enumerate([("a1", "b1"), ("c1", "b1"), ("d1", "b1"), ("b1", "a1")]):
            pays.append({"payment_id": f"pay{i}", "time": f"2026-05-0{i + 1}T21:00:00+08:00", "payer": a,
                         "payee": b, "amount_fen": 20000, "kind": "red_packet", "channel": "wechat",
                         "conversation": "circle", "status": "received"})
    events = [{"event_id": "E1", "date": event_date, "kind": "promotion", "unit": "税务局",
               "person_id": "b1", "other_id": None}] if event_date else []
    return k.make(people=people, groups=groups, memberships=mem, messages=msgs, payments=pays, events=events)


def _run(kit, tables) -> list[Any]:  # type: ignore[no-untyped-def]
    cfg = FactionConfig(detectors={"canvassing": {"terms": CANVAS}})
    trigger = Trigger("TJ-05", "TJ-05#2", cfg)
    return kit.analyzer(Faction, [trigger]).analyze(tables, [trigger])


def test_closed_cross_unit_circle_before_promotion_is_found(kit) -> None:  # type: ignore[no-untyped-def]
    [f] = _run(kit, _org(kit))
    assert (f.kind, f.person_id, f.facts["members"]) == ("faction", "b1", CIRCLE)
    assert f.facts["payment_ids"] == ["pay0", "pay1", "pay2", "pay3"]
    assert f.facts["message_ids"] == ["c0", "c1", "c2"]
    assert f.facts["event"]["event_id"] == "E1"
    assert f.facts["group_id"] == "circle"
    assert f.category == "vote_buying"
    assert "800.00 元" in f.reason
    assert "4 个单位" in f.reason
    assert "兄弟伙" in f.reason


def test_packets_alone_are_enough(kit) -> None:  # type: ignore[no-untyped-def]
    [f] = _run(kit, _org(kit, words=False))
    assert f.facts["message_ids"] == []
    assert f.category == "factions"


@pytest.mark.parametrize("kwargs", [
    {"event_date": None},                           # no personnel event
    {"event_date": "2026-12-01"},                   # event long after the window
    {"packets": False, "words": False},             # a circle that only has dinner
    {"units": {"a": "财政局", "b": "财政局", "c": "财政局", "d": "财政局"}},  # one unit: not spanning units
], ids=["no-event", "outside-window", "no-evidence", "one-unit"])
def test_other_situations_are_not_found(kit, kwargs) -> None:  # type: ignore[no-untyped-def]
    assert _run(kit, _org(kit, **kwargs)) == []


def test_leiden_separates_the_circle(kit) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa

    edges = pa.table({"a": ["x1", "x1", "x2", "y1", "y1", "y2", "x1"],
                      "b": ["x2", "x3", "x3", "y2", "y3", "y3", "y1"],
                      "weight": [3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 0.1]})
    part = detect(edges)
    assert sorted(map(tuple, (part.members(c) for c in set(part.membership.tolist())))) == [
        ("x1", "x2", "x3"), ("y1", "y2", "y3")]
    assert all(part.closedness > 0.9)
