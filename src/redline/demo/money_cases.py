"""Planted money cases: the seed's red packets and transfers re-enacted, and near-misses that must not be flagged.

Each function writes its rows through the Planter and records ids, totals (fen) and the
expected analyzers (registry keys), categories and the ids of the shipped pack rules that
cover the case (src/redline/packs: TJ 天津《十严禁》, ZJ 浙江《十条戒律》, LY 辽阳, FX 奉新).
"""

from __future__ import annotations

from datetime import date, timedelta

from redline.demo.logs import dm
from redline.demo.org import Person, add_party
from redline.demo.payments import lucky_split
from redline.demo.period import festivals
from redline.demo.planter import Planter, day_of, when
from redline.demo.units import BY_CODE, official_id
from redline.vocab import Category, EventKind, PaymentKind as K, PaymentStatus as S, Relation

GIFT_RULES = ["TJ-06", "ZJ-06", "LY-01"]  # 严禁利用微信接受…微信红包 / 不违规收受微信红包 / 无论数额大小


def grain_trader(p: Planter) -> None:
    """Seed case: a 粮贩 sends a 粮站副站长 21 red packets of 200 yuan over several months."""
    deputy = official_id(11, "城南粮站副站长")
    trader = add_party(p.org, p.rng, "M001", "粮贩", [deputy], since=date(2021, 9, 1), core=True).person_id
    conv = dm(deputy, trader)
    span = (date(2023, 12, 22) - date(2023, 9, 12)).days
    offsets = sorted(int(x) for x in p.rng.choice(span, size=21, replace=False))
    memos = ("恭喜发财，大吉大利", "站长辛苦了", "一点心意", "辛苦了", "节日快乐")
    pay_ids, msg_ids = [], []
    title = p.surname_title(deputy, "站长")
    msg_ids.append(p.say("grain", when(date(2023, 9, 11), 20, 5), conv, trader,
                         f"{title}，明天我拉两车玉米过来，麻烦给安排先验一下，水分可能稍微大一点"))
    msg_ids.append(p.say("grain", when(date(2023, 9, 11), 20, 17), conv, deputy, "早点来，我跟化验室说一声"))
    for i, off in enumerate(offsets):
        day = date(2023, 9, 12) + timedelta(days=off)
        t = when(day, 19 + i % 3, p.minute(0, 59))
        memo = memos[i % len(memos)]
        pay_ids.append(p.pay("grain", t, trader, deputy, 20_000, K.RED_PACKET, conv, memo))
        msg_ids.append(p.say("grain", t, conv, trader, memo, K.RED_PACKET))
        if i % 4 == 1:
            msg_ids.append(p.say("grain", t + 3 * 60_000_000, conv, deputy, "客气啥，以后粮食送过来提前说"))
    p.cases["grain_trader_packets"] = {
        "seed_case": 1, "title": "粮贩连续向粮站副站长发送21个200元微信红包",
        "person_id": deputy, "counterparty_ids": [trader], "relation": Relation.MANAGED,
        "payment_ids": pay_ids, "message_ids": msg_ids, "conversation": conv,
        "count": 21, "amount_each_fen": 20_000, "total_fen": 420_000,
        "first": day_of(min(r[1] for r in p.payments.rows if r[0] in pay_ids)),
        "last": day_of(max(r[1] for r in p.payments.rows if r[0] in pay_ids)),
        "expected": {"category": Category.GIFTS, "analyzers": ["payments.managed_party_gifts", "payments.repeated_gifts"],
                     "rule_ids": GIFT_RULES},
    }


def villager_transfer(p: Planter) -> None:
    """Seed case: a villager sends a sub-district 人武部部长 5,000 yuan by WeChat transfer."""
    official = official_id(16, "人武部部长")
    villager = add_party(p.org, p.rng, "M002", "村民", [official], since=date(2022, 4, 1), core=True).person_id
    conv = dm(official, villager)
    day = date(2023, 11, 8)
    title = p.surname_title(official, "部长")
    m1 = p.say("villager", when(day, 20, 3), conv, villager,
               f"{title}，我家宅基地那个事多亏您帮忙协调，一点心意您收下，别嫌少")
    pay = p.pay("villager", when(day, 20, 4), villager, official, 500_000, K.TRANSFER, conv, "一点心意")
    m2 = p.say("villager", when(day, 20, 4), conv, villager, "转账5000.00元", K.TRANSFER)
    m3 = p.say("villager", when(day, 20, 31), conv, official, "客气了，以后有事直接找我")
    p.cases["villager_transfer"] = {
        "seed_case": 2, "title": "村民通过微信向街道人武部部长转账5000元",
        "person_id": official, "counterparty_ids": [villager], "relation": Relation.MANAGED,
        "payment_ids": [pay], "message_ids": [m1, m2, m3], "conversation": conv, "total_fen": 500_000,
        "expected": {"category": Category.GIFTS, "analyzers": ["payments.managed_party_gifts", "payments.large_sums"],
                     "rule_ids": GIFT_RULES},
    }


