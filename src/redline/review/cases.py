"""Cases: the workflow an investigator follows, with the users' own dispositions.

Status: open → investigating → concluded, and a concluded case records its outcome
(violation / no_violation). The disposition of the lead (问题线索处置) is one of the four
ways of GLOSSARY.md — 谈话函询, 初步核实, 暂存待查, 予以了结 — or 审查调查 (passed on for formal
review and investigation, 立案). Redline records what people chose; it never proposes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError, NotFound
from redline.review import audit_log
from redline.review.accounts import Actor, Perm
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, AlertItem, Case, CaseNote, Decision

STATUSES: Final = ("open", "investigating", "concluded")
TRANSITIONS: Final = {"open": ("investigating", "concluded"), "investigating": ("concluded",), "concluded": ()}
OUTCOMES: Final = ("violation", "no_violation")
DISPOSITIONS: Final = ("谈话函询", "初步核实", "暂存待查", "予以了结", "审查调查")
DISPOSITIONS_EN: Final = {
    "谈话函询": "talk or written inquiry", "初步核实": "preliminary verification",
    "暂存待查": "set aside, pending", "予以了结": "closed", "审查调查": "formal review and investigation",
}


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case


def set_status(engine: Engine, actor: Actor, case_id: int, status: str, outcome: str | None = None) -> None:
    """Move a case along open → investigating → concluded; concluding needs an outcome."""
    actor.require(Perm.WORK_CASES)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        case = _case(session, case_id)
        if status not in TRANSITIONS.get(case.status, ()):
            raise ConfigError(f"case {case_id} cannot go from {case.status} to {status}")
        if status == "concluded" and outcome not in OUTCOMES:
            raise ConfigError(f"concluding needs an outcome: {' or '.join(OUTCOMES)}")
        case.status, case.updated_at = status, now
        case.outcome = outcome if status == "concluded" else None
        session.add(Decision(case_id=case_id, actor=actor.username, action="status",
                             value=status if outcome is None else f"{status}:{outcome}", created_at=now))
    audit_log.record(engine, actor.username, actor.role, "case.status", f"case:{case_id}",
                     {"status": status, "outcome": outcome})


def set_disposition(engine: Engine, actor: Actor, case_id: int, disposition: str, reason: str = "") -> None:
    """Record the disposition people chose (one of DISPOSITIONS)."""
    actor.require(Perm.WORK_CASES)
    if disposition not in DISPOSITIONS:
        raise ConfigError(f"unknown disposition {disposition!r}; one of {', '.join(DISPOSITIONS)}")
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        case = _case(session, case_id)
        if case.status == "concluded":
            raise ConfigError(f"case {case_id} is concluded")
        case.disposition, case.updated_at = disposition, now
        session.add(Decision(case_id=case_id, actor=actor.username, action="disposition",
                             value=disposition, reason=reason, created_at=now))
    audit_log.record(engine, actor.username, actor.role, "case.disposition", f"case:{case_id}",
                     {"disposition": disposition, "reason": reason})


def add_note(engine: Engine, actor: Actor, case_id: int, text: str) -> None:
    """Append a note to a case."""
    actor.require(Perm.WORK_CASES)
    text = text.strip()
    if not text or len(text) > 10_000:
        raise ConfigError("a note needs 1 to 10,000 characters")
    with Session(engine) as session, session.begin():
        _case(session, case_id)
        session.add(CaseNote(case_id=case_id, author=actor.username, text=text, created_at=datetime.now(UTC)))
    audit_log.record(engine, actor.username, actor.role, "case.note", f"case:{case_id}", {"chars": len(text)})


def list_cases(session: Session, status: str | None = None, limit: int = 100) -> list[tuple[Case, int]]:
    """Cases (newest first) with their number of alerts."""
    n_alerts = select(func.count(Alert.id)).where(Alert.case_id == Case.id).scalar_subquery()
    query = select(Case, n_alerts).order_by(Case.id.desc()).limit(limit)
    if status:
        query = query.where(Case.status == status)
    return [(c, int(n or 0)) for c, n in session.execute(query)]


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page and the reports show about one case."""

    case: Case
    alerts: list[Alert]
    notes: list[CaseNote]
    decisions: list[Decision]


