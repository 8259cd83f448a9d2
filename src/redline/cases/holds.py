"""Holds (保全): an investigator freezes a case, a person or a group, with a written reason.

Under hold, retention deletes nothing and a re-import changes nothing that is already stored:
- a case: the case, its notes and decisions, its alerts and their findings, and the messages
  and payments those findings name (as in its evidence package);
- a person: every message they sent, every payment to or from them, findings and alerts
  about them, and their cases;
- a group: its messages and payments, and the findings and alerts about the group.
New rows still load (a hold keeps what was collected; it does not stop collecting). Lifting
needs a reason too; a hold is never deleted, so its history stays. Both acts are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import Connection, Engine, or_, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError, NotFound
from redline.review import audit_log
from redline.review.accounts import Actor, Perm
from redline.review.alerts import findings_of
from redline.store.tables.holds import Hold
from redline.store.tables.messages import Message
from redline.store.tables.org import Group, Person
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, Case

SCOPES: Final = ("case", "person", "group")
MIN_REASON: Final = 4


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ConfigError("a hold, and lifting one, needs a written reason (at least 4 characters)")
    return reason


def place(engine: Engine, actor: Actor, scope: str, target: str, reason: str) -> int:
    """Put a case, person or group on hold; returns the hold's number."""
    actor.require(Perm.WORK_CASES)
    reason, target = _reason(reason), target.strip()
    if scope not in SCOPES:
        raise ConfigError(f"a hold is on one of {', '.join(SCOPES)}, not {scope!r}")
    with Session(engine) as session, session.begin():
        exists = {
            "case": lambda: target.isdigit() and session.get(Case, int(target)) is not None,
            "person": lambda: session.get(Person, target) is not None,
            "group": lambda: session.get(Group, target) is not None,
        }[scope]()
        if not exists:
            raise NotFound(f"no {scope} {target}")
        hold = Hold(scope=scope, target=target, reason=reason, placed_by=actor.username,
                    placed_at=datetime.now(UTC))
        session.add(hold)
        session.flush()
        hold_id = hold.id
    audit_log.record(engine, actor.username, actor.role, "hold.place", f"{scope}:{target}",
                     {"hold": hold_id, "reason": reason})
    return hold_id


def lift(engine: Engine, actor: Actor, hold_id: int, reason: str) -> None:
    """Lift a hold; the hold stays on record with who lifted it, when and why."""
    actor.require(Perm.WORK_CASES)
    reason = _reason(reason)
    with Session(engine) as session, session.begin():
        hold = session.get(Hold, hold_id)
        if hold is None:
            raise NotFound(f"no hold {hold_id}")
        if hold.lifted_at is not None:
            raise ConfigError(f"hold {hold_id} was already lifted")
        hold.lifted_by, hold.lifted_at, hold.lift_reason = actor.username, datetime.now(UTC), reason
        scope, target = hold.scope, hold.target
    audit_log.record(engine, actor.username, actor.role, "hold.lift", f"{scope}:{target}",
                     {"hold": hold_id, "reason": reason})


def active(session: Session, scope: str | None = None, target: str | None = None) -> list[Hold]:
    """Holds not lifted, oldest first (optionally of one scope and target)."""
    query = select(Hold).where(Hold.lifted_at.is_(None)).order_by(Hold.id)
    if scope:
        query = query.where(Hold.scope == scope)
    if target is not None:
        query = query.where(Hold.target == target)
    return list(session.scalars(query))


def history(session: Session, scope: str, target: str) -> list[Hold]:
    """Every hold ever placed on one case, person or group (lifted ones too)."""
    return list(session.scalars(select(Hold).where(Hold.scope == scope, Hold.target == target).order_by(Hold.id)))


@dataclass(frozen=True, slots=True)
class Held:
    """What the active holds cover, resolved to ids (retention and re-imports consult it)."""

    cases: frozenset[int] = frozenset()
    people: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()  # message and payment ids named by held cases' findings
    alerts: frozenset[int] = frozenset()  # alerts of held cases

    def __bool__(self) -> bool:
        return bool(self.cases or self.people or self.groups)

    def message_ids(self, session: Session) -> set[str]:
        """Ids of stored messages under hold."""
        if not self:
            return set()
        # a person's direct chats (dm:a|b) are theirs too, whoever sent each message
        chats = [c for p in self.people for c in (Message.conversation.like(f"dm:{p}|%"),
                                                   Message.conversation.like(f"dm:%|{p}"))]
        return set(session.scalars(select(Message.id).where(or_(
            Message.sender.in_(self.people), Message.conversation.in_(self.groups), Message.id.in_(self.items),
            *chats))))

    def payment_ids(self, session: Session) -> set[str]:
        """Ids of stored payments under hold."""
        if not self:
            return set()
        return set(session.scalars(select(Payment.payment_id).where(or_(
            Payment.payer.in_(self.people), Payment.payee.in_(self.people),
            Payment.conversation.in_(self.groups), Payment.payment_id.in_(self.items)))))

    def covers_alert(self, alert: Alert) -> bool:
        """Whether an alert is under hold (its case, its person or its group is held)."""
        return (alert.id in self.alerts or (alert.case_id in self.cases)
                or (alert.person_id or "") in self.people
                or (alert.subject == "group" and alert.subject_id in self.groups))


def held(session: Session) -> Held:
    """Resolve the active holds."""
    holds = active(session)
    cases = frozenset(int(h.target) for h in holds if h.scope == "case")
    people = {h.target for h in holds if h.scope == "person"}
    groups = frozenset(h.target for h in holds if h.scope == "group")
    items: set[str] = set()
    alert_ids: set[int] = set()
    if cases:
        for alert in session.scalars(select(Alert).where(Alert.case_id.in_(cases))):
            alert_ids.add(alert.id)
            for f in findings_of(session, alert):
                items.add(f.subject_id)
                items.update(str(r) for r in f.related_ids or [])
    return Held(cases, frozenset(people), groups, frozenset(items), frozenset(alert_ids))


def held_keys(connection: Connection, table: str) -> set[str]:
    """Keys of stored rows of `table` that a re-import must leave as they are (messages, payments)."""
    if table not in ("messages", "payments"):
        return set()
    with Session(bind=connection) as session:
        if not session.scalar(select(Hold.id).where(Hold.lifted_at.is_(None)).limit(1)):
            return set()
        cover = held(session)
        return cover.message_ids(session) if table == "messages" else cover.payment_ids(session)