def packet_gambling(p: Planter) -> None:
    """Seed theme: a red-packet gambling game (接龙/扫雷) in a social group: chains of packets
    where the largest claimer (手气最佳) sends the next one within minutes."""
    g = p.groups["G057"]
    players = [official_id(9, "公路段段长"), official_id(9, "运管所所长"), official_id(12, "执法大队大队长"),
               official_id(7, "执法大队大队长"), official_id(10, "植保站站长"), official_id(5, "价格股股长"),
               official_id(15, "治安大队大队长"), official_id(14, "医政股股长")]
    shops = [add_party(p.org, p.rng, f"M00{i}", "个体户", [official_id(12, "城关市场监管所所长")], core=True).person_id
             for i in (3, 4)]
    for part in (g.members, g.display, g.joined, g.left):  # the game's circle replaces the random one
        part.clear()
    for i, pid in enumerate(players + shops):
        g.add(p.org, pid, display=("老K", "发财哥", "一路向北", "淡然", "阿亮", "山水", "大海", "Leo", "小马哥", "红姐")[i],
              joined=date(2022, 5, 1))
    g.owner_id = shops[0]
    sessions, all_pay, all_msg, packets, total = [], [], [], [], 0
    for s, day in enumerate((date(2023, 10, 14), date(2023, 11, 18), date(2024, 1, 13))):
        t = when(day, 21, 2)
        sender = players[s]
        msgs = [p.say("gamble", t - 120_000_000, g.group_id, shops[0], "今晚继续，老规矩：手气最佳接龙发下一个，扫雷的雷号自己报")]
        pays, pks = [], []
        for k in range(12 + s * 2):
            amount = int(p.rng.choice((3_000, 5_000, 5_000, 8_000, 10_000)))
            n = int(p.rng.integers(5, 8))
            mine = int(p.rng.integers(0, 10))
            pk = p.packet_id("gamble")
            msgs.append(p.say("gamble", t, g.group_id, sender, f"扫雷 {amount // 100}元{n}包 雷{mine}", K.RED_PACKET))
            claimers = [x for x in players + shops if x != sender]
            picks = [claimers[int(i)] for i in p.rng.choice(len(claimers), size=n, replace=False)]
            claims = lucky_split(p.rng, amount, n)
            for j, (who, fen) in enumerate(zip(picks, claims, strict=True)):
                pays.append(p.pay("gamble", t + (j + 1) * 2_000_000, sender, who, fen, K.RED_PACKET, g.group_id,
                                  f"扫雷 {amount // 100}元{n}包 雷{mine}", packet_id=pk))
            best = picks[max(range(n), key=lambda j: claims[j])]
            if k % 3 == 0:
                msgs.append(p.say("gamble", t + 20_000_000, g.group_id, best, "手气最佳，我来接龙"))
            if any(fen % 10 == mine for fen in claims) and k % 2 == 0:
                msgs.append(p.say("gamble", t + 25_000_000, g.group_id, picks[0], "中雷了，赔付马上发"))
            pks.append(pk)
            total += amount
            sender = best  # the largest claimer sends the next packet
            t += p.minute(60, 180) * 1_000_000
        sessions.append({"date": day.isoformat(), "packet_ids": pks, "payment_ids": pays, "message_ids": msgs})
        all_pay += pays
        all_msg += msgs
        packets += pks
    p.cases["packet_gambling"] = {
        "seed_case": 5, "title": "社交群内以红包接龙/扫雷形式赌博", "group_id": g.group_id,
        "person_ids": players + shops, "officials": players, "sessions": sessions, "packet_ids": packets,
        "payment_ids": all_pay, "message_ids": all_msg, "total_fen": total,
        "rule": "each next packet is sent by the largest claimer of the previous one, 1–3 minutes later",
        "expected": {"category": Category.GAMBLING, "analyzers": ["payments.packet_gambling"],
                     "detectors": ["gambling"], "rule_ids": ["FX-01", "TJ-10"]},
    }


