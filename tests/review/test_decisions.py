from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, ConfigError, NotFound
from redline.review import audit_log
from redline.review.accounts import Actor, Role
from redline.review.decisions import actions_for, decide
from redline.store.tables.accounts import Account
from redline.store.tables.audit import AuditEntry
from redline.store.tables.review import Alert, Case, Decision

ANA = Actor("ana", Role.ANALYST)


def _alert(engine: Engine, subject_id: str) -> Alert:
    with Session(engine) as session:
        return session.scalars(select(Alert).where(Alert.subject_id == subject_id)).one()


def _actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_dismiss_needs_a_reason_and_is_recorded_and_audited(store: Engine) -> None:
    alert = _alert(store, "g1-15")
    with pytest.raises(ConfigError, match="reason"):
        decide(store, ANA, [alert.id], "dismiss", reason="  ")
    decide(store, ANA, [alert.id], "dismiss", reason="测试数据,不是真实证件")
    after = _alert(store, "g1-15")
    assert (after.status, after.decided_at is not None) == ("dismissed", True)
    with Session(store) as session:
        d = session.scalars(select(Decision)).one()
    assert (d.actor, d.action, d.reason) == ("ana", "dismiss", "测试数据,不是真实证件")
    assert _actions(store) == ["alert.dismiss"]
    assert audit_log.verify(store).ok


def test_bulk_escalate_makes_one_case_for_the_person(store: Engine) -> None:
    ids = [_alert(store, s).id for s in ("g1-15", "pay-03")]
    case_id = decide(store, ANA, ids, "escalate", reason="王建国多次送红包")
    with Session(store) as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert (case.person_id, case.status, case.owner) == ("p-zhangwei", "open", "ana")
        linked = sorted(a.id for a in session.scalars(select(Alert).where(Alert.case_id == case_id)))
    assert linked == sorted(ids)
    with pytest.raises(ConfigError, match="already in case"):
        decide(store, ANA, ids[:1], "dismiss", reason="x")
    decide(store, ANA, ids[:1], "tag", value="节日")  # tagging stays possible
    assert _alert(store, "g1-15").tags == ["节日"]


def _accounts(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        session.add_all(Account(username=u, role=r, password_hash="x", active=active, created_at=datetime.now(UTC))
                        for u, r, active in (("inv", "investigator", True), ("aud", "auditor", True),
                                             ("gone", "investigator", False)))


def test_tag_assign_and_bad_input(store: Engine) -> None:
    _accounts(store)
    alert = _alert(store, "dm-03")
    decide(store, ANA, [alert.id], "assign", value="inv")
    decide(store, ANA, [alert.id], "tag", value="宴请")
    decide(store, ANA, [alert.id], "tag", value="宴请")
    after = _alert(store, "dm-03")
    assert (after.assignee, after.tags) == ("inv", ["宴请"])
    with pytest.raises(ConfigError, match="unknown action"):
        decide(store, ANA, [alert.id], "delete")
    with pytest.raises(NotFound):
        decide(store, ANA, [999_999], "tag", value="x")


@pytest.mark.parametrize("who", ["nobody", "aud", "gone", ""], ids=["no-such-user", "auditor", "inactive", "empty"])
def test_assignment_only_to_active_users_who_can_decide(store: Engine, who: str) -> None:
    _accounts(store)
    alert = _alert(store, "dm-03")
    with pytest.raises(ConfigError):
        decide(store, ANA, [alert.id], "assign", value=who)
    assert _alert(store, "dm-03").assignee is None


def test_an_escalated_case_is_owned_by_the_assignee_and_follows_reassignment(store: Engine) -> None:
    _accounts(store)
    alert = _alert(store, "dm-03")
    decide(store, ANA, [alert.id], "assign", value="inv")
    case_id = decide(store, ANA, [alert.id], "escalate", reason="宴请")
    with Session(store) as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.owner == "inv"
    assert actions_for("escalated") == ("tag", "assign", "note")
    assert "dismiss" not in actions_for("escalated")
    assert "escalate" not in actions_for("dismissed")


def test_auditor_cannot_decide(store: Engine) -> None:
    alert = _alert(store, "dm-03")
    with pytest.raises(AccessDenied):
        decide(store, Actor("aud", Role.AUDITOR), [alert.id], "dismiss", reason="no")
    assert _alert(store, "dm-03").status == "new"


def test_a_note_is_history_and_changes_nothing(store: Engine) -> None:
    alert = _alert(store, "dm-03")
    with pytest.raises(ConfigError, match="note"):
        decide(store, ANA, [alert.id], "note", reason=" ")
    decide(store, ANA, [alert.id], "note", reason="已电话核实，周一再看")
    after = _alert(store, "dm-03")
    assert (after.status, after.assignee, after.tags) == ("new", None, [])
    with Session(store) as session:
        notes = list(session.scalars(select(Decision).where(Decision.alert_id == alert.id, Decision.action == "note")))
    assert [(n.actor, n.reason) for n in notes] == [("ana", "已电话核实，周一再看")]
