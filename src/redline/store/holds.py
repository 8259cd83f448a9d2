"""What the active holds (保全) cover, resolved to ids: retention and re-imports consult it.

It lives in the store because `store.load` must leave held rows alone on a re-import; placing
and lifting holds (with reasons, audited) is `cases.holds`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import Session

from redline.store.tables.findings import FindingRow
from redline.store.tables.holds import Hold
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, AlertFinding, AlertItem


def active(session: Session, scope: str | None = None, target: str | None = None) -> list[Hold]:
    """Holds not lifted, oldest first (optionally of one scope and target)."""
    query = select(Hold).where(Hold.lifted_at.is_(None)).order_by(Hold.id)
    if scope:
        query = query.where(Hold.scope == scope)
    if target is not None:
        query = query.where(Hold.target == target)
    return list(session.scalars(query))


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
            # the alert's findings (alert_findings) and what it is about (alert_items)
            for subject, subject_id, related in session.execute(
                    select(FindingRow.subject, FindingRow.subject_id, FindingRow.related_ids)
                    .join(AlertFinding, AlertFinding.finding_id == FindingRow.id)
                    .where(AlertFinding.alert_id == alert.id)):
                if subject in ("message", "payment"):
                    items.add(subject_id)
                items.update(str(r) for r in related or [])
            items.update(session.scalars(select(AlertItem.item_id).where(
                AlertItem.alert_id == alert.id, AlertItem.kind.in_(("message", "payment")))))
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
