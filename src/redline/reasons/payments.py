"""Reason templates of the payment typologies (`payments.*`), Chinese first, English second.

Most typologies share one sentence, "who received how much from whom, when", and add why it
matters ("张某 在 2016-03-01 至 2016-08-10 期间收到 李某（管理服务对象）所发红包 21 个，共计
4,200.00 元。…"); its facts are `GIFT`. The others (a relative as go-between, a packet game,
money to voters) have sentences of their own.
"""

from __future__ import annotations

from typing import Final

from redline.reasons.template import Facts, TemplateTable
from redline.reasons.words import (
    RELATION_EN,
    RELATION_ZH,
    kinds_en,
    kinds_zh,
    period_en,
    period_zh,
    role_en,
    role_zh,
    yuan,
)

PAYMENTS: Final = TemplateTable("payments.")

# The facts of the shared gift sentence: names as shown (already pseudonymised), the
# payer's listed relation (None: none listed) and status, the payment kinds, fen, ISO dates.
GIFT: Final[Facts] = {
    "person": "张某", "payer": "李某", "relation": "managed", "payer_official": False, "payer_external": True,
    "kinds": ["red_packet", "red_packet"], "count": 2, "total_fen": 420_000,
    "first_date": "2016-03-01", "last_date": "2016-08-10",
}

EVENT_ZH: Final = {"bid": "中标", "approval": "审批", "inspection": "检查", "promotion": "提拔", "election": "选举"}
EVENT_EN: Final = {"bid": "bid award", "approval": "approval", "inspection": "inspection",
                   "promotion": "promotion", "election": "election"}
FESTIVAL_ZH: Final = {"spring_festival": "春节", "dragon_boat": "端午节", "mid_autumn": "中秋节",
                      "national_day": "国庆节"}
FESTIVAL_EN: Final = {"spring_festival": "Spring Festival", "dragon_boat": "Dragon Boat Festival",
                      "mid_autumn": "Mid-Autumn Festival", "national_day": "National Day"}
# Why a payer with no listed relation is taken for a managed party (payments.inferred_parties).
BASIS_ZH: Final = {
    "beneficiary": "对方是本人或本单位决定事项（events.csv）的受益方",
    "listed_for_colleague": "对方是同单位其他干部登记在册的管理服务对象或供应商",
    "pays_unit": "对方单方面向同一单位多名干部送钱",
}
BASIS_EN: Final = {
    "beneficiary": "the payer benefited from a decision by this official or their unit (events.csv)",
    "listed_for_colleague": "the payer is a listed managed party or supplier of a colleague in the same unit",
    "pays_unit": "the payer pays several officials of the same unit, one way",
}


def gift_sentence(f: Facts, why_zh: str, why_en: str) -> tuple[str, str]:
    """The standard 'who received how much from whom, when' sentence plus why it matters."""
    official, external = bool(f["payer_official"]), bool(f["payer_external"])
    rz, re_ = role_zh(f["relation"], official, external), role_en(f["relation"], official, external)
    zh = (
        f"{f['person']} {period_zh(f['first_date'], f['last_date'])}收到 {f['payer']}（{rz}）所发"
        f"{kinds_zh(f['kinds'], f['count'])}，共计 {yuan(f['total_fen'])} 元。{why_zh}"
    )
    en = (
        f"{f['person']} received {kinds_en(f['kinds'], f['count'])} totalling {yuan(f['total_fen'])} yuan "
        f"from {f['payer']} ({re_}) {period_en(f['first_date'], f['last_date'])}. {why_en}"
    )
    return zh, en


@PAYMENTS.add("payments.large_sums",
              {**GIFT, "large": True, "lucky": True, "round_thousand": False, "back_fen": 0})
def _large_sums(f: Facts) -> tuple[str, str]:
    signs_zh = "".join(s for s, on in (("，金额为吉利数", f["lucky"]), ("，金额为整千", f["round_thousand"])) if on)
    signs_en = "".join(s for s, on in ((", a 'lucky' amount", f["lucky"]),
                                       (", a round thousand", f["round_thousand"])) if on)
    back_zh = "其未向对方回付" if not f["back_fen"] else f"其仅向对方付款 {yuan(f['back_fen'])} 元"
    if f["large"]:
        return gift_sentence(f, f"单日大额{signs_zh}，{back_zh}，不属正常人情往来，须核实款项性质。",
                             f"A large one-off sum{signs_en}, not reciprocated; check what the money was for.")
    return gift_sentence(f, f"金额为吉利数（弱信号），{back_zh}，须核实款项性质。",
                         "A 'lucky' amount (a weak sign), not reciprocated; check what the money was for.")


