"""Retention and holds on the sample organisation, with every count worked out from its rows.

The sample (review.sample): 30 messages in the group g-finance (g1-00..g1-29), three direct
messages (dm-01..dm-03), payments pay-01..pay-05 (the red packets) and pay-90. Findings name
dm-01, g1-15, dm-03, pay-03 (with related pay-01..pay-05) and the group. The case about 张伟
holds the alerts of g1-15 and of the gift incident (dm-01 with the red packets pay-03): two
alerts, three findings.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from tests.cases.conftest import INV

from redline.bundle import read_bundle
from redline.bundle.write import write_bundle
from redline.cases.holds import active, history, lift, place
from redline.cases.retention import RetentionPolicy, apply
from redline.errors import AccessDenied, ConfigError
from redline.review import audit_log
from redline.review.accounts import Actor, Role
from redline.review.cases import set_status
from redline.review.decisions import decide
from redline.store.load import load_bundle
from redline.store.tables.audit import AuditEntry
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, Case

GROUP_MESSAGES = 30
UNNAMED_GROUP = GROUP_MESSAGES - 1  # g1-15 carries a finding
LATER = timedelta(days=400)  # past 180 days (messages, payments) and 365 (dismissed alerts)


def _dismiss_dm03(engine: Engine) -> None:
    with Session(engine) as session:
        alert_id = session.scalar(select(Alert.id).where(Alert.subject_id == "dm-03"))
    assert alert_id is not None
    decide(engine, INV, [alert_id], "dismiss", reason="同事聚餐，已核实")


def _counts(outcomes: list) -> dict[str, tuple[int, int]]:
    return {f"{o.rule}/{o.kind}": (o.count, o.held) for o in outcomes}


def _rows(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_dry_run_counts_what_apply_deletes(case_store: tuple[Engine, int]) -> None:
    engine, _ = case_store
    _dismiss_dm03(engine)
    now = datetime.now(UTC) + LATER
    expected = {
        "concluded_cases/case": (0, 0), "concluded_cases/alert": (0, 0), "concluded_cases/finding": (0, 0),
        "dismissed_alerts/alert": (1, 0), "dismissed_alerts/finding": (1, 0),
        # 29 group messages, dm-02 (never named) and dm-03 (named only by the dismissed finding)
        "messages_without_finding/message": (UNNAMED_GROUP + 2, 0),
        "payments_without_finding/payment": (1, 0),  # pay-90
    }
    before = _rows(engine, Message)
    dry = apply(engine, RetentionPolicy(), now=now, dry_run=True)
    assert _counts(dry) == expected
    assert _rows(engine, Message) == before  # a dry run deletes nothing
    done = apply(engine, RetentionPolicy(), now=now)
    assert _counts(done) == expected
    assert _rows(engine, Message) == before - (UNNAMED_GROUP + 2)
    with Session(engine) as session:
        left = sorted(session.scalars(select(Message.id)))
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.delete")
                                       .order_by(AuditEntry.seq)))
    assert left == ["dm-01", "g1-15"]
    assert [(e.target, e.detail["kind"], e.detail["count"]) for e in entries] == [
        ("rule:dismissed_alerts", "alert", 1), ("rule:dismissed_alerts", "finding", 1),
        ("rule:messages_without_finding", "message", UNNAMED_GROUP + 2),
        ("rule:payments_without_finding", "payment", 1)]
    assert audit_log.verify(engine).ok  # deleting rows never touches the chain


def test_concluded_cases_go_after_five_years(case_store: tuple[Engine, int]) -> None:
    engine, case_id = case_store
    set_status(engine, INV, case_id, "concluded", "violation")
    policy = RetentionPolicy(messages_without_finding_days=None, payments_without_finding_days=None)
    assert _counts(apply(engine, policy, now=datetime.now(UTC) + LATER))["concluded_cases/case"] == (0, 0)
    later = datetime.now(UTC) + timedelta(days=5 * 365 + 1)
    done = _counts(apply(engine, policy, now=later))
    assert done["concluded_cases/case"] == (1, 0)
    # one incident, one alert: the gift offer dm-01 and the red packets pay-03 are one alert
    assert done["concluded_cases/alert"] == (2, 0)
    assert done["concluded_cases/finding"] == (3, 0)
    with Session(engine) as session:
        assert session.get(Case, case_id) is None
        assert sorted(session.scalars(select(FindingRow.subject_id))) == ["dm-03", "g-finance"]


def test_a_hold_survives_retention_until_lifted(case_store: tuple[Engine, int]) -> None:
    engine, case_id = case_store
    set_status(engine, INV, case_id, "concluded", "violation")
    case_hold = place(engine, INV, "case", str(case_id), "移送司法机关，证据保全")
    group_hold = place(engine, INV, "group", "g-finance", "群聊记录待调取")
    later = datetime.now(UTC) + timedelta(days=5 * 365 + 1)
    held = _counts(apply(engine, RetentionPolicy(), now=later))
    assert held["concluded_cases/case"] == (0, 1)
    # dm-02 goes; the 29 unnamed group messages are held (dm-03 still carries its finding)
    assert held["messages_without_finding/message"] == (1, UNNAMED_GROUP)
    assert held["payments_without_finding/payment"] == (1, 0)  # pay-90: no finding, no hold
    with Session(engine) as session:
        assert session.get(Case, case_id) is not None
        assert sum(1 for m in session.scalars(select(Message.id)) if m.startswith("g1-")) == GROUP_MESSAGES
    lift(engine, INV, group_hold, "调取完毕，解除保全")
    lift(engine, INV, case_hold, "案件审结，解除保全")
    after = _counts(apply(engine, RetentionPolicy(), now=later))
    assert after["concluded_cases/case"] == (1, 0)
    # the case's findings went with it, so g1-15 falls to the message rule as well
    assert after["messages_without_finding/message"] == (GROUP_MESSAGES + 1, 0)  # 30 group + dm-01
    assert after["payments_without_finding/payment"] == (5, 0)  # the red packets pay-01..pay-05
    with Session(engine) as session:
        assert active(session) == []
        assert [h.lift_reason for h in history(session, "group", "g-finance")] == ["调取完毕，解除保全"]
        actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.action.like("hold.%"))
                                                     .order_by(AuditEntry.seq))]
    assert actions == ["hold.place", "hold.place", "hold.lift", "hold.lift"]
    assert audit_log.verify(engine).ok


@pytest.mark.parametrize(("reason", "actor", "error"), [
    ("", INV, ConfigError), ("ab", INV, ConfigError), ("证据保全需要", Actor("ana", Role.ANALYST), AccessDenied),
])
def test_holds_need_a_reason_and_an_investigator(case_store: tuple[Engine, int], reason: str, actor: Actor,
                                                 error: type[Exception]) -> None:
    engine, case_id = case_store
    with pytest.raises(error):
        place(engine, actor, "case", str(case_id), reason)
    hold = place(engine, INV, "case", str(case_id), "证据保全需要")
    with pytest.raises(error):
        lift(engine, actor, hold, reason)


def test_a_reimport_leaves_held_rows_as_collected(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, _ = case_store
    place(engine, INV, "person", "p-zhaomin", "谈话前保全")
    t = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
    bundle = write_bundle(tmp_path / "again", {
        "messages": [
            # dm-03 is in 赵敏's direct chat (held): the edit must not land
            {"id": "dm-03", "time": t, "conversation": "dm:b-sunjie|p-zhaomin", "sender": "b-sunjie",
             "type": "text", "text": "改过的内容"},
            # dm-02 is not held: the edit lands; dm-04 is new and loads although the chat is held
            {"id": "dm-02", "time": t, "conversation": "dm:b-wanglaoban|p-zhangwei", "sender": "p-zhangwei",
             "type": "text", "text": "更正后的内容"},
            {"id": "dm-04", "time": t, "conversation": "dm:b-sunjie|p-zhaomin", "sender": "p-zhaomin",
             "type": "text", "text": "新消息"},
        ],
        "payments": [{"payment_id": "pay-90", "time": t, "payer": "p-zhangwei", "payee": "b-sunjie",
                      "amount_fen": 1, "kind": "transfer", "channel": "wechat", "status": "paid"}],
    })
    load_bundle(engine, read_bundle(bundle))
    with Session(engine) as session:
        texts = {m.id: m.text for m in session.scalars(select(Message).where(Message.id.like("dm-%")))}
        pay90 = session.get(Payment, "pay-90")
    assert texts == {"dm-01": "张科长,王老板发来一个红包:节日快乐,以后多关照", "dm-02": "更正后的内容",
                     "dm-03": "赵局长,周末一起吃个饭,我请客", "dm-04": "新消息"}
    assert pay90 is not None
    assert pay90.amount_fen == 1  # 赵敏 is no party to pay-90: not held, so the re-import updates it
