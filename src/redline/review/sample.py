"""A small sample organisation with findings: the console's fixture for tests and first looks.

Seven people in two units, a work group, a direct chat with a managed party (管理服务对象)
who sends red packets, a message carrying a resident ID and a mobile number, and findings of
every subject kind. `REAL_SECRETS` lists what an analyst must never see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.store.findings import save_findings
from redline.store.tables.messages import Message
from redline.store.tables.org import Group, Membership, Person, Relation
from redline.store.tables.payments import Payment

RESIDENT_ID: Final = "11010519491231002X"  # the textbook example of GB 11643, checksum-valid
MOBILE: Final = "13812345678"
PEOPLE: Final = (
    ("p-zhangwei", "张伟", "财政局", "科长", True, False),
    ("p-lina", "李娜", "财政局", "科员", True, False),
    ("p-zhaomin", "赵敏", "教育局", "副局长", True, False),
    ("p-chengang", "陈刚", "教育局", "科员", True, False),
    ("p-liuyang", "刘洋", "财政局", "科员", True, False),
    ("b-wanglaoban", "王建国", "", "某建材公司老板", False, True),
    ("b-sunjie", "孙杰", "", "某餐饮公司", False, True),
)
REAL_SECRETS: Final = (*(p[1] for p in PEOPLE), RESIDENT_ID, MOBILE, "财政局-张伟")
T0: Final = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in +08:00


def _messages() -> list[Message]:
    rows = [
        Message(id=f"g1-{i:02d}", time=T0 + timedelta(minutes=10 * i), conversation="g-finance",
                sender=("p-zhangwei", "p-lina", "p-liuyang")[i % 3], type="text",
                text=f"今天的预算表第{i}版已经上传,请李娜核对。")
        for i in range(30)
    ]
    rows[15].text = f"我的身份证号是{RESIDENT_ID},电话{MOBILE},报销单请找张伟签字"
    rows.append(Message(id="dm-01", time=T0 + timedelta(days=1), conversation="dm:b-wanglaoban|p-zhangwei",
                        sender="b-wanglaoban", type="text", text="张科长,王老板发来一个红包:节日快乐,以后多关照"))
    rows.append(Message(id="dm-02", time=T0 + timedelta(days=1, minutes=3), conversation="dm:b-wanglaoban|p-zhangwei",
                        sender="p-zhangwei", type="text", text="王建国你太客气了,收下了"))
    rows.append(Message(id="dm-03", time=T0 + timedelta(days=2), conversation="dm:b-sunjie|p-zhaomin",
                        sender="b-sunjie", type="text", text="赵局长,周末一起吃个饭,我请客"))
    return rows


def _findings() -> list[Finding]:
    return [
        Finding("TJ-06", "gifts", "lexicon", "message", "dm-01", "high",
                "张伟收到管理服务对象王建国的红包邀约:“红包”", "Gift offer from a managed party",
                person_id="p-zhangwei", label="gift-offers", start=11, end=13, evidence="红包", pack="tianjin-2017"),
        Finding("ZJ-09", "privacy", "pii", "message", "g1-15", "medium",
                f"群内发送了身份证号 {RESIDENT_ID} 和手机号 {MOBILE}", "ID and phone number posted in a group",
                person_id="p-zhangwei", label="ric", start=7, end=25, evidence=RESIDENT_ID, pack="zhejiang-2017"),
        Finding("TJ-06", "gifts", "payments.managed_party_gifts", "payment", "pay-03", "critical",
                "张伟 在 2026-03-03 至 2026-03-07 间收到 王建国(管理服务对象)红包 5 个,共 1,000.00 元",
                "张伟 received 5 red packets totalling 1,000 yuan from 王建国 (managed party)",
                person_id="p-zhangwei", kind="managed_party_gifts", pack="tianjin-2017",
                related_ids=tuple(f"pay-{i:02d}" for i in range(1, 6))),
        Finding("XY-03", "governance", "groups.unregistered", "group", "g-finance", "low",
                "工作群“财政局预算群”未备案", "Work group not registered", kind="unregistered", pack="xianyang-2015"),
        Finding("ZJ-03", "conduct", "lexicon", "message", "dm-03", "medium",
                "管理服务对象孙杰宴请赵敏", "Invitation to dinner by a managed party",
                person_id="p-zhaomin", label="banquet", start=6, end=11, evidence="一起吃个饭", pack="zhejiang-2017"),
    ]


def load_sample(engine: Engine) -> int:
    """Fill an empty, migrated store with the sample organisation; returns the alerts created."""
    with Session(engine) as session, session.begin():
        session.add_all(Person(person_id=pid, name=name, unit=unit, post=post, is_official=official,
                               external=external, extra={}) for pid, name, unit, post, official, external in PEOPLE)
        session.add_all([
            Relation(person_id="p-zhangwei", other_id="b-wanglaoban", relation="managed", extra={}),
            Relation(person_id="p-zhaomin", other_id="b-sunjie", relation="managed", extra={}),
        ])
        session.add(Group(group_id="g-finance", name="财政局预算群", type="department", owner_id="p-zhangwei",
                          registered=False, classification="", daily_report=False, extra={}))
        session.add_all(Membership(group_id="g-finance", person_id=pid, display_name=f"财政局-{name}",
                                   joined=date(2025, 1, 1), extra={})
                        for pid, name, unit, *_ in PEOPLE if unit == "财政局")
        session.add_all(_messages())
        session.add_all(
            Payment(payment_id=f"pay-{i:02d}", time=T0 + timedelta(days=i, hours=1), payer="b-wanglaoban",
                    payee="p-zhangwei", amount_fen=20_000, kind="red_packet", channel="wechat",
                    conversation="dm:b-wanglaoban|p-zhangwei", memo=f"节日快乐{i}", status="received",
                    packet_id=f"pk-{i}", extra={})
            for i in range(1, 6)
        )
        session.add(Payment(payment_id="pay-90", time=T0 + timedelta(days=9), payer="p-zhangwei", payee="b-sunjie",
                            amount_fen=5_000, kind="transfer", channel="wechat", conversation="", memo="饭钱",
                            status="paid", packet_id="", extra={}))
    save_findings(engine, _findings())
    return build_alerts(engine)