def vote_buying(p: Planter) -> None:
    """Seed case (拉票贿选): before a 换届选举, a candidate pays many members of a group."""
    unit = BY_CODE[20]
    candidate = official_id(20, "副镇长", 0)
    g = p.groups["G030"]
    villages = ("永乐村", "高家庄村", "北坡村", "杨家河村")
    cadres = []
    for i in range(8):  # 村干部: persons subject to supervision, members of the town's work group
        pid = f"P20{901 + i}"
        name = f"{'王李张刘杨赵高马'[i]}{['建国', '志刚', '红梅', '海军', '秀英', '永平', '新民', '小军'][i]}"
        post = "村党支部书记" if i % 2 == 0 else "村委会主任"
        p.org.add(Person(pid, name, f"永乐镇{villages[i // 2]}", post, True, False, date(2021, 1, 10), None,
                         i in (2, 4), 20, "永乐镇"))
        g.add(p.org, pid, display=f"{villages[i // 2]}-{name}", joined=date(2021, 2, 1))
        cadres.append(pid)
    election = date(2024, 1, 18)
    eid = p.event("election", election, EventKind.ELECTION, unit.name, candidate, None)
    voters = [official_id(20, "副镇长", 1), official_id(20, "人武部部长"), official_id(20, "党政办主任"),
              official_id(20, "农业站站长"), *cadres]
    msgs, pays = [], []
    msgs.append(p.say("vote", when(date(2024, 1, 12), 21, 10), g.group_id, candidate,
                      "各位，这次换届还请大家多多支持，投我一票，以后工作上一定不会亏待大家"))
    for i, v in enumerate(voters):
        day = election - timedelta(days=5 - i % 5)
        t = when(day, 20, p.minute(0, 59))
        conv = dm(candidate, v)
        msgs.append(p.say("vote", t - 60_000_000, conv, candidate, "选举的事拜托了，帮忙拉拉票"))
        pays.append(p.pay("vote", t, candidate, v, 20_000, K.RED_PACKET, conv, "一点心意"))
        msgs.append(p.say("vote", t, conv, candidate, "一点心意", K.RED_PACKET))
    t = when(election - timedelta(days=2), 21, 30)
    pk = p.packet_id("vote")
    msgs.append(p.say("vote", t, g.group_id, candidate, "投我一票，感谢支持", K.RED_PACKET))
    claimers = cadres[:6] + voters[:2]
    for j, (who, fen) in enumerate(zip(claimers, lucky_split(p.rng, 20_000, len(claimers)), strict=True)):
        pays.append(p.pay("vote", t + (j + 1) * 5_000_000, candidate, who, fen, K.RED_PACKET, g.group_id,
                          "投我一票，感谢支持", packet_id=pk))
    p.cases["vote_buying"] = {
        "seed_case": 6, "title": "换届选举前候选人向群成员发红包拉票", "person_id": candidate,
        "event_id": eid, "election_date": election.isoformat(), "group_id": g.group_id,
        "counterparty_ids": sorted(set(voters) | set(claimers)), "payment_ids": pays, "packet_ids": [pk],
        "message_ids": msgs, "total_fen": 20_000 * len(voters) + 20_000,
        "expected": {"category": Category.VOTE_BUYING, "analyzers": ["payments.vote_buying"],
                     "detectors": ["canvassing"], "rule_ids": ["TJ-05", "ZJ-08"]},
    }


def family_proxy(p: Planter) -> None:
    """亲属代收: a managed construction company pays an official's spouse instead of the official."""
    official = official_id(8, "副局长", 0)
    spouse = next(r for r in p.org.family[official] if p.person(r).post == "配偶")
    boss = add_party(p.org, p.rng, "M005", "建筑公司", [official], since=date(2022, 3, 1), core=True).person_id
    conv = dm(boss, spouse)
    m1 = p.say("proxy", when(date(2023, 12, 8), 19, 40), conv, boss, "嫂子，一点心意，给孩子买点东西，别跟大哥说是我给的")
    pay1 = p.pay("proxy", when(date(2023, 12, 8), 19, 41), boss, spouse, 300_000, K.TRANSFER, conv, "给孩子买点东西")
    newyear_eve = next(f.day for f in festivals() if f.key == "new_year_eve")
    pay2 = p.pay("proxy", when(newyear_eve, 18, 12), boss, spouse, 20_000, K.RED_PACKET, conv, "新年快乐")
    m2 = p.say("proxy", when(newyear_eve, 18, 12), conv, boss, "新年快乐", K.RED_PACKET)
    p.cases["family_proxy"] = {
        "title": "管理服务对象向干部配偶转账（亲属代收）", "person_id": official, "relative_id": spouse,
        "counterparty_ids": [boss], "payment_ids": [pay1, pay2], "message_ids": [m1, m2], "total_fen": 320_000,
        "expected": {"category": Category.GIFTS, "analyzers": ["payments.family_proxy"], "rule_ids": GIFT_RULES},
    }


