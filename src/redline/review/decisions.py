"""Decisions on alerts: dismiss with a reason, tag, assign, escalate into a case (bulk too).

Every decision is a `decisions` row (who, what, why, when) and one audit entry; the alert
keeps only its current state. An alert that went into a case is the case's now: it can be
tagged or assigned, but no longer dismissed or escalated elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError, NotFound
from redline.review import audit_log, risk_order
from redline.review.accounts import ROLE_PERMS, Actor, Perm, Role
from redline.store.tables.accounts import Account
from redline.store.tables.review import Alert, Case, Decision

ACTIONS: Final = ("dismiss", "tag", "assign", "escalate", "reopen", "note")
# who an alert may be assigned to: someone who can decide on it (an analyst or an investigator)
ASSIGNABLE: Final = tuple(r.value for r in Role if Perm.DECIDE in ROLE_PERMS[r])


def assignees(session: Session) -> list[tuple[str, str]]:
    """(username, role) of the active accounts an alert can be assigned to, by username."""
    rows = session.execute(select(Account.username, Account.role).where(
        Account.active, Account.role.in_(ASSIGNABLE)).order_by(Account.username))
    return [(u, r) for u, r in rows]


def actions_for(status: str) -> tuple[str, ...]:
    """What can still be done to an alert in this status (the page offers only these)."""
    return {"new": ("dismiss", "tag", "assign", "escalate", "note"), "dismissed": ("reopen", "tag", "note"),
            "escalated": ("tag", "assign", "note")}.get(status, ())


def _alerts(session: Session, alert_ids: Sequence[int]) -> list[Alert]:
    ids = sorted(set(alert_ids))
    if not ids:
        raise ConfigError("no alerts selected")
    if len(ids) > 1000:
        raise ConfigError("at most 1000 alerts per bulk action")
    rows = list(session.scalars(select(Alert).where(Alert.id.in_(ids))))
    missing = set(ids) - {a.id for a in rows}
    if missing:
        raise NotFound(f"no alert {min(missing)}")
    return rows


def decide(
    engine: Engine, actor: Actor, alert_ids: Sequence[int], action: str, *, reason: str = "",
    value: str = "", case_id: int | None = None,
) -> int | None:
    """Apply one decision to the alerts; returns the case id for `escalate`, else None.

    `reason` is required to dismiss; `value` is the tag or the assignee's username; `case_id`
    escalates into an existing case instead of a new one.
    """
    actor.require(Perm.DECIDE)
    if action not in ACTIONS:
        raise ConfigError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    reason, value = reason.strip(), value.strip()
    if action == "dismiss" and not reason:
        raise ConfigError("a dismissal needs a reason")
    if action == "note" and not reason:
        raise ConfigError("a note needs text")
    if action in ("tag", "assign") and not value:
        raise ConfigError(f"{action} needs a value")
    if len(value) > 64 or len(reason) > 4000:
        raise ConfigError("value or reason too long")
    now = datetime.now(UTC)
    result: int | None = None
    with Session(engine) as session, session.begin():
        if action == "assign" and value not in {u for u, _ in assignees(session)}:
            raise ConfigError(f"cannot assign to {value!r}: not an active analyst or investigator account")
        alerts = _alerts(session, alert_ids)
        in_case = [a.id for a in alerts if a.status == "escalated"]
        if action in ("dismiss", "escalate", "reopen") and in_case:
            raise ConfigError(f"alert {in_case[0]} is already in case {alerts[0].case_id}; work it there")
        if action == "dismiss":
            for alert in alerts:
                alert.status, alert.decided_at = "dismissed", now
        elif action == "reopen":
            for alert in alerts:
                alert.status, alert.decided_at = "new", None
        elif action == "note":
            pass  # a note changes nothing: it is its Decision row, shown in the alert's history
        elif action == "tag":
            for alert in alerts:
                if value not in alert.tags:
                    alert.tags = [*alert.tags, value]
        elif action == "assign":
            for alert in alerts:
                alert.assignee = value
                if alert.case_id is not None:
                    # the case of an escalated alert is worked by whoever the alert is assigned to
                    case = session.get(Case, alert.case_id)
                    if case is not None and case.status != "concluded":
                        case.owner = value
        else:
            case = _target_case(session, actor, alerts, case_id, reason, now)
            for alert in alerts:
                alert.status, alert.case_id, alert.decided_at = "escalated", case.id, now
            result = case.id
        session.add_all(
            Decision(alert_id=a.id, case_id=a.case_id, actor=actor.username, action=action,
                     value=value, reason=reason, created_at=now)
            for a in alerts
        )
        ids = [a.id for a in alerts]
    if action in ("dismiss", "reopen"):
        risk_order.refresh_alerts(engine, ids)  # a dismissed finding counts 0 in its person's risk
    detail: dict[str, object] = {"alert_ids": ids, "reason": reason, "value": value}
    if result is not None:
        detail["case_id"] = result
    audit_log.record(engine, actor.username, actor.role, f"alert.{action}", f"alert:{ids[0]}", detail)
    return result


def _target_case(
    session: Session, actor: Actor, alerts: list[Alert], case_id: int | None, reason: str,
    now: datetime,
) -> Case:
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"no case {case_id}")
        if case.status == "concluded":
            raise ConfigError(f"case {case_id} is concluded")
        return case
    people = {a.person_id for a in alerts if a.person_id}
    person_id = sorted(people)[0] if len(people) == 1 else None
    # the case belongs to whoever the alerts were assigned to (an investigator picked before the
    # escalation), not to the analyst who escalated; unassigned, it is the escalator's
    assigned = {a.assignee for a in alerts if a.assignee}
    owner = assigned.pop() if len(assigned) == 1 else actor.username
    case = Case(
        title=reason[:300] or f"alerts {', '.join(str(a.id) for a in alerts[:5])}",
        person_id=person_id, status="open", owner=owner, created_at=now, updated_at=now,
    )
    session.add(case)
    session.flush()
    return case
