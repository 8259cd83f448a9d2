"""Backtest a rule change (试运行, trial run) before making it: what would the queue look like?

A candidate plan runs over what the store holds (messages, payments, groups) and its leads are
compared with today's findings and alerts. Nothing is written: findings of the candidate stay
in memory. A *lead* is one (rule, subject) pair; an *alert* is one incident (`review.alert_build`):
findings linked by person, conversation or payment, each finding in at most one alert.

Of the alerts a change removes, those a reviewer had escalated are true leads lost and those
dismissed are noise saved. Precision of a rule before and after is estimated from the decisions
on the alerts its leads fall in (an alert nobody decided says nothing about precision).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Engine, func, select

from redline.contracts import Finding
from redline.review.quality import median, precision
from redline.rules.plan import ScanPlan
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.org import Group
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, AlertFinding

BATCH: Final = 4096
LISTED: Final = 200
# statuses of an alert: escalated into a case = a reviewer confirmed the lead
CONFIRMED: Final = "escalated"
DISMISSED: Final = "dismissed"

Subject = tuple[str, str]  # (subject kind, subject id)
Lead = tuple[str, str, str]  # (rule id, subject kind, subject id)


@dataclass(frozen=True, slots=True)
class AlertState:
    """Today's alert on a subject: its status and how long its decision took (hours)."""

    status: str
    hours: float | None


@dataclass(slots=True)
class RuleDelta:
    """One rule's part of a backtest."""

    added: int = 0
    removed: int = 0
    confirmed_lost: int = 0
    dismissed_saved: int = 0
    leads_before: int = 0
    leads_after: int = 0
    confirmed_before: int = 0
    dismissed_before: int = 0
    confirmed_after: int = 0
    dismissed_after: int = 0
    median_hours: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added, "removed": self.removed,
            "confirmed_lost": self.confirmed_lost, "dismissed_saved": self.dismissed_saved,
            "leads_before": self.leads_before, "leads_after": self.leads_after,
            "precision_before": _round(precision(self.confirmed_before, self.dismissed_before)),
            "precision_after": _round(precision(self.confirmed_after, self.dismissed_after)),
            "decided_before": self.confirmed_before + self.dismissed_before,
            "decided_after": self.confirmed_after + self.dismissed_after,
            "median_hours_to_decision": _round(self.median_hours),
        }