def case_view(session: Session, case_id: int) -> CaseView:
    """The case with its alerts, notes and decision history."""
    case = _case(session, case_id)
    alerts = list(session.scalars(select(Alert).where(Alert.case_id == case_id).order_by(Alert.id)))
    notes = list(session.scalars(select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)))
    decisions = list(session.scalars(select(Decision).where(Decision.case_id == case_id).order_by(Decision.id)))
    return CaseView(case, alerts, notes, decisions)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """A message sent or a payment made or received by the case's person."""

    time: datetime
    kind: str  # "message" | "payment"
    item_id: str
    text: str
    counterparty: str  # conversation id for messages, the other party for payments
    amount_fen: int | None = None
    direction: str = ""  # "in" | "out" for payments


TIMELINE_KINDS: Final = ("all", "message", "payment", "group")


def _naive_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def _payment_item(p: Payment, person_id: str | None) -> TimelineItem:
    incoming = p.payee == person_id
    return TimelineItem(p.time, "payment", p.payment_id, p.memo, p.payer if incoming else p.payee,
                        p.amount_fen, "in" if incoming else "out")


def timeline(session: Session, person_id: str, limit: int = 200, offset: int = 0, kind: str = "all") -> list[TimelineItem]:
    """The person's messages and payments merged by time, newest first: one page of `limit`
    after `offset`. `kind` keeps messages, payments, or the messages in group conversations."""
    if kind not in TIMELINE_KINDS:
        raise ConfigError(f"unknown timeline kind {kind!r}; one of {', '.join(TIMELINE_KINDS)}")
    want = offset + limit  # each source's first `want` rows hold the merged page
    items: list[TimelineItem] = []
    if kind in ("all", "message", "group"):
        query = select(Message).where(Message.sender == person_id)
        if kind == "group":
            query = query.where(~Message.conversation.startswith("dm:"))
        items += [TimelineItem(m.time, "message", m.id, m.text, m.conversation)
                  for m in session.scalars(query.order_by(Message.time.desc(), Message.id.desc()).limit(want))]
    if kind in ("all", "payment"):
        items += [_payment_item(p, person_id) for p in session.scalars(
            select(Payment).where(or_(Payment.payer == person_id, Payment.payee == person_id))
            .order_by(Payment.time.desc(), Payment.payment_id.desc()).limit(want))]
    items.sort(key=lambda i: (_naive_utc(i.time), i.item_id), reverse=True)
    return items[offset:want]


@dataclass(frozen=True, slots=True)
class CaseEvidence:
    """Every message and payment the case's alerts are about, oldest first — never cut."""

    messages: list[Message]
    payments: list[Payment]


def case_evidence(session: Session, case_id: int) -> CaseEvidence:
    """All the evidence of the case's alerts (the items their findings cite), whatever its size."""
    alert_ids = select(Alert.id).where(Alert.case_id == case_id)
    ids = select(AlertItem.item_id).where(AlertItem.alert_id.in_(alert_ids))
    messages = session.scalars(select(Message).where(Message.id.in_(ids.where(AlertItem.kind == "message")))
                               .order_by(Message.time, Message.id))
    payments = session.scalars(select(Payment).where(Payment.payment_id.in_(ids.where(AlertItem.kind == "payment")))
                               .order_by(Payment.time, Payment.payment_id))
    return CaseEvidence(list(messages), list(payments))


@dataclass(frozen=True, slots=True)
class Edge:
    """Money between the case's person and one counterparty (totals in fen)."""

    counterparty: str
    n_in: int
    fen_in: int
    n_out: int
    fen_out: int


def counterparty_graph(session: Session, person_id: str) -> list[Edge]:
    """Payments to and from the person, summed per counterparty in SQL."""
    totals: dict[str, list[int]] = {}
    incoming = select(Payment.payer, func.count(), func.coalesce(func.sum(Payment.amount_fen), 0)).where(
        Payment.payee == person_id).group_by(Payment.payer)
    outgoing = select(Payment.payee, func.count(), func.coalesce(func.sum(Payment.amount_fen), 0)).where(
        Payment.payer == person_id).group_by(Payment.payee)
    for other, n, fen in session.execute(incoming):
        totals.setdefault(other, [0, 0, 0, 0])[0:2] = [int(n or 0), int(fen or 0)]
    for other, n, fen in session.execute(outgoing):
        if other:
            totals.setdefault(other, [0, 0, 0, 0])[2:4] = [int(n or 0), int(fen or 0)]
    return [Edge(k, *v) for k, v in sorted(totals.items(), key=lambda kv: -(kv[1][1] + kv[1][3]))]
