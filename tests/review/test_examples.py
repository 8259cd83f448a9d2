"""Decisions as labelled examples: every message of a decided incident, with the decision's id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.review.accounts import Actor, Role
from redline.review.alerts import build_alerts
from redline.review.decisions import decide
from redline.review.examples import decision_examples
from redline.store import save_findings
from redline.store.db import migrate
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import AlertFinding, Decision
from redline.training.decisions import decision_ids, decision_rows

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_examples_keep_the_decision_and_every_message(tmp_path: Path) -> None:
    engine = migrate(f"sqlite:///{tmp_path / 'e.db'}")
    # a1, a2 in chat c-a (one incident); b1 alone in chat c-b; d1 in chat c-d, left open
    chats = {"a1": "c-a", "a2": "c-a", "b1": "c-b", "d1": "c-d"}
    with Session(engine) as session, session.begin():
        session.add_all(Message(id=m, time=T0 + timedelta(minutes=i), conversation=c, text=f"文本{m}")
                        for i, (m, c) in enumerate(chats.items()))
    save_findings(engine, [Finding("R-1", "gifts", "lexicon", "message", m, "high", "测试") for m in chats])
    assert build_alerts(engine) == 3
    with Session(engine) as session:
        alert_of = {mid: aid for aid, mid in session.execute(
            select(AlertFinding.alert_id, FindingRow.subject_id).join(FindingRow, FindingRow.id == AlertFinding.finding_id))}
    assert alert_of["a1"] == alert_of["a2"]
    ana = Actor("ana", Role.ANALYST)
    decide(engine, ana, [alert_of["b1"]], "dismiss", reason="先驳回")
    decide(engine, ana, [alert_of["b1"]], "reopen")
    decide(engine, ana, [alert_of["b1"]], "dismiss", reason="正常往来")
    decide(engine, ana, [alert_of["a1"]], "escalate", reason="核实")
    with Session(engine) as session:
        ids = {(d.alert_id, d.action, d.reason): d.id for d in session.scalars(select(Decision))}
    examples = decision_examples(engine)
    assert [(e.message_id, e.categories, e.decision_id) for e in examples] == sorted([
        ("a1", ("gifts",), ids[(alert_of["a1"], "escalate", "核实")]),
        ("a2", ("gifts",), ids[(alert_of["a1"], "escalate", "核实")]),
        ("b1", (), ids[(alert_of["b1"], "dismiss", "正常往来")]),  # the dismissal in force, not the first
    ], key=lambda t: (alert_of[t[0]], t[0]))
    rows = decision_rows(engine)
    assert len(rows) == 3
    assert decision_ids(engine) == [e.decision_id for e in examples]