@dataclass(slots=True)
class BacktestReport:
    """The whole comparison; `as_dict` is the `--json` shape."""

    plan_version: str
    since_days: int | None
    messages: int = 0
    payments: int = 0
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    confirmed_lost: int = 0
    dismissed_saved: int = 0
    reviewer_hours: float = 0.0  # positive: the change adds work; negative: it saves work
    by_rule: dict[str, RuleDelta] = field(default_factory=dict)
    added_subjects: list[Subject] = field(default_factory=list)
    removed_subjects: list[Subject] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or any(d.added or d.removed for d in self.by_rule.values()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_version": self.plan_version, "since_days": self.since_days,
            "messages": self.messages, "payments": self.payments,
            "added": self.added, "removed": self.removed, "unchanged": self.unchanged,
            "confirmed_lost": self.confirmed_lost, "dismissed_saved": self.dismissed_saved,
            "reviewer_hours": round(self.reviewer_hours, 2),
            "by_rule": {rid: d.as_dict() for rid, d in sorted(self.by_rule.items())},
            # the first alerts each way, for a reviewer to open (a big change lists a sample)
            "added_alerts": [f"{k}:{i}" for k, i in self.added_subjects[:LISTED]],
            "removed_alerts": [f"{k}:{i}" for k, i in self.removed_subjects[:LISTED]],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    start = start.replace(tzinfo=UTC) if start.tzinfo is None else start
    end = end.replace(tzinfo=UTC) if end.tzinfo is None else end
    return max(0.0, (end - start).total_seconds() / 3600)


def _cutoff(since_days: int | None) -> datetime | None:
    return None if since_days is None else datetime.now(UTC) - timedelta(days=since_days)


def _message_rows(engine: Engine, cutoff: datetime | None) -> Iterator[list[tuple[str, str, str, str]]]:
    """(id, text, conversation, sender) of the messages in the window, by id, in batches."""
    msg = Message.__table__
    last = ""
    while True:
        query = select(msg.c.id, msg.c.text, msg.c.conversation, msg.c.sender).where(msg.c.id > last)
        if cutoff is not None:
            query = query.where(msg.c.time >= cutoff)
        with engine.connect() as conn:
            rows = [(r[0], r[1] or "", r[2] or "", r[3] or "") for r in
                    conn.execute(query.order_by(msg.c.id).limit(BATCH))]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _group_types(engine: Engine) -> dict[str, str]:
    """Group id → type, for the messages' context (scoped rules)."""
    with engine.connect() as conn:
        return {gid: gtype or "other" for gid, gtype in conn.execute(select(Group.group_id, Group.type))}


def _window(engine: Engine, cutoff: datetime | None) -> tuple[set[str] | None, set[str] | None]:
    """Message and payment ids inside the window (None: no window, everything counts)."""
    if cutoff is None:
        return None, None
    with engine.connect() as conn:
        msgs = set(conn.execute(select(Message.id).where(Message.time >= cutoff)).scalars())
        pays = set(conn.execute(select(Payment.payment_id).where(Payment.time >= cutoff)).scalars())
    return msgs, pays


def candidate_findings(engine: Engine, plan: ScanPlan, cutoff: datetime | None = None) -> Iterator[Finding]:
    """Every finding the candidate plan raises over the store, read-only, in memory."""
    from redline.scan.context import message_context
    from redline.scan.engine import scan_batch
    from redline.scan.records import run_record_analyzers
    from redline.store import tables_from_store

    group_types = _group_types(engine)
    for rows in _message_rows(engine, cutoff):
        contexts = [message_context(conv, sender, group_types) for _, _, conv, sender in rows]
        yield from scan_batch(plan, [r[1] for r in rows], contexts, ids=[r[0] for r in rows])
    if plan.record_triggers:
        for found in run_record_analyzers(plan, tables_from_store(engine)).values():
            yield from found


def current_leads(engine: Engine) -> dict[Lead, int | None]:
    """Today's leads, from the findings table, each with the alert its findings are in (None:
    not in an alert, e.g. a returned red packet). Attachment findings are left out: a backtest
    reads no files, so it would report every one of them as removed."""
    out: dict[Lead, int | None] = {}
    query = (select(FindingRow.rule_id, FindingRow.subject, FindingRow.subject_id, FindingRow.facts,
                    AlertFinding.alert_id)
             .outerjoin(AlertFinding, AlertFinding.finding_id == FindingRow.id))
    with engine.connect() as conn:
        for rid, kind, sid, facts, alert_id in conn.execute(query):
            if isinstance(facts, dict) and "sha256" in facts:
                continue  # a finding in an attached file carries the file's sha256 among its facts
            lead = (rid, kind, sid)
            if out.get(lead) is None:
                out[lead] = alert_id
    return out


def alert_states(engine: Engine) -> dict[int, AlertState]:
    """Today's alerts (incidents) with their status and time to decision."""
    with engine.connect() as conn:
        rows = conn.execute(select(Alert.id, Alert.status, Alert.created_at, Alert.decided_at))
        return {aid: AlertState(st, _hours(c, d) if st in (CONFIRMED, DISMISSED) else None)
                for aid, st, c, d in rows}


def _in_window(lead: Lead, msgs: set[str] | None, pays: set[str] | None) -> bool:
    _, kind, sid = lead
    if kind == "message" and msgs is not None:
        return sid in msgs
    if kind == "payment" and pays is not None:
        return sid in pays
    return True


def compare(before: dict[Lead, int | None], after: Iterable[Lead], alerts: dict[int, AlertState],
            report: BacktestReport) -> BacktestReport:
    """Fill `report` with the difference between today's leads (with their alerts) and the
    candidate's (the pure part).

    Per rule, counts are leads: `removed` is that rule's leads no longer raised, even where
    their alert survives through another rule, and `confirmed_lost` / `dismissed_saved` are
    those of them whose alert a reviewer had escalated / dismissed. At the top, counts are
    alerts: an alert is removed when none of its leads is raised any more; an added alert is
    a subject (message, payment, group) raised by the candidate that has no lead today. New
    leads are not grouped into incidents here, so `added` is an upper bound where several of
    them would form one incident.
    """
    new = set(after)
    by_rule: dict[str, RuleDelta] = defaultdict(RuleDelta)
    hours_of_rule: dict[str, list[float]] = defaultdict(list)
    for (rid, kind, sid), alert_id in before.items():
        state = alerts.get(alert_id) if alert_id is not None else None
        d = by_rule[rid]
        d.leads_before += 1
        if state is not None:
            d.confirmed_before += state.status == CONFIRMED
            d.dismissed_before += state.status == DISMISSED
            if state.hours is not None:
                hours_of_rule[rid].append(state.hours)
        if (rid, kind, sid) not in new:
            d.removed += 1
            if state is not None:
                d.confirmed_lost += state.status == CONFIRMED
                d.dismissed_saved += state.status == DISMISSED
    for lead in new:
        rid = lead[0]
        d = by_rule[rid]
        d.leads_after += 1
        if lead in before:
            alert_id = before[lead]
            state = alerts.get(alert_id) if alert_id is not None else None
            if state is not None:
                d.confirmed_after += state.status == CONFIRMED
                d.dismissed_after += state.status == DISMISSED
        else:
            d.added += 1
    overall = median([h for hs in hours_of_rule.values() for h in hs]) or 0.0
    for rid, d in by_rule.items():
        d.median_hours = median(hours_of_rule[rid])
    report.by_rule = {rid: d for rid, d in by_rule.items() if d.leads_before or d.leads_after}

    def cost(rules: Iterable[str]) -> float:
        # an alert costs what its slowest rule's alerts take to decide, as a median
        known = [h for h in (by_rule[r].median_hours for r in rules) if h is not None]
        return max(known) if known else overall

    rules_of_alert: dict[int, set[str]] = defaultdict(set)
    surviving: set[int] = set()
    for lead, alert_id in before.items():
        if alert_id is not None:
            rules_of_alert[alert_id].add(lead[0])
            if lead in new:
                surviving.add(alert_id)
    removed = sorted(set(rules_of_alert) - surviving)
    known_subjects = {(kind, sid) for _, kind, sid in before}
    added_rules: dict[Subject, set[str]] = defaultdict(set)
    for rid, kind, sid in new:
        if (kind, sid) not in known_subjects:
            added_rules[(kind, sid)].add(rid)
    report.added, report.removed = len(added_rules), len(removed)
    report.unchanged = len(surviving)
    report.added_subjects = sorted(added_rules)
    report.removed_subjects = [("alert", str(a)) for a in removed]
    for alert_id in removed:
        state = alerts.get(alert_id)
        if state is not None:
            report.confirmed_lost += state.status == CONFIRMED
            report.dismissed_saved += state.status == DISMISSED
    report.reviewer_hours = (sum(cost(r) for r in added_rules.values())
                             - sum(cost(rules_of_alert[a]) for a in removed))
    return report


def backtest(engine: Engine, plan: ScanPlan, *, since_days: int | None = None) -> BacktestReport:
    """Run `plan` over the store (no writes) and compare its leads with today's."""
    cutoff = _cutoff(since_days)
    msgs, pays = _window(engine, cutoff)
    after = {(f.rule_id, str(f.subject), f.subject_id) for f in candidate_findings(engine, plan, cutoff)}
    after = {lead for lead in after if _in_window(lead, msgs, pays)}
    before = {lead: a for lead, a in current_leads(engine).items() if _in_window(lead, msgs, pays)}
    report = BacktestReport(plan.version, since_days)
    with engine.connect() as conn:
        if msgs is None:
            report.messages = int(conn.execute(select(func.count()).select_from(Message)).scalar_one())
            report.payments = int(conn.execute(select(func.count()).select_from(Payment)).scalar_one())
        else:
            report.messages, report.payments = len(msgs), len(pays or ())
    return compare(before, after, alert_states(engine), report)
