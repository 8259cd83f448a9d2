"""Building alerts: new findings grouped into incidents (`incidents`), one alert per incident.

Incremental: only findings newer than the last build (a watermark on findings.id in
console_keys) are placed. A new finding joins an undecided alert it shares a link key with
(same category, within the window); findings that join nobody form new alerts. Alerts already
dismissed or escalated are never grown: a reviewer's decision covers what they saw, and the
new alert is linked to the old one as related (they share keys in `alert_items`).

Findings that report a red packet in a conversation whose packets were all returned
(红包已退还) are kept as findings but raise no alert: giving the money back is what the rules
ask for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, tuple_, update

from redline.review import risk_order
from redline.review.incidents import (
    SEVERITY_RANK,
    Hit,
    IncidentPolicy,
    event_span,
    group_hits,
    link_keys,
)
from redline.store.tables.accounts import ConsoleKey
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.org import Membership, Person
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, AlertFinding, AlertItem

_WATERMARK: Final = "alerts.last_finding"
_CHUNK: Final = 500  # ids per IN (…): well under SQLite's bound-parameter limit
RETURN_WINDOW: Final = timedelta(days=7)  # how near a returned packet must be to the words about it
_SEVERITY_OF_RANK: Final = {v: k for k, v in SEVERITY_RANK.items()}


@dataclass(slots=True)
class _Row:
    """A finding with what grouping and the alert's summary need."""

    id: int
    subject: str
    subject_id: str
    person_id: str | None
    rule_id: str
    pack: str
    category: str
    severity: str
    score: float
    conversation: str | None
    hit: Hit


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _times(conn: Connection, column: Any, key: Any, ids: Iterable[str]) -> dict[str, tuple[datetime, str]]:
    wanted = sorted(set(ids))
    out: dict[str, tuple[datetime, str]] = {}
    for part in _chunks(wanted):
        for ident, when, conversation in conn.execute(select(key, column, key.table.c.conversation).where(key.in_(part))):
            out[ident] = (when, conversation or "")
    return out


def _load(conn: Connection, finding_ids: Sequence[int]) -> list[_Row]:
    """The findings with their event times and link keys (a few set-based reads, no per-row query)."""
    rows: list[Any] = []
    for part in _chunks(sorted(finding_ids)):
        rows += conn.execute(select(
            FindingRow.id, FindingRow.subject, FindingRow.subject_id, FindingRow.person_id, FindingRow.rule_id,
            FindingRow.pack, FindingRow.category, FindingRow.severity, FindingRow.score, FindingRow.time,
            FindingRow.facts, FindingRow.related_ids, FindingRow.created_at,
        ).where(FindingRow.id.in_(part))).all()
    msg_ids = {r.subject_id for r in rows if r.subject == "message"}
    pay_ids = {r.subject_id for r in rows if r.subject == "payment"}
    for r in rows:
        msg_ids.update(str(m) for m in (r.facts or {}).get("message_ids") or ())
        pay_ids.update(str(p) for p in _cited_payments(r))
    messages = _times(conn, Message.__table__.c.time, Message.__table__.c.id, msg_ids)
    payments = _times(conn, Payment.__table__.c.time, Payment.__table__.c.payment_id, pay_ids)
    pairs = sorted({(str((r.facts or {}).get("group_id")), r.subject_id) for r in rows
                    if r.subject == "person" and (r.facts or {}).get("group_id")})
    joined: dict[tuple[str, str], Any] = {}
    for part in _chunks(pairs):
        for g, p, day in conn.execute(select(Membership.group_id, Membership.person_id, Membership.joined)
                                      .where(tuple_(Membership.group_id, Membership.person_id).in_(part))):
            joined[(g, p)] = day
    # a finding about a whole group (unregistered, no owner) with no date of its own: the
    # group's latest membership change is the last thing that happened to it
    groups = sorted({r.subject_id for r in rows if r.subject == "group"})
    for part in _chunks(groups):
        for g, day in conn.execute(select(Membership.group_id, func.max(Membership.joined))
                                   .where(Membership.group_id.in_(part)).group_by(Membership.group_id)):
            joined[(g, g)] = day
    out = []
    for r in rows:
        facts = r.facts or {}
        own = messages.get(r.subject_id) if r.subject == "message" else (
            payments.get(r.subject_id) if r.subject == "payment" else None)
        conversation = own[1] if own else (r.subject_id if r.subject == "group" else None)
        cited = [messages[str(m)][0] for m in facts.get("message_ids") or () if str(m) in messages]
        cited += [payments[p][0] for p in _cited_payments(r) if p in payments]
        member = (r.subject_id, r.subject_id) if r.subject == "group" else (str(facts.get("group_id")), r.subject_id)
        first, last = event_span(r.time, facts, [own[0], *cited] if own else cited, joined.get(member), r.created_at)
        keys = link_keys(r.subject, r.subject_id, r.person_id, facts, r.related_ids or (), conversation)
        out.append(_Row(r.id, r.subject, r.subject_id, r.person_id, r.rule_id, r.pack, r.category, r.severity,
                        float(r.score or 0), conversation, Hit(r.id, r.category, last, first, keys, f"{r.subject}:{r.subject_id}")))
    return out