def supplier_holiday(p: Planter, mid_autumn: date) -> None:
    """A supplier sends the 教育装备股股长 an e-gift card around 中秋."""
    official = official_id(13, "教育装备股股长")
    supplier = add_party(p.org, p.rng, "M007", "供应商", [official], since=date(2022, 6, 1), core=True).person_id
    conv = dm(official, supplier)
    day = mid_autumn - timedelta(days=1)
    m1 = p.say("holiday", when(day, 10, 15), conv, supplier,
               f"{p.surname_title(official, '股长')}，中秋快乐！给您发了张京东E卡，一点心意，感谢一直以来的支持")
    pay = p.pay("holiday", when(day, 10, 16), supplier, official, 100_000, K.GIFT_CARD, conv, "中秋快乐（京东E卡）")
    p.cases["supplier_holiday_gift"] = {
        "title": "供应商中秋节前向教育装备股股长赠送电子购物卡", "person_id": official, "counterparty_ids": [supplier],
        "relation": Relation.SUPPLIER, "festival": "mid_autumn", "festival_date": mid_autumn.isoformat(),
        "payment_ids": [pay], "message_ids": [m1], "total_fen": 100_000,
        "expected": {"category": Category.GIFTS, "analyzers": ["payments.holiday_gifts", "payments.managed_party_gifts"],
                     "rule_ids": GIFT_RULES},
    }


def bid_gift(p: Planter) -> None:
    """A company thanks the 招标办主任 with a transfer three days after winning a bid."""
    official = official_id(8, "招标办主任")
    company = add_party(p.org, p.rng, "M008", "建筑公司", [official], since=date(2022, 1, 1), core=True).person_id
    bid_day = date(2023, 11, 15)
    eid = p.event("bid", bid_day, EventKind.BID, BY_CODE[8].name, official, company)
    conv = dm(official, company)
    m1 = p.say("bid", when(bid_day + timedelta(days=3), 21, 5), conv, company, "主任，这次中标多亏您关照，一点心意")
    pay = p.pay("bid", when(bid_day + timedelta(days=3), 21, 6), company, official, 800_000, K.TRANSFER, conv, "感谢关照")
    p.cases["bid_gift"] = {
        "title": "中标企业在中标后向招标办主任转账", "person_id": official, "counterparty_ids": [company],
        "event_id": eid, "event_date": bid_day.isoformat(), "payment_ids": [pay], "message_ids": [m1],
        "total_fen": 800_000,
        "expected": {"category": Category.GIFTS, "analyzers": ["payments.event_gifts", "payments.managed_party_gifts",
                                                               "payments.large_sums"], "rule_ids": GIFT_RULES},
    }


def money_near_misses(p: Planter, spring: date) -> None:
    """Must NOT be flagged: a family 压岁钱 packet in a family group; a managed party's packet returned."""
    head = official_id(6, "局长")
    child = next((r for r in p.org.family[head] if p.person(r).post == "子女"), p.org.family[head][0])
    pay = p.pay("nm", when(spring, 9, 30), head, child, 20_000, K.RED_PACKET, "G051", "压岁钱")
    msg = p.say("nm", when(spring, 9, 30), "G051", head, "压岁钱", K.RED_PACKET)
    p.near_misses["family_packet"] = {
        "title": "家人群里的压岁钱红包", "group_id": "G051", "person_id": head, "counterparty_ids": [child],
        "relation": Relation.FAMILY, "payment_ids": [pay], "message_ids": [msg], "must_not_flag": True,
    }
    official = official_id(12, "城关市场监管所所长")
    shop = add_party(p.org, p.rng, "M009", "个体户", [official], core=True).person_id
    conv = dm(official, shop)
    day = date(2023, 12, 20)
    pay2 = p.pay("nm", when(day, 18, 0), shop, official, 20_000, K.RED_PACKET, conv, "所长辛苦了", status=S.RETURNED)
    m1 = p.say("nm", when(day, 18, 0), conv, shop, "所长辛苦了", K.RED_PACKET)
    m2 = p.say("nm", when(day, 18, 25), conv, official, "心意领了，红包已退还，以后千万不要这样，有事按程序办")
    p.near_misses["returned_packet"] = {
        "title": "管理服务对象的红包已退还", "person_id": official, "counterparty_ids": [shop], "status": S.RETURNED,
        "payment_ids": [pay2], "message_ids": [m1, m2], "must_not_flag": True,
    }
