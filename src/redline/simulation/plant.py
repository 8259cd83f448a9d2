"""Planting typologies into a simulated organisation: one function per typology, varied shapes.

Each planter writes the payments (and the events, groups and messages they need) into the
simulator's world and returns the ground-truth `Case`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from redline.payments.festivals import festival_spans
from redline.simulation.payments import Case, World


def _case(typology: str, person: str, pids: list[str], cp: str = "") -> Case:
    return Case(typology, person, tuple(pids), cp)


def _managed(w: World, o: str, b: str, single: bool = False) -> Case:
    rng = w.rng
    if single:  # one small packet: no repetition or size for any other typology to catch
        fen = rng.choice((880, 2000, 5000, 6600, 10000, 20000))
        return _case("managed_party_gifts", o, [w.pay_one(b, o, fen, w.when(w.day()))], b)
    k, span = rng.randint(2, 25), rng.randint(10, 200)
    d0 = rng.randrange(max(1, w.days - span))
    kind = rng.choice(("red_packet", "red_packet", "transfer", "gift_card"))
    pids = [w.pay_one(b, o, rng.choice((20000, 20000, 10000, rng.randint(5, 200) * 100)) if kind == "red_packet"
                      else rng.randint(2, 20) * 10_000, w.when(d0 + rng.randint(0, span)), kind=kind)
            for _ in range(k)]
    return _case("managed_party_gifts", o, pids, b)


def _repeated(w: World, o: str, x: str) -> Case:
    rng = w.rng
    k, span = rng.randint(4, 30), rng.randint(30, 300)
    d0 = rng.randrange(max(1, w.days - span))
    pids = [w.pay_one(x, o, rng.choice((20000, 10000, 8800, rng.randint(5, 200) * 100)), w.when(d0 + rng.randint(0, span)))
            for _ in range(k)]
    return _case("repeated_gifts", o, pids, x)


def _holiday(w: World, o: str, x: str) -> Case:
    rng = w.rng
    spans = [s for s in festival_spans(w.start.year, w.start.year + w.days // 365 + 1)
             if 10 <= (s.first - w.start).days < w.days - 10]
    pids = []
    for s in rng.sample(spans, min(len(spans), rng.randint(1, 2))):
        d = (s.first - w.start).days + rng.randint(-8, 2)
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(("red_packet", "transfer", "gift_card"))
            fen = rng.choice((20000, 16800, 10000) if kind == "red_packet" else (50000, 100000, 88800, rng.randint(2, 20) * 10_000))
            pids.append(w.pay_one(x, o, fen, w.when(d), kind=kind))
    return _case("holiday_gifts", o, pids, x)


def _event(w: World, o: str, b: str) -> Case:
    rng = w.rng
    d = rng.randrange(50, w.days - 60)
    w.events.append({"event_id": f"E-{o}-{b}", "date": w.start + dt.timedelta(days=d),
                     "kind": rng.choice(("bid", "approval", "inspection")), "unit": "", "person_id": o, "other_id": b})
    pids = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("red_packet", "transfer", "gift_card"))
        fen = rng.randint(10, 200) * 100 if kind == "red_packet" else rng.randint(1, 50) * 10_000
        pids.append(w.pay_one(b, o, fen, w.when(d + rng.randint(-45, 60)), kind=kind))
    return _case("event_gifts", o, pids, b)


def _large(w: World, o: str, x: str) -> Case:
    rng = w.rng
    fen = rng.choice((rng.randint(2, 50) * 100_000, 666_600, 888_800, 500_000, rng.randint(200_000, 5_000_000)))
    return _case("large_sums", o, [w.pay_one(x, o, fen, w.when(w.day()), kind=rng.choice(("transfer", "bank")))], x)


def _proxy(w: World, o: str, b: str, relative: str) -> Case:
    rng = w.rng
    d0 = rng.randrange(max(1, w.days - 120))
    # Mostly round sums; some disguised as purchases at odd prices (货款), which only a
    # listed relation can reveal.
    odd = rng.random() < 0.25
    pids = [w.pay_one(b, relative, rng.randint(2, 50) * 10_000 + (rng.randint(1, 9999) if odd else 0),
                      w.when(d0 + rng.randint(0, 120)), kind="transfer")
            for _ in range(rng.randint(1, 8))]
    return _case("family_proxy", o, pids, b)


def _gambling(w: World, players: list[str], gid: str) -> Case:
    rng = w.rng
    w.groups.append({"group_id": gid, "name": rng.choice(("老乡群", "钓鱼群", "周末娱乐群", "发财群")), "type": "social",
                     "owner_id": players[0]})
    w.memberships.extend({"group_id": gid, "person_id": p} for p in players)
    d, minute = w.day(), rng.randint(19 * 60, 22 * 60)
    t = w.when(d, minute)
    # Games differ: a relay (接龙) with or without stake talk, or 扫雷/牛牛 talk with any sender.
    chain, talk = rng.choice(((True, False), (True, True), (False, True)))
    sender, pids = rng.choice(players), []
    for _ in range(rng.randint(6, 30)):
        top, new = w.group_packet(sender, [p for p in players if p != sender], rng.randint(10, 100) * 100, t, gid)
        pids.extend(new)
        if talk:
            w.say(gid, rng.choice(players), t + 20_000_000, rng.choice(("扫雷开始，雷号7", "踩雷了，包赔", "下注了啊",
                                                                    "尾数3中雷翻倍", "牛牛庄家发")))
        sender = top if chain and rng.random() < 0.9 else rng.choice(players)  # a few break the relay
        t += rng.randint(1, 6) * 60_000_000
    official = next(p for p in players if p.startswith("O"))
    return _case("packet_gambling", official, pids)


def _vote(w: World, o: str, unit: str, members: list[str]) -> Case:
    rng = w.rng
    d = rng.randrange(60, w.days)
    w.events.append({"event_id": f"EL-{unit}-{o}-{d}", "date": w.start + dt.timedelta(days=d), "kind": "election",
                     "unit": unit, "person_id": o, "other_id": ""})
    voters = rng.sample([m for m in members if m != o], min(len(members) - 1, rng.randint(8, 40)))
    pids: list[str] = []
    if rng.random() < 0.5:  # one packet split among voters in the unit group
        _, pids = w.group_packet(o, voters, max(len(voters) * 100, rng.randint(1, 20) * 10_000),
                                 w.when(d - rng.randint(1, 25)), f"grp-{unit}")
    else:
        for v in voters:
            pids.append(w.pay_one(o, v, rng.randint(1, 20) * 10_000, w.when(d - rng.randint(1, 25)), kind="transfer"))
    return _case("vote_buying", o, pids)


def plant_cases(w: World, n: int, units: dict[str, list[str]], family: dict[str, list[str]],
                managed: dict[str, list[str]], strangers: Iterator[str], *,
                managed_single: bool = False) -> list[Case]:
    """Plant `n` cases of every typology on distinct, randomly chosen officials."""
    rng = w.rng
    officials = sorted(family)
    cases: list[Case] = []
    planters: list[Callable[[str], Case]] = [
        lambda o: _managed(w, o, managed[o][0], managed_single),
        lambda o: _repeated(w, o, next(strangers)),
        lambda o: _holiday(w, o, next(strangers)),
        lambda o: _event(w, o, managed[o][1]),
        lambda o: _large(w, o, next(strangers)),
        lambda o: _proxy(w, o, managed[o][rng.randrange(2)], rng.choice(family[o])),
    ]
    for planter in planters:
        cases.extend(planter(o) for o in rng.sample(officials, min(n, len(officials))))
    for i in range(n):
        players = rng.sample(officials, rng.randint(1, 3)) + [next(strangers) for _ in range(rng.randint(3, 9))]
        cases.append(_gambling(w, players, f"gamble-{i}"))
    unit_names = sorted(units)
    for i in range(n):
        unit = unit_names[i % len(unit_names)]
        cases.append(_vote(w, rng.choice(units[unit]), unit, units[unit]))
    return cases
