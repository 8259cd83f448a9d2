"""Retention on the demo county: dry run and apply delete exactly the rows worked out here.

The expected counts are computed from the bundle's own Arrow tables (not from the store):
messages older than the cutoff, minus those a finding names, minus those in a held group.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow.compute as pc
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.cases.conftest import INV

from redline.bundle import read_bundle
from redline.cases.holds import place
from redline.cases.retention import RetentionPolicy, apply
from redline.contracts import Finding
from redline.review import audit_log
from redline.review.alerts import build_alerts
from redline.store import load_bundle, migrate
from redline.store.findings import save_findings
from redline.store.tables.messages import Message
from redline.store.tables.org import Group
from redline.store.tables.payments import Payment


def test_retention_on_the_demo_county(demo_bundle: Any, tmp_path: Any) -> None:
    engine = migrate(f"sqlite:///{tmp_path / 'demo.db'}")
    read = read_bundle(demo_bundle.bundle_path)
    load_bundle(engine, read)
    messages, payments = read.tables.messages, read.tables.payments
    ids = messages.column("id").to_pylist()
    times = messages.column("time").to_pylist()
    groups = messages.column("conversation").to_pylist()
    # findings on every 50th message and on every 40th payment, as a screening would leave them
    named_messages = set(ids[::50])
    pay_ids = payments.column("payment_id").to_pylist()
    named_payments = set(pay_ids[::40])
    save_findings(engine, [Finding("T-1", "conduct", "test", "message", m, "low", "测试线索") for m in named_messages]
                  + [Finding("T-2", "gifts", "test", "payment", p, "low", "测试线索") for p in named_payments])
    build_alerts(engine)
    # a hold on the registered group with the most messages
    with Session(engine) as session:
        registered = set(session.scalars(select(Group.group_id)))
    in_groups = [c for c in groups if c in registered]
    held_group = max(set(in_groups), key=in_groups.count)
    place(engine, INV, "group", held_group, "专项检查，群聊保全")
    # the cutoff splits the county's messages in two: the median message time
    now = datetime.now(UTC)
    median = sorted(times)[len(times) // 2]
    median = median.replace(tzinfo=UTC) if median.tzinfo is None else median
    days = (now - median).days
    cutoff = now - timedelta(days=days)
    old = [(i, g) for i, t, g in zip(ids, times, groups, strict=True)
           if (t.replace(tzinfo=UTC) if t.tzinfo is None else t) < cutoff and i not in named_messages]
    want_held = sum(1 for _, g in old if g == held_group)
    want_gone = len(old) - want_held
    pay_conv = payments.column("conversation").to_pylist()
    pay_times = payments.column("time").to_pylist()
    old_pay = [(p, c) for p, t, c in zip(pay_ids, pay_times, pay_conv, strict=True)
               if (t.replace(tzinfo=UTC) if t.tzinfo is None else t) < cutoff and p not in named_payments]
    want_pay_held = sum(1 for _, c in old_pay if c == held_group)
    assert want_gone > 1000
    assert want_held > 0
    policy = RetentionPolicy(concluded_cases_days=None, dismissed_alerts_days=None,
                             messages_without_finding_days=days, payments_without_finding_days=days)
    dry = {o.kind: (o.count, o.held) for o in apply(engine, policy, now=now, dry_run=True)}
    assert dry == {"message": (want_gone, want_held), "payment": (len(old_pay) - want_pay_held, want_pay_held)}
    done = {o.kind: (o.count, o.held) for o in apply(engine, policy, now=now)}
    assert done == dry
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Message)) == messages.num_rows - want_gone
        assert session.scalar(select(func.count()).select_from(Payment)) == (
            payments.num_rows - (len(old_pay) - want_pay_held))
    assert audit_log.verify(engine).ok
    # every held message of the group is still there
    with Session(engine) as session:
        kept = session.scalar(select(func.count()).select_from(Message).where(Message.conversation == held_group))
    assert kept == pc.sum(pc.equal(messages.column("conversation"), held_group)).as_py()
    engine.dispose()