def _cited_payments(row: Any) -> list[str]:
    """The payments a finding names: its facts' payment_ids, and a payment finding's related ids
    (the other packets of its pattern: the pattern ends with the latest of them)."""
    cited = [str(p) for p in (row.facts or {}).get("payment_ids") or ()]
    if row.subject == "payment":
        cited += [str(p) for p in row.related_ids or ()]
    return cited


def _returned(conn: Connection, rows: Sequence[_Row]) -> set[int]:
    """Ids of gift findings on messages whose conversation's nearby packets were all returned."""
    gifts = [r for r in rows if r.subject == "message" and r.category == "gifts" and r.conversation]
    out: set[int] = set()
    for conv in {r.conversation for r in gifts}:
        pays = conn.execute(select(Payment.time, Payment.status).where(Payment.conversation == conv)).all()
        for r in (g for g in gifts if g.conversation == conv):
            near = [status for when, status in pays
                    if abs(_utc(when) - r.hit.time) <= RETURN_WINDOW]
            if near and all(s == "returned" for s in near):
                out.add(r.id)
    return out


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _officials(conn: Connection, people: Iterable[str]) -> set[str]:
    wanted = sorted({p for p in people if p})
    found: set[str] = set()
    for part in _chunks(wanted):
        found.update(conn.scalars(select(Person.person_id).where(Person.person_id.in_(part), Person.is_official)))
    return found


def _candidates(conn: Connection, rows: Sequence[_Row]) -> dict[int, list[int]]:
    """Undecided alerts sharing a key with the new findings: alert id → its finding ids."""
    keys = sorted({k for r in rows for k in r.hit.keys})
    alert_ids: set[int] = set()
    for part in _chunks(keys):
        alert_ids.update(conn.scalars(
            select(AlertItem.alert_id).join(Alert, Alert.id == AlertItem.alert_id)
            .where(tuple_(AlertItem.kind, AlertItem.item_id).in_(part), Alert.status == "new")))
    out: dict[int, list[int]] = {}
    for part in _chunks(sorted(alert_ids)):
        for alert_id, finding_id in conn.execute(select(AlertFinding.alert_id, AlertFinding.finding_id)
                                                 .where(AlertFinding.alert_id.in_(part))):
            out.setdefault(alert_id, []).append(finding_id)
    return out


def _summary(rows: Sequence[_Row], officials: set[str]) -> dict[str, Any]:
    """An alert's face: its most severe finding (an official's before an outsider's), the
    latest event time, the number of findings."""
    top = min(rows, key=lambda r: (-SEVERITY_RANK.get(r.severity, 1), r.person_id not in officials, -r.score, r.id))
    rank = max(SEVERITY_RANK.get(r.severity, 1) for r in rows)
    person = top.person_id
    if person not in officials:
        person = next((r.person_id for r in rows if r.person_id in officials), person)
    return {
        "subject": top.subject, "subject_id": top.subject_id, "person_id": person, "rule_id": top.rule_id,
        "pack": top.pack, "category": top.category, "severity": _SEVERITY_OF_RANK[rank], "severity_rank": rank,
        "time": max(r.hit.time for r in rows), "n_findings": len(rows), "top_finding_id": top.id,
    }


