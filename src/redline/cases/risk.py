"""A person's risk, explained: the sum of their findings' contributions, each decaying with age.

Every finding about a person (text, payments, groups, attachments) contributes
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
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.store.tables.findings import FindingRow
from redline.store.tables.review import Alert

WEIGHTS: Final = {"critical": 8.0, "high": 4.0, "medium": 2.0, "low": 1.0}
HALF_LIFE_DAYS: Final = 180.0


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


@dataclass(frozen=True, slots=True)
class PersonRisk:
    """A person's score and the contributions that make it up (newest first)."""

    person_id: str
    score: float
    contributions: list[Contribution]


def contribution(finding: FindingRow, alert: Alert | None, now: datetime) -> Contribution:
    """The share of one finding as of `now`."""
    # a finding without its own time takes its alert's: the time of the message or payment
    when = _aware(finding.time or (alert.time if alert and alert.time else None) or finding.created_at)
    age = max(0.0, (now - when).total_seconds() / 86_400)
    status = alert.status if alert else "new"
    weight = WEIGHTS.get(finding.severity, 1.0)
    factor = 0.0 if status == "dismissed" else 0.5 ** (age / HALF_LIFE_DAYS)
    return Contribution(
        finding.id, alert.id if alert else None, when, source_of(finding.detector, finding.facts), finding.rule_id,
        finding.severity, status, weight, round(age, 1), round(factor, 4), round(weight * factor, 2),
        finding.reason, alert.case_id if alert else None)


def _alerts_by_subject(session: Session, findings: list[FindingRow]) -> dict[tuple[str, str], Alert]:
    keys = {(f.subject, f.subject_id) for f in findings}
    subject_ids = sorted({k[1] for k in keys})
    out: dict[tuple[str, str], Alert] = {}
    for i in range(0, len(subject_ids), 500):
        for alert in session.scalars(select(Alert).where(Alert.subject_id.in_(subject_ids[i:i + 500]))):
            out[(alert.subject, alert.subject_id)] = alert
    return out


def person_risk(session: Session, person_id: str, now: datetime | None = None) -> PersonRisk:
    """The person's contributions, newest first, and their sum."""
    now = now or datetime.now(UTC)
    findings = list(session.scalars(select(FindingRow).where(FindingRow.person_id == person_id)))
    alerts = _alerts_by_subject(session, findings)
    parts = sorted((contribution(f, alerts.get((f.subject, f.subject_id)), now) for f in findings),
                   key=lambda c: (c.time, c.finding_id), reverse=True)
    return PersonRisk(person_id, round(sum(c.points for c in parts), 2), parts)


def ranking(session: Session, now: datetime | None = None, limit: int = 200) -> list[tuple[str, float, int]]:
    """People by score, highest first: (person_id, score, number of findings)."""
    now = now or datetime.now(UTC)
    findings = list(session.scalars(select(FindingRow).where(FindingRow.person_id.is_not(None))))
    alerts = _alerts_by_subject(session, findings)
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        pid = f.person_id or ""
        scores[pid] += contribution(f, alerts.get((f.subject, f.subject_id)), now).points
        counts[pid] += 1
    ranked = sorted(((p, round(s, 2), counts[p]) for p, s in scores.items()), key=lambda r: (-r[1], r[0]))
    return ranked[:limit]
