"""A person's risk, explained: the sum of their findings' contributions, each decaying with age.

Every finding about a person (text, payments, groups, attachments) and every portal report an
officer linked to them (counted as a medium lead from the day it was received) contributes
    points = weight(severity) × 0.5 ^ (age in days / half-life)
rounded to two decimals, and the score is the sum of those rounded points, so the figures
shown always add up to the score shown. A finding whose alert was dismissed contributes 0
(a reviewer judged it no lead) and stays on the timeline with that reason. Weights and the
half-life are plain constants, not a trained model: the score orders leads for reading and
is no verdict on anyone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.cases.report_links import reports_of_person

# the weights, the half-life and the decay formula are the queue's too (review.risk_order)
from redline.review.risk_order import (
    CST as CST,
    HALF_LIFE_DAYS as HALF_LIFE_DAYS,
    REPORT_WEIGHT as REPORT_WEIGHT,
    WEIGHTS as WEIGHTS,
    decayed,
)
from redline.store.tables.findings import FindingRow
from redline.store.tables.intake import PublicReport
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.report_links import ReportLink
from redline.store.tables.review import Alert, AlertFinding


def source_of(detector: str, facts: dict[str, object] | None) -> str:
    """Which kind of evidence a finding came from: text, payments, groups or attachments."""
    if (facts or {}).get("file"):
        return "attachments"
    head = detector.split(".", 1)[0]
    return head if head in ("payments", "groups", "attachments") else "text"


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@dataclass(frozen=True, slots=True)
class Contribution:
    """One finding's share of a person's score."""

    finding_id: int
    alert_id: int | None
    time: datetime
    source: str
    rule_id: str
    severity: str
    status: str  # the alert's: new, escalated, dismissed
    weight: float
    age_days: float
    factor: float  # 0.5 ^ (age / half-life), or 0 when dismissed
    points: float
    reason: str
    case_id: int | None
    report_id: int | None = None  # a portal report an officer linked to the person


@dataclass(frozen=True, slots=True)
class PersonRisk:
    """A person's score and the contributions that make it up (newest first)."""

    person_id: str
    score: float
    contributions: list[Contribution]


def contribution(finding: FindingRow, alert: Alert | None, now: datetime,
                 subject_time: datetime | None = None) -> Contribution:
    """The share of one finding as of `now`."""
    # a finding without its own time takes the time of its message or payment, else its alert's
    when = _aware(finding.time or subject_time or (alert.time if alert and alert.time else None)
                  or finding.created_at)
    status = alert.status if alert else "new"
    weight = WEIGHTS.get(finding.severity, 1.0)
    age, factor, points = decayed(weight, when, now, dismissed=status == "dismissed")
    return Contribution(
        finding.id, alert.id if alert else None, when, source_of(finding.detector, finding.facts), finding.rule_id,
        finding.severity, status, weight, round(age, 1), factor, points,
        finding.reason, alert.case_id if alert else None)



def report_contribution(report_id: int, received_on: date, now: datetime) -> Contribution:
    """The share of a portal report linked to the person, from the day it was received."""
    when = datetime.combine(received_on, time(0), tzinfo=CST)
    age, factor, points = decayed(REPORT_WEIGHT, when, now)
    return Contribution(0, None, when, "portal", "", "medium", "report", REPORT_WEIGHT, round(age, 1),
                        factor, points, f"群众举报 #{report_id}", None, report_id)


def _alerts_of(session: Session, findings: list[FindingRow]) -> dict[int, Alert]:
    """Each finding's alert (alert_findings: one incident, one alert)."""
    out: dict[int, Alert] = {}
    ids = [f.id for f in findings]
    for i in range(0, len(ids), 500):
        out.update(dict(session.execute(
            select(AlertFinding.finding_id, Alert).join(Alert, Alert.id == AlertFinding.alert_id)
            .where(AlertFinding.finding_id.in_(ids[i:i + 500]))).tuples().all()))
    return out


def _subject_times(session: Session, findings: list[FindingRow]) -> dict[str, datetime]:
    """When the message or payment a finding is about happened (for findings with no time)."""
    wanted = sorted({f.subject_id for f in findings if f.time is None and f.subject in ("message", "payment")})
    out: dict[str, datetime] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        out.update(dict(session.execute(select(Message.id, Message.time).where(Message.id.in_(chunk))).tuples().all()))
        out.update(dict(session.execute(
            select(Payment.payment_id, Payment.time).where(Payment.payment_id.in_(chunk))).tuples().all()))
    return out


def person_risk(session: Session, person_id: str, now: datetime | None = None) -> PersonRisk:
    """The person's contributions, newest first, and their sum."""
    now = now or datetime.now(UTC)
    findings = list(session.scalars(select(FindingRow).where(FindingRow.person_id == person_id)))
    alerts, times = _alerts_of(session, findings), _subject_times(session, findings)
    parts = [contribution(f, alerts.get(f.id), now, times.get(f.subject_id)) for f in findings]
    parts += [report_contribution(rid, day, now) for rid, day in reports_of_person(session, person_id)]
    parts.sort(key=lambda c: (c.time, c.finding_id), reverse=True)
    return PersonRisk(person_id, round(sum(c.points for c in parts), 2), parts)


def ranking(session: Session, now: datetime | None = None, limit: int = 200) -> list[tuple[str, float, int]]:
    """People by score, highest first: (person_id, score, number of findings)."""
    now = now or datetime.now(UTC)
    findings = list(session.scalars(select(FindingRow).where(FindingRow.person_id.is_not(None))))
    alerts, times = _alerts_of(session, findings), _subject_times(session, findings)
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        pid = f.person_id or ""
        scores[pid] += contribution(f, alerts.get(f.id), now, times.get(f.subject_id)).points
        counts[pid] += 1
    for pid, rid, day in session.execute(
            select(ReportLink.target, PublicReport.id, PublicReport.received_on)
            .join(PublicReport, PublicReport.id == ReportLink.report_id).where(ReportLink.kind == "person")):
        scores[pid] += report_contribution(rid, day, now).points
        counts[pid] += 1
    ranked = sorted(((p, round(s, 2), counts[p]) for p, s in scores.items()), key=lambda r: (-r[1], r[0]))
    return ranked[:limit]