def _write(conn: Connection, rows: Sequence[_Row], into: dict[int, int], now: datetime) -> int:
    """Store incidents: `into` maps a row position to its alert id, or -incident for a new one."""
    created: dict[int, int] = {}
    officials = _officials(conn, (r.person_id for r in rows if r.person_id))
    by_alert: dict[int, list[_Row]] = {}
    for pos, target in into.items():
        by_alert.setdefault(target, []).append(rows[pos])
    units: dict[str, str] = {}
    for part in _chunks(sorted({r.person_id for r in rows if r.person_id})):
        units.update(conn.execute(select(Person.person_id, Person.unit).where(Person.person_id.in_(part))).tuples().all())
    fresh = sorted((t for t in by_alert if t < 0), reverse=True)  # -1, -2, …: in incident order
    if fresh:
        # one multi-row INSERT … RETURNING for every new alert (a statement per alert costs minutes
        # at a hundred thousand incidents)
        faces = [_summary(by_alert[t], officials) for t in fresh]
        values = [{**face, "unit": units.get(face["person_id"] or "", "") or "", "status": "new", "tags": [],
                   "assignee": None, "case_id": None, "decided_at": None, "created_at": now} for face in faces]
        ids = conn.execute(insert(Alert).returning(Alert.id, sort_by_parameter_order=True), values).scalars().all()
        created = dict(zip(fresh, (int(i) for i in ids), strict=True))
    grown = [t for t in by_alert if t > 0]
    if grown:  # existing alerts are rewritten whole: their findings and items again
        moved = [r.id for t in grown for r in by_alert[t]]
        for part in _chunks(moved):
            conn.execute(delete(AlertFinding).where(AlertFinding.finding_id.in_(part)))
        for part in _chunks(grown):
            conn.execute(delete(AlertItem).where(AlertItem.alert_id.in_(part)))
    links = [{"alert_id": created.get(t, t), "finding_id": r.id} for t, members in by_alert.items() for r in members]
    items = [{"alert_id": created.get(t, t), "kind": k, "item_id": v[:300]}
             for t, members in by_alert.items() for k, v in sorted({k for r in members for k in r.hit.keys})]
    for i in range(0, len(links), 50_000):
        conn.execute(insert(AlertFinding), links[i:i + 50_000])
    for i in range(0, len(items), 50_000):
        conn.execute(insert(AlertItem), items[i:i + 50_000])
    for target in grown:
        face = _summary(by_alert[target], officials)
        conn.execute(update(Alert).where(Alert.id == target).values(
            **{k: v for k, v in face.items() if k != "person_id"}))
    return len(created)


def build_alerts(engine: Engine, policy: IncidentPolicy | None = None) -> int:
    """Group findings not yet in an alert into incident alerts; returns how many alerts were created.
    The first build of a day then rescores everyone's risk key, in transactions of its own."""
    created = _build(engine, policy or IncidentPolicy.from_env())
    if risk_order.due(engine):
        risk_order.refresh_everyone(engine)
    return created


def _build(engine: Engine, policy: IncidentPolicy) -> int:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        mark_row = conn.execute(select(ConsoleKey.value).where(ConsoleKey.name == _WATERMARK)).first()
        watermark = int(mark_row[0]) if mark_row else 0
        top = conn.execute(select(func.max(FindingRow.id))).scalar() or 0
        if top <= watermark:
            return 0
        fresh = list(conn.scalars(select(FindingRow.id).where(FindingRow.id > watermark).where(
            ~FindingRow.id.in_(select(AlertFinding.finding_id)))))
        rows = _load(conn, fresh)
        people = {r.person_id for r in rows if r.person_id}  # a returned packet's finding still counts
        quiet = _returned(conn, rows)
        rows = [r for r in rows if r.id not in quiet]
        owners = _candidates(conn, rows)
        owner_of = {f: a for a, fs in owners.items() for f in fs}
        rows += _load(conn, sorted(owner_of))
        into: dict[int, int] = {}
        incidents = group_hits([r.hit for r in rows], policy)
        # new alerts are numbered in the order their incidents began
        incidents.sort(key=lambda inc: min((rows[i].hit.start or rows[i].hit.time, rows[i].id) for i in inc))
        for n, incident in enumerate(incidents, start=1):
            existing = sorted({owner_of[rows[i].id] for i in incident if rows[i].id in owner_of})
            for i in incident:
                # an incident reaching an undecided alert grows the oldest one; findings already
                # in some alert stay where they are
                into[i] = owner_of.get(rows[i].id, existing[0] if existing else -n)
        # every touched alert is rewritten whole, with all of its findings
        touched = {into[i] for i in into if rows[i].id not in owner_of}
        created = _write(conn, rows, {i: t for i, t in into.items() if t in touched}, now)
        # the people whose findings were placed: their alerts' risk keys (the queue's risk sort)
        risk_order.refresh(conn, people | {r.person_id for r in rows if r.person_id}, now)
        if created > 10_000:
            conn.execute(text("ANALYZE alerts"))  # fresh statistics for the queue's indexes
        if mark_row:
            conn.execute(update(ConsoleKey).where(ConsoleKey.name == _WATERMARK).values(value=str(top)))
        else:
            conn.execute(insert(ConsoleKey).values(name=_WATERMARK, value=str(top)))
    return created
