"""Backtest a rule change (试运行, trial run) before making it: what would the queue look like?

A candidate plan runs over what the store holds (messages, payments, groups) and its leads are
compared with today's findings and alerts. Nothing is written: findings of the candidate stay
in memory. A *lead* is one (rule, subject) pair; an *alert* is one subject, as the queue groups
findings on the same subject (`review.alerts`).

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
from redline.scan.plan import ScanPlan
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.org import Group
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert

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

    with engine.connect() as conn:
        group_types = {gid: gtype or "other" for gid, gtype in conn.execute(select(Group.group_id, Group.type))}
    for rows in _message_rows(engine, cutoff):
        contexts = [message_context(conv, sender, group_types) for _, _, conv, sender in rows]
        yield from scan_batch(plan, [r[1] for r in rows], contexts, ids=[r[0] for r in rows])
    if plan.record_triggers:
        for found in run_record_analyzers(plan, tables_from_store(engine)).values():
            yield from found


def current_leads(engine: Engine) -> set[Lead]:
    """Today's leads, from the findings table. Attachment findings are left out: a backtest
    reads no files, so it would report every one of them as removed."""
    with engine.connect() as conn:
        rows = conn.execute(select(FindingRow.rule_id, FindingRow.subject, FindingRow.subject_id,
                                   FindingRow.facts))
        # a finding in an attached file carries the file's sha256 among its facts
        return {(r, s, i) for r, s, i, facts in rows if not (isinstance(facts, dict) and "sha256" in facts)}


def alert_states(engine: Engine) -> dict[Subject, AlertState]:
    """Today's alert per subject with its status and time to decision."""
    with engine.connect() as conn:
        rows = conn.execute(select(Alert.subject, Alert.subject_id, Alert.status, Alert.created_at,
                                   Alert.decided_at))
        return {(s, i): AlertState(st, _hours(c, d) if st in (CONFIRMED, DISMISSED) else None)
                for s, i, st, c, d in rows}


def _in_window(lead: Lead, msgs: set[str] | None, pays: set[str] | None) -> bool:
    _, kind, sid = lead
    if kind == "message" and msgs is not None:
        return sid in msgs
    if kind == "payment" and pays is not None:
        return sid in pays
    return True


def compare(before: Iterable[Lead], after: Iterable[Lead], alerts: dict[Subject, AlertState],
            report: BacktestReport) -> BacktestReport:
    """Fill `report` with the difference between two sets of leads (the pure part)."""
    old, new = set(before), set(after)
    by_rule: dict[str, RuleDelta] = defaultdict(RuleDelta)
    hours_of_rule: dict[str, list[float]] = defaultdict(list)
    for rid, kind, sid in old:
        state = alerts.get((kind, sid))
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
    for rid, kind, sid in new:
        state = alerts.get((kind, sid))
        d = by_rule[rid]
        d.leads_after += 1
        if state is not None:
            d.confirmed_after += state.status == CONFIRMED
            d.dismissed_after += state.status == DISMISSED
        if (rid, kind, sid) not in old:
            d.added += 1
    everyone = [h for hs in hours_of_rule.values() for h in hs]
    overall = median(everyone) or 0.0
    for rid, d in by_rule.items():
        d.median_hours = median(hours_of_rule[rid])
    report.by_rule = {rid: d for rid, d in by_rule.items() if d.leads_before or d.leads_after}

    def subjects(leads: set[Lead]) -> dict[Subject, set[str]]:
        out: dict[Subject, set[str]] = defaultdict(set)
        for rid, kind, sid in leads:
            out[(kind, sid)].add(rid)
        return out

    old_alerts, new_alerts = subjects(old), subjects(new)

    def cost(rules: set[str]) -> float:
        # an alert costs what its slowest rule's alerts take to decide, as a median
        known = [h for h in (by_rule[r].median_hours for r in rules) if h is not None]
        return max(known) if known else overall

    added = new_alerts.keys() - old_alerts.keys()
    removed = old_alerts.keys() - new_alerts.keys()
    report.added, report.removed = len(added), len(removed)
    report.added_subjects, report.removed_subjects = sorted(added), sorted(removed)
    report.unchanged = len(old_alerts.keys() & new_alerts.keys())
    for subject in removed:
        state = alerts.get(subject)
        if state is not None:
            report.confirmed_lost += state.status == CONFIRMED
            report.dismissed_saved += state.status == DISMISSED
    report.reviewer_hours = (sum(cost(new_alerts[s]) for s in added)
                             - sum(cost(old_alerts[s]) for s in removed))
    return report


def backtest(engine: Engine, plan: ScanPlan, *, since_days: int | None = None) -> BacktestReport:
    """Run `plan` over the store (no writes) and compare its leads with today's."""
    cutoff = _cutoff(since_days)
    msgs, pays = _window(engine, cutoff)
    after = {(f.rule_id, str(f.subject), f.subject_id) for f in candidate_findings(engine, plan, cutoff)}
    after = {lead for lead in after if _in_window(lead, msgs, pays)}
    before = {lead for lead in current_leads(engine) if _in_window(lead, msgs, pays)}
    report = BacktestReport(plan.version, since_days)
    with engine.connect() as conn:
        if msgs is None:
            report.messages = int(conn.execute(select(func.count()).select_from(Message)).scalar_one())
            report.payments = int(conn.execute(select(func.count()).select_from(Payment)).scalar_one())
        else:
            report.messages, report.payments = len(msgs), len(pays or ())
    return compare(before, after, alert_states(engine), report)
