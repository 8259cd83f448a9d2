"""The scenario simulator: an organisation's payment life with typologies planted in it.

Background life is what screening must stay quiet about: family packets both ways (and
New Year packet rains in family groups), friends who give and give back, colleagues' group
packets at festivals, loans and their repayment, purchases from businesses, strangers
paying once for something sold, returned gifts (已退还), decisions and elections that
nobody paid for. Each planted `Case` records its typology, the official, and the payment
ids: the ground truth `evaluate` scores alerts against. Parameters (counts, amounts, spans,
timing) are drawn from wide ranges so the rules are not tuned to one shape.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from redline.bundle.schema import TIMESTAMP, UTC_OFFSET
from redline.bundle.write import internal_table
from redline.contracts import BundleTables
from redline.payments.festivals import festival_spans

TYPOLOGIES: Final = (
    "managed_party_gifts", "repeated_gifts", "holiday_gifts", "event_gifts",
    "large_sums", "family_proxy", "packet_gambling", "vote_buying",
)
_SURNAMES: Final = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN: Final = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌辉力鹏飞宇浩然晨"
_CHAT: Final = ("收到，谢谢", "大家辛苦了", "明天开会", "好的", "哈哈哈", "新年快乐", "节日快乐")


@dataclass(frozen=True, slots=True)
class Scenario:
    """Size and shape of one simulated organisation."""

    officials: int = 200
    months: int = 12
    start: dt.date = dt.date(2016, 1, 1)
    cases_per_typology: int = 15
    seed: int = 7
    # Issue 21's hard case: each managed-party gift is a single small packet, which only the
    # relation (listed or inferred) can reveal; the default plants a run of 2-25 payments.
    managed_single: bool = False


@dataclass(frozen=True, slots=True)
class Case:
    """One planted typology: the official it is about and the payments that make it."""

    typology: str
    person_id: str
    payment_ids: tuple[str, ...]
    counterparty_id: str = ""


@dataclass(frozen=True, slots=True)
class Simulation:
    """The simulated bundle and its ground truth."""

    tables: BundleTables
    cases: tuple[Case, ...]
    officials: int
    months: int


@dataclass
class World:
    """The organisation being built: rows of every bundle table, and a seeded RNG."""

    rng: random.Random
    start: dt.date
    days: int
    people: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    pay: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in (
        "payment_id", "t", "payer", "payee", "amount_fen", "kind", "channel", "conversation", "status", "packet_id")})
    names: set[str] = field(default_factory=set)
    counter: int = 0

    # -- people ----------------------------------------------------------------------------
    def person(self, pid: str, *, official: bool, external: bool, unit: str = "") -> str:
        while True:
            name = self.rng.choice(_SURNAMES) + "".join(self.rng.choices(_GIVEN, k=self.rng.choice((1, 2))))
            if name not in self.names:
                break
        self.names.add(name)
        self.people.append({"person_id": pid, "name": name, "unit": unit, "post": "",
                            "is_official": official, "external": external})
        return pid

    def relate(self, a: str, b: str, relation: str) -> None:
        self.relations.append({"person_id": a, "other_id": b, "relation": relation})

    # -- time and money --------------------------------------------------------------------
    def when(self, day: int, minute: int | None = None) -> int:
        """Epoch microseconds of a local (+08:00) day number offset and minute of day."""
        base = dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC) - UTC_OFFSET
        minute = self.rng.randint(8 * 60, 22 * 60) if minute is None else minute
        return int((base + dt.timedelta(days=day, minutes=minute)).timestamp() * 1_000_000)

    def day(self) -> int:
        return self.rng.randrange(self.days)

    def packet_fen(self) -> int:
        return self.rng.choice((6600, 8800, 10000, 16800, 18800, 20000, self.rng.randint(10, 200) * 100))

    def pay_one(self, payer: str, payee: str, fen: int, t: int, *, kind: str = "red_packet",
                conv: str = "", status: str = "paid", packet: str = "") -> str:
        self.counter += 1
        pid = f"P{self.counter:07d}"
        for key, value in (("payment_id", pid), ("t", t), ("payer", payer), ("payee", payee),
                           ("amount_fen", fen), ("kind", kind), ("channel", "wechat" if kind == "red_packet" else "alipay"),
                           ("conversation", conv or f"dm:{min(payer, payee)}|{max(payer, payee)}"),
                           ("status", status), ("packet_id", packet)):
            self.pay[key].append(value)
        return pid

    def group_packet(self, sender: str, claimers: list[str], total: int, t: int, conv: str) -> tuple[str, list[str]]:
        """Split a lucky-draw packet among claimers; returns (largest claimer, payment ids)."""
        self.counter += 1
        packet = f"K{self.counter:07d}"
        weights = [self.rng.random() + 0.05 for _ in claimers]
        # A WeChat packet share is at most 200 yuan.
        shares = [min(20_000, max(1, int(total * w / sum(weights)))) for w in weights]
        pids = [self.pay_one(sender, c, s, t + i * 5_000_000, conv=conv, packet=packet)
                for i, (c, s) in enumerate(zip(claimers, shares, strict=True))]
        return claimers[shares.index(max(shares))], pids

    def say(self, conv: str, sender: str, t: int, text: str) -> None:
        self.counter += 1
        self.messages.append({"id": f"M{self.counter:07d}", "t": t, "conversation": conv, "sender": sender,
                              "type": "text", "text": text})

    def tables(self) -> BundleTables:
        tz = TIMESTAMP
        pay = pa.table({k: pa.array(v) for k, v in self.pay.items()})
        pay = pay.append_column("time", pc.cast(pay.column("t"), tz)).drop_columns(["t"])
        pay = pay.set_column(pay.schema.get_field_index("packet_id"), "packet_id",
                             pc.if_else(pc.equal(pay.column("packet_id"), ""), None, pay.column("packet_id")))
        msgs = pa.table({k: pa.array([m[k] for m in self.messages], pa.int64() if k == "t" else pa.string())
                         for k in ("id", "t", "conversation", "sender", "type", "text")})
        msgs = msgs.append_column("time", pc.cast(msgs.column("t"), tz)).drop_columns(["t"])
        return BundleTables(
            people=internal_table("people", self.people), relations=internal_table("relations", self.relations),
            groups=internal_table("groups", self.groups), memberships=internal_table("memberships", self.memberships),
            messages=internal_table("messages", msgs), payments=internal_table("payments", pay),
            events=internal_table("events", self.events),
        )


def _background(w: World, units: dict[str, list[str]], family: dict[str, list[str]],
                friends: dict[str, list[str]], managed: dict[str, list[str]], shops: list[str],
                strangers: Iterator[str]) -> None:
    rng = w.rng
    months = max(1, w.days // 30)
    fests = [(s.first - w.start).days for s in festival_spans(w.start.year, w.start.year + months // 12 + 1)]
    fests = [d for d in fests if 0 <= d < w.days]
    for o, fam in family.items():
        conv = f"fam-{o}"
        for _ in range(months * 2):  # family packets both ways
            a, b = rng.sample([o, *fam], 2)
            w.pay_one(a, b, w.packet_fen(), w.when(w.day()))
        for d in fests:  # New Year and festival packet rains in the family group, senders at random
            t = w.when(d, rng.randint(18 * 60, 21 * 60))
            for i in range(rng.randint(3, 8)):
                sender = rng.choice([o, *fam])
                w.group_packet(sender, [p for p in [o, *fam] if p != sender], rng.randint(20, 200) * 100,
                               t + i * rng.randint(1, 6) * 60_000_000, conv)
        for f in friends[o]:  # friends give and, more often than not, give back
            for _ in range(rng.randint(1, months)):
                d = w.day()
                fen = rng.choice((5200, 6600, 8800, 10000, 20000, rng.randint(1, 200) * 100))
                w.pay_one(f, o, fen, w.when(d), kind=rng.choice(("red_packet", "transfer")))
                if rng.random() < 0.7:
                    w.pay_one(o, f, fen, w.when(min(w.days - 1, d + rng.randint(0, 20))))
        if rng.random() < 0.25:  # a loan to a friend, repaid later
            f, d = rng.choice(friends[o]), rng.randrange(max(1, w.days - 90))
            fen = rng.randint(20, 300) * 10_000
            w.pay_one(o, f, fen, w.when(d), kind="transfer")
            w.pay_one(f, o, fen, w.when(d + rng.randint(10, 80)), kind="transfer")
        for _ in range(rng.randint(0, months)):  # purchases: the official pays a shop
            w.pay_one(o, rng.choice(shops), rng.randint(20, 3000) * 100, w.when(w.day()), kind="transfer")
        if rng.random() < 0.3:  # a stranger pays once for something the official sold
            w.pay_one(next(strangers), o, rng.randint(5, 150) * 1000, w.when(w.day()), kind="transfer")
        if rng.random() < 0.15:  # a managed party's gift, returned (已退还) or refunded
            b, d, fen = rng.choice(managed[o]), w.day(), rng.randint(2, 200) * 100
            if rng.random() < 0.5:
                w.pay_one(b, o, fen, w.when(d), status="returned")
            else:  # sent straight back by transfer within hours or days
                t = w.when(d)
                w.pay_one(b, o, fen, t, kind="transfer")
                w.pay_one(o, b, fen, t + rng.randint(1, 72) * 3_600_000_000, kind="transfer")
        if rng.random() < 0.04:  # a tenant pays rent every month (income, not a gift)
            tenant, rent, d0 = next(strangers), rng.randint(800, 4000) * 100 + rng.choice((0, 5000)), rng.randrange(28)
            for m in range(months):
                w.pay_one(tenant, o, rent, w.when(min(w.days - 1, d0 + 30 * m)), kind="transfer")
        if rng.random() < 0.1:  # a relative runs a shop: customers pay odd prices, one way
            shopkeeper = rng.choice(family[o])
            for _ in range(rng.randint(5, 30)):
                customer = next(strangers) if rng.random() < 0.6 else rng.choice(friends[o])
                for _ in range(rng.choice((1, 1, 2, 4))):
                    w.pay_one(customer, shopkeeper, rng.randint(1500, 60000) + rng.randint(1, 99), w.when(w.day()),
                              kind="transfer")
        if rng.random() < 0.2:  # an in-law nobody listed as family: packets both ways
            inlaw = next(strangers)
            for d in rng.sample(fests, min(len(fests), 2)) if fests else []:
                w.pay_one(inlaw, o, rng.choice((20000, 16800, 8800)), w.when(d))
                w.pay_one(o, inlaw, rng.choice((20000, 16800, 8800)), w.when(d))
        if rng.random() < 0.5:  # a decision nobody paid for
            w.events.append({"event_id": f"E-{o}-bg", "date": w.start + dt.timedelta(days=w.day()),
                             "kind": rng.choice(("bid", "approval", "inspection")), "unit": "",
                             "person_id": o, "other_id": rng.choice(managed[o])})
    for unit, members in units.items():  # colleagues' group packets at festivals, small AA transfers
        conv = f"grp-{unit}"
        for d in fests:
            for sender in rng.sample(members, rng.randint(1, 3)):
                claimers = rng.sample([m for m in members if m != sender], min(len(members) - 1, rng.randint(5, 15)))
                w.group_packet(sender, claimers, rng.randint(50, 200) * 100, w.when(d), conv)
        for _ in range(len(members) * months // 2):
            a, b = rng.sample(members, 2)
            w.pay_one(a, b, rng.randint(20, 100) * 100, w.when(w.day()), kind="transfer")
        w.say(conv, members[0], w.when(w.day()), rng.choice(_CHAT))
        w.events.append({"event_id": f"EL-{unit}-bg", "date": w.start + dt.timedelta(days=w.day()),
                         "kind": "election", "unit": unit, "person_id": rng.choice(members), "other_id": ""})


def simulate(scenario: Scenario = Scenario()) -> Simulation:
    """Build one organisation and plant `cases_per_typology` cases of each typology."""
    rng = random.Random(scenario.seed)  # noqa: S311 - a reproducible simulation, not secrets
    w = World(rng, scenario.start, scenario.months * 30)
    n_units = max(2, scenario.officials // 20)
    units: dict[str, list[str]] = {f"U{u:02d}": [] for u in range(n_units)}
    family: dict[str, list[str]] = {}
    friends: dict[str, list[str]] = {}
    managed: dict[str, list[str]] = {}
    shops = [w.person(f"S{i:04d}", official=False, external=True) for i in range(max(5, scenario.officials // 10))]
    for i in range(scenario.officials):
        unit = f"U{i % n_units:02d}"
        o = w.person(f"O{i:04d}", official=True, external=False, unit=unit)
        units[unit].append(o)
        family[o] = [w.person(f"F{i:04d}{k}", official=False, external=True) for k in "ab"]
        friends[o] = [w.person(f"R{i:04d}{k}", official=False, external=True) for k in "abc"]
        managed[o] = [w.person(f"B{i:04d}{k}", official=False, external=True) for k in "ab"]
        for f in family[o]:
            w.relate(o, f, "family")
        for b in managed[o]:
            w.relate(o, b, "managed")
    for unit, members in units.items():
        w.groups.append({"group_id": f"grp-{unit}", "name": f"{unit}工作群", "type": "department",
                         "owner_id": members[0], "registered": True})
        w.memberships.extend({"group_id": f"grp-{unit}", "person_id": m} for m in members)
        for m in members[1:]:
            w.relate(members[0], m, "subordinate")
    for o, fam in family.items():
        w.groups.append({"group_id": f"fam-{o}", "name": "相亲相爱一家人", "type": "social", "owner_id": o})
        w.memberships.extend({"group_id": f"fam-{o}", "person_id": p} for p in [o, *fam])
    strangers = (w.person(f"X{i:05d}", official=False, external=rng.random() < 0.5) for i in range(10**6))
    _background(w, units, family, friends, managed, shops, strangers)
    from redline.simulation.plant import plant_cases  # plant builds on World; imported late


    cases = plant_cases(w, scenario.cases_per_typology, units, family, managed, strangers,
                        managed_single=scenario.managed_single)
    return Simulation(w.tables(), tuple(cases), scenario.officials, scenario.months)


def drop_relations(sim: Simulation, relation: str = "managed", fraction: float = 0.5, seed: int = 1) -> Simulation:
    """The same simulation with `fraction` of the `relation` rows removed (lists are never complete)."""
    rel = sim.tables.relations
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling
    keep = [r != relation or rng.random() >= fraction for r in rel.column("relation").to_pylist()]
    return replace(sim, tables=replace(sim.tables, relations=rel.filter(pa.array(keep))))