@PAYMENTS.add("payments.event_gifts", {**GIFT, "event_kind": "bid", "event_date": "2016-05-01", "event_id": "E1"})
def _event_gifts(f: Facts) -> tuple[str, str]:
    kind, date = f["event_kind"], f["event_date"]
    return gift_sentence(
        f,
        f"对方是其经办的{EVENT_ZH.get(kind, kind)}事项（{date}，编号 {f['event_id']}）的受益方，"
        "在决定前后送钱，涉嫌利益输送。",
        f"The payer benefited from the {EVENT_EN.get(kind, kind)} on {date} ({f['event_id']}) "
        "that this official handled: gifts around a decision suggest a quid pro quo.",
    )


@PAYMENTS.add("payments.holiday_gifts", {**GIFT, "festival": "mid_autumn", "festival_year": 2016})
def _holiday_gifts(f: Facts) -> tuple[str, str]:
    festival, year = f["festival"], f["festival_year"]
    return gift_sentence(
        f,
        f"时值{year}年{FESTIVAL_ZH.get(festival, festival)}前后，属节日期间收受礼金，是“四风”问题的多发情形。",
        f"This was around {FESTIVAL_EN.get(festival, festival)} {year}: festival gifts are a classic "
        "'four winds' case.",
    )


@PAYMENTS.add("payments.managed_party_gifts", {**GIFT, "one_way": False, "return_ratio": 0.0, "back_fen": 0})
def _managed_party_gifts(f: Facts) -> tuple[str, str]:
    rz, re_ = RELATION_ZH.get(f["relation"], f["relation"]), RELATION_EN.get(f["relation"], f["relation"])
    ratio = f["return_ratio"]
    if f["one_way"]:  # a relation with everyday give-and-take: only one-way money is a lead
        zh, en = gift_sentence(
            f, f"系{rz}单方面送钱（其回付 {ratio:.0%}），须核实是否与工作有关。",
            f"One-way money from a {re_} (the official paid back {ratio:.0%}); check whether it is work-related.")
    else:
        zh, en = gift_sentence(f, f"收受{rz}的红包礼金，不论金额大小均违反纪律规定。",
                               f"Gifts from a {re_} are forbidden whatever the amount.")
    if f["back_fen"]:
        zh += f"同期其向对方支付 {yuan(f['back_fen'])} 元。"
        en += f" Over the period the official paid the party {yuan(f['back_fen'])} yuan."
    return zh, en


@PAYMENTS.add("payments.managed_party_gifts.inferred", {**GIFT, "relation": None, "basis": "beneficiary"})
def _inferred_managed_party(f: Facts) -> tuple[str, str]:
    basis = f["basis"]
    return gift_sentence(
        f,
        f"推定为管理服务对象（{BASIS_ZH.get(basis, basis)}；关系名单未登记，须核实）：收受管理服务对象的红包礼金，"
        "不论金额大小均违反纪律规定。",
        f"Inferred managed party ({BASIS_EN.get(basis, basis)}; not in the relation list, to be checked): "
        "gifts from a managed party are forbidden whatever the amount.",
    )


@PAYMENTS.add("payments.repeated_gifts", {**GIFT, "back_fen": 5_000, "return_ratio": 0.05})
def _repeated_gifts(f: Facts) -> tuple[str, str]:
    back, ratio = f["back_fen"], f["return_ratio"]
    back_zh = "其从未向对方回礼" if back == 0 else f"其仅回付 {yuan(back)} 元（{ratio:.0%}）"
    back_en = "never paid anything back" if back == 0 else f"paid back only {yuan(back)} yuan ({ratio:.0%})"
    return gift_sentence(
        f,
        f"{back_zh}，属经常性单方面收受，须核实双方是否存在管理服务或利益关系。",
        f"The official {back_en}: repeated one-way gifts; check whether the payer is a managed party.",
    )


@PAYMENTS.add("payments.family_proxy", {
    "person": "张某", "relative": "张某某", "payer": "李某", "relation": None, "beneficiary": True,
    "kinds": ["transfer"], "count": 1, "total_fen": 500_000, "first_date": "2016-03-01", "last_date": "2016-03-01"})
