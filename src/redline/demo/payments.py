"""Payments of ordinary life: family red packets at festivals, colleagues' 拼手气 group packets,
AA splits, wedding gifts between peers, purchases from shops, and a few returned ones.

Amounts are integer fen. A WeChat red packet holds at most 200 yuan (20,000 fen); larger
sums go by transfer. A group packet is one row per claim, the rows sharing `packet_id`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

import numpy as np

from redline.demo.groups import Group
from redline.demo.logs import MessageLog, PaymentLog, dm
from redline.demo.org import Org
from redline.demo.period import US_PER_MINUTE, at, days, festivals, is_workday
from redline.vocab import Channel, GroupType, PaymentKind as K, PaymentStatus as S

PACKET_MAX_FEN: Final = 20_000
_FAMILY_FEN: Final = (6_666, 8_888, 16_800, 20_000, 20_000, 52_000 // 3, 10_000, 5_200)
_LUCKY_TOTAL_YUAN: Final = (20, 30, 50, 66, 88, 100, 100, 188, 200)


def lucky_split(rng: np.random.Generator, total_fen: int, k: int) -> list[int]:
    """WeChat's 拼手气 split: each claim is uniform in (1 fen, twice the mean of what is left)."""
    claims = []
    left = total_fen
    for i in range(k - 1):
        upper = max(1, 2 * left // (k - i) - 1)
        c = int(rng.integers(1, upper + 1))
        c = min(c, left - (k - i - 1))
        claims.append(c)
        left -= c
    claims.append(left)
    return claims


class LifePayments:
    """Writes background payments (and the chat messages that carry them)."""

    def __init__(self, org: Org, groups: list[Group], rng: np.random.Generator) -> None:
        self.org, self.groups, self.rng = org, groups, rng
        self.rnd = random.Random(int(rng.integers(0, 2**63)))  # noqa: S311 - synthetic data, seeded for determinism
        self.payments = PaymentLog()
        self.messages = MessageLog()
        self.n = 0
        self.family_group = {g.owner_id: g for g in groups if g.topic == "family"}

    def _id(self) -> str:
        self.n += 1
        return f"pay{self.n:06d}"

    def _one(self, t: int, payer: str, payee: str, fen: int, conv: str, memo: str,
             status: str = S.RECEIVED, channel: str = Channel.WECHAT) -> None:
        kind = K.RED_PACKET if fen <= PACKET_MAX_FEN and self.rnd.random() < 0.8 else K.TRANSFER
        self.payments.add(self._id(), t, payer, payee, fen, kind, channel, conv, memo, status)
        self.messages.add(t, conv, payer, memo, kind)

    def family_festivals(self) -> None:
        """Red packets between officials and their relatives around each festival."""
        for fest in festivals():
            weight = 0.7 if fest.key in ("spring", "new_year_eve", "mid_autumn") else 0.25
            for official, relatives in self.org.family.items():
                if self.rnd.random() > weight:
                    continue
                group = self.family_group.get(official)
                for rel in relatives:
                    role = self.org.people[rel].post
                    day = fest.day - timedelta(days=self.rnd.choice((0, 0, 0, 1)))
                    t = at(day, self.rnd.randint(8, 22), self.rnd.randint(0, 59))
                    conv = group.group_id if group else dm(official, rel)
                    if role == "子女":
                        fen = self.rnd.choice((20_000, 100_000, 200_000, 60_000))
                        self._one(t, official, rel, fen, conv, "压岁钱" if fest.key == "spring" else fest.greeting)
                    elif role in ("父亲", "母亲"):
                        fen = self.rnd.choice((100_000, 200_000, 50_000, 20_000))
                        status = S.RETURNED if self.rnd.random() < 0.15 else S.RECEIVED
                        self._one(t, official, rel, fen, conv, f"爸妈{fest.name}快乐", status)
                        if status == S.RETURNED:  # parents send the money back: 不要给我们钱
                            self.messages.add(t + 30 * US_PER_MINUTE, conv, rel, "钱退给你了，我们不缺钱，你们留着用")
                    else:
                        fen = self.rnd.choice(_FAMILY_FEN)
                        self._one(t, rel, official, fen, conv, fest.greeting)
                    self.messages.add(t + self.rnd.randint(1, 20) * US_PER_MINUTE, conv,
                                      rel if self.org.people[rel].post != "配偶" else official,
                                      self.rnd.choice(("谢谢", "收到啦", "[爱心]", "同乐同乐", "谢谢老板")))

    def lucky_packets(self, per_group: float) -> None:
        """拼手气 group packets: at festivals and on ordinary days (a colleague's good news)."""
        fests = festivals()
        all_days = days()
        for g in self.groups:
            if g.type not in (GroupType.DEPARTMENT, GroupType.SOCIAL, GroupType.TASK) or g.topic == "family":
                continue
            for _ in range(int(self.rng.poisson(per_group))):
                members = [m for m in g.members if self.org.people[m].is_official]
                if len(members) < 3:
                    break
                sender = self.rnd.choice(members)
                if self.rnd.random() < 0.6:
                    fest = self.rnd.choice(fests)
                    day = fest.day - timedelta(days=self.rnd.choice((0, 1)))
                    memo = self.rnd.choice((fest.greeting, "恭喜发财，大吉大利", f"{fest.name}快乐"))
                else:  # an ordinary day: good news, a birthday, the end of a hard week
                    day = self.rnd.choice(all_days)
                    memo = self.rnd.choice(("恭喜发财，大吉大利", "大家辛苦了", "喝茶", "今天生日，谢谢大家的祝福",
                                            "加班辛苦，买点奶茶"))
                t = at(day, self.rnd.randint(9, 21), self.rnd.randint(0, 59))
                total = self.rnd.choice(_LUCKY_TOTAL_YUAN) * 100
                k = min(len(members) - 1, self.rnd.randint(3, 12))
                claimers = self.rnd.sample([m for m in members if m != sender], k)
                self.messages.add(t, g.group_id, sender, memo, K.RED_PACKET)
                packet = f"pk-{self.n + 1:06d}"
                for j, (who, fen) in enumerate(zip(claimers, lucky_split(self.rng, total, k), strict=True)):
                    self.payments.add(self._id(), t + (j + 1) * self.rnd.randint(2, 40) * 1_000_000, sender, who,
                                      fen, K.RED_PACKET, Channel.WECHAT, g.group_id, memo, S.RECEIVED, packet)
                for who in claimers[: self.rnd.randint(1, 3)]:
                    self.messages.add(t + self.rnd.randint(1, 5) * US_PER_MINUTE, g.group_id, who,
                                      self.rnd.choice(("谢谢老板", "谢谢！", "[抱拳]", "手气最佳，哈哈", "谢谢领导")))

    def aa_splits(self, n: int) -> None:
        """After a meal together one person pays; the others transfer their share (AA制)."""
        social = [g for g in self.groups if g.type == GroupType.SOCIAL and g.topic != "family"]
        for _ in range(n):
            g = self.rnd.choice(social)
            payer_of_bill = self.rnd.choice(g.members)
            k = self.rnd.randint(3, 8)
            diners = self.rnd.sample([m for m in g.members if m != payer_of_bill], min(k - 1, len(g.members) - 1))
            total = self.rnd.randint(180, 900) * 100
            each = -(-total // (len(diners) + 1))
            day = self.rnd.choice(days())
            t = at(day, 21, self.rnd.randint(0, 59))
            self.messages.add(t, g.group_id, payer_of_bill,
                              f"昨晚一共{total // 100}元，{len(diners) + 1}个人，每人{each / 100:.2f}，大家转我就行")
            for j, who in enumerate(diners):
                ts = t + (j + 1) * self.rnd.randint(1, 30) * US_PER_MINUTE
                conv = dm(who, payer_of_bill)
                self.payments.add(self._id(), ts, who, payer_of_bill, each, K.TRANSFER, Channel.WECHAT, conv,
                                  self.rnd.choice(("AA饭钱", "聚餐AA", "昨晚的饭钱")), S.RECEIVED)
                self.messages.add(ts, conv, who, f"转账{each / 100:.2f}元", K.TRANSFER)

    def weddings_and_shops(self, n_weddings: int, n_shops: int) -> None:
        """份子钱 between peers of one unit (returned now and then), and purchases from 个体户."""
        # peers only: rank-and-file of one unit, none of whom reports to another
        units = [[i for i in ids if self.org.people[i].post in ("科员", "副科长", "干事", "民警", "粮站保管员")]
                 for ids in self.org.staff.values()]
        units = [ids for ids in units if len(ids) >= 2]
        for _ in range(n_weddings if units else 0):
            ids = self.rnd.choice(units)
            host, *guests = self.rnd.sample(ids, min(len(ids), self.rnd.randint(3, 7)))
            day = self.rnd.choice([d for d in days() if not is_workday(d)])
            for guest in guests:
                t = at(day - timedelta(days=1), self.rnd.randint(18, 22), self.rnd.randint(0, 59))
                fen = self.rnd.choice((20_000, 60_000, 80_000, 100_000))
                status = S.RETURNED if self.rnd.random() < 0.1 else S.RECEIVED
                conv = dm(guest, host)
                self._one(t, guest, host, fen, conv, "新婚快乐，百年好合", status)
                if status == S.RETURNED:
                    self.messages.add(t + 5 * US_PER_MINUTE, conv, host, "心意领了，钱退回去了，明天来喝喜酒就行")
        shops = self.org.parties.get("个体户", [])
        officials = [p.person_id for p in self.org.officials()]
        for _ in range(n_shops if shops else 0):
            buyer, shop = self.rnd.choice(officials), self.rnd.choice(shops)
            t = at(self.rnd.choice(days()), self.rnd.randint(11, 20), self.rnd.randint(0, 59))
            fen = self.rnd.randint(15, 400) * 100 + self.rnd.choice((0, 50))
            conv = dm(buyer, shop)
            memo = self.rnd.choice(("饭钱", "水果", "烟酒", "早餐", "买菜"))
            self.payments.add(self._id(), t, buyer, shop, fen, K.TRANSFER, Channel.WECHAT, conv, memo, S.PAID)
            self.messages.add(t, conv, buyer, memo, K.TRANSFER)

    def family_bank(self) -> None:
        """Monthly 生活费 to parents by bank transfer (no conversation)."""
        for official, relatives in self.org.family.items():
            parents = [r for r in relatives if self.org.people[r].post in ("父亲", "母亲")]
            if not parents or self.rnd.random() < 0.6:
                continue
            for month in range(9, 15):
                d = date(2023 + (month - 1) // 12, (month - 1) % 12 + 1, 5)
                self.payments.add(self._id(), at(d, 10, self.rnd.randint(0, 59)), official, parents[0],
                                  self.rnd.choice((100_000, 150_000, 200_000)), K.BANK, Channel.BANK, "",
                                  "生活费", S.RECEIVED)


def write_life_payments(org: Org, groups: list[Group], rng: np.random.Generator,
                        scale: float) -> tuple[PaymentLog, MessageLog]:
    """All ordinary-life payments; about 5,000 rows at scale 1 (families do not scale down fully:
    the leading posts and their relatives are there at every scale)."""
    life = LifePayments(org, groups, rng)
    life.family_festivals()
    life.lucky_packets(per_group=4.0)
    life.aa_splits(max(3, round(160 * scale)))
    life.weddings_and_shops(max(2, round(40 * scale)), max(3, round(500 * scale)))
    life.family_bank()
    return life.payments, life.messages
