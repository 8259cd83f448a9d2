"""复核: blind second reviewer, never one's own decision, kappa against hand-worked figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.errors import AccessDenied
from redline.review.accounts import Actor, Role, add_account
from redline.review.alerts import build_alerts
from redline.review.decisions import decide
from redline.review.second_look import Policy, agreement, appraise, assign, pending
from redline.store import save_findings
from redline.store.db import migrate
from redline.store.tables.audit import AuditEntry
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import AlertFinding

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
ANA, IVAN = Actor("ana", Role.ANALYST), Actor("ivan", Role.INVESTIGATOR)
# alert n (1..10): rule, first verdict (ana), second verdict (ivan)
PLAN = {1: ("R-1", "confirm", "confirm"), 2: ("R-1", "confirm", "confirm"), 3: ("R-1", "confirm", "dismiss"),
        4: ("R-1", "dismiss", "dismiss"), 5: ("R-1", "dismiss", "dismiss"), 6: ("R-1", "dismiss", "confirm"),
        7: ("R-2", "confirm", "confirm"), 8: ("R-2", "dismiss", "dismiss"), 9: ("R-2", "dismiss", "dismiss"),
        10: ("R-2", "dismiss", "dismiss")}


@pytest.fixture
def decided(tmp_path: Path) -> tuple[Engine, dict[int, int]]:
    """Ten one-message alerts decided by ana; ivan and ana may decide, auditor may not."""
    engine = migrate(f"sqlite:///{tmp_path / 's.db'}")
    for name, role in (("ana", "analyst"), ("ivan", "investigator"), ("aud", "auditor")):
        add_account(engine, name, role, "a long enough password 123")
    with Session(engine) as session, session.begin():
        session.add_all(Message(id=f"m{n}", time=T0 + timedelta(minutes=n), conversation=f"c{n}", text="x")
                        for n in PLAN)
    save_findings(engine, [Finding(rule, "gifts", "lexicon", "message", f"m{n}", "high", "测试")
                           for n, (rule, _, _) in PLAN.items()])
    assert build_alerts(engine) == len(PLAN)
    with Session(engine) as session:
        alert_of = {int(mid[1:]): aid for aid, mid in session.execute(
            select(AlertFinding.alert_id, FindingRow.subject_id).join(FindingRow, FindingRow.id == AlertFinding.finding_id))}
    for n, (_, first, _) in PLAN.items():
        if first == "confirm":
            decide(engine, ANA, [alert_of[n]], "escalate", reason="核实")
        else:
            decide(engine, ANA, [alert_of[n]], "dismiss", reason="正常往来")
    return engine, alert_of


def test_default_policy_draws_at_least_one_a_week_and_never_the_first_reviewer(
        decided: tuple[Engine, dict[int, int]]) -> None:
    engine, _ = decided
    drawn = assign(engine)
    assert len(drawn) >= 1  # ten decisions of ana in one week: the weekly minimum
    assert {second for _, second in drawn} == {"ivan"}  # not ana, not the auditor
    assert assign(engine) == []  # drawn once


def test_second_look_and_kappa(decided: tuple[Engine, dict[int, int]]) -> None:
    engine, alert_of = decided
    drawn = assign(engine, Policy(dismiss_share=1.0, confirm_share=1.0))
    assert sorted(a for a, _ in drawn) == sorted(alert_of.values())
    assert pending(engine, "ana") == []
    assert pending(engine, "ivan") == sorted(alert_of.values())
    with pytest.raises(AccessDenied, match="own decision"):
        appraise(engine, ANA, alert_of[1], "confirm")
    for n, (_, _, second) in PLAN.items():
        appraise(engine, IVAN, alert_of[n], second)
    with pytest.raises(AccessDenied):
        appraise(engine, IVAN, alert_of[1], "confirm")  # once
    figures = agreement(engine)
    # agree 4 of 6, each rater confirms 3 of 6 → pe 0.5, κ (0.6667 − 0.5) / 0.5 = 0.3333
    assert figures["by_rule"]["R-1"] == {"n": 6, "agreement": 0.6667, "kappa": 0.3333}
    # all four agree → κ 1
    assert figures["by_rule"]["R-2"] == {"n": 4, "agreement": 1.0, "kappa": 1.0}
    # overall: agree 8 of 10, each confirms 4 of 10 → pe 0.16 + 0.36 = 0.52, κ 0.28 / 0.48 = 0.5833
    assert figures["overall"] == {"n": 10, "agreement": 0.8, "kappa": 0.5833}
    assert figures["by_reviewer"]["ana"]["n"] == 10
    assert sorted(d["alert_id"] for d in figures["disagreements"]) == sorted([alert_of[3], alert_of[6]])
    with Session(engine) as session:
        notes = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "second_look.disagreement")))
    assert len(notes) == 2
    assert all(e.detail["notify"] == ["ana", "ivan", "admin"] for e in notes)