def _family_proxy(f: Facts) -> tuple[str, str]:
    p, r, x = f["person"], f["relative"], f["payer"]
    if f["relation"]:
        tie_zh, tie_en = RELATION_ZH.get(f["relation"], f["relation"]), RELATION_EN.get(f["relation"], f["relation"])
    elif f["beneficiary"]:
        tie_zh, tie_en = "其经办事项的受益方", "beneficiary of a decision the official handled"
    else:
        tie_zh, tie_en = "非公职人员，单方面付款", "non-official, one-way payments"
    zh = (
        f"{p} 的亲属 {r} {period_zh(f['first_date'], f['last_date'])}收到 {x}（{p} 的{tie_zh}）所发"
        f"{kinds_zh(f['kinds'], f['count'])}，共计 {yuan(f['total_fen'])} 元。"
        "疑似由亲属代收，规避收受礼金的纪律规定。"
    )
    en = (
        f"{r}, a relative of {p}, received {kinds_en(f['kinds'], f['count'])} totalling "
        f"{yuan(f['total_fen'])} yuan from {x} ({tie_en} of {p}) "
        f"{period_en(f['first_date'], f['last_date'])}: possibly gifts taken through a relative."
    )
    return zh, en


@PAYMENTS.add("payments.packet_gambling", {
    "person": "王某", "group": "麻将群", "first_date": "2016-02-07", "last_date": "2016-02-08", "packets": 12,
    "sent": 2, "claims": 40, "total_fen": 120_000, "chain": True, "links": 9, "talk": True, "hits": 5})
def _packet_gambling(f: Facts) -> tuple[str, str]:
    signs_zh = "；".join(s for s, on in (
        (f"其中 {f['links']} 个由上一个红包的手气最佳者接着发出（红包接龙）", f["chain"]),
        (f"群内同时出现“扫雷”“下注”等赌博用语 {f['hits']} 次", f["talk"])) if on)
    signs_en = "; ".join(s for s, on in (
        (f"{f['links']} were sent by the previous packet's largest claimer (a relay game)", f["chain"]),
        (f"stake vocabulary appeared {f['hits']} times in the group", f["talk"])) if on)
    sent, group = f["sent"], f["group"]
    zh = (
        f"{f['person']} {period_zh(f['first_date'], f['last_date'])}在群「{group}」参与连续红包 "
        f"{f['packets']} 个{f'（本人发出 {sent} 个）' if sent else ''}，领取记录 {f['claims']} 笔、合计 "
        f"{yuan(f['total_fen'])} 元；{signs_zh}。涉嫌以微信红包形式赌博。"
    )
    en = (
        f"{f['person']} took part in a run of {f['packets']} group red packets "
        f"{f'(sent {sent} of them) ' if sent else ''}in group '{group}' {period_en(f['first_date'], f['last_date'])}, "
        f"{f['claims']} claims totalling {yuan(f['total_fen'])} yuan; {signs_en}. "
        "This looks like red-packet gambling."
    )
    return zh, en


@PAYMENTS.add("payments.vote_buying", {
    "person": "赵某", "first_date": "2017-03-01", "last_date": "2017-03-20", "election_date": "2017-03-25",
    "unit": "某村", "days_before": 30, "recipients": 12, "count": 14, "total_fen": 280_000, "habit": 1.5})
def _vote_buying(f: Facts) -> tuple[str, str]:
    w, date = f["days_before"], f["election_date"]
    zh = (
        f"{f['person']} {period_zh(f['first_date'], f['last_date'])}（{date} {f['unit'] or '本单位'}选举前 {w} 天内）向"
        f" {f['recipients']} 名选举相关人员发放红包、转账 {f['count']} 笔，共计 {yuan(f['total_fen'])} 元；"
        f"此前每 {w} 天平均仅 {f['habit']:.1f} 人。涉嫌拉票贿选。"
    )
    en = (
        f"{f['person']} paid {f['recipients']} voters (unit {f['unit'] or '-'} or the candidate's groups) "
        f"{f['count']} times, {yuan(f['total_fen'])} yuan in all, {period_en(f['first_date'], f['last_date'])}, "
        f"within {w} days before the election on {date}; their habit is {f['habit']:.1f} recipients per "
        f"{w} days. This looks like vote-buying."
    )
    return zh, en
