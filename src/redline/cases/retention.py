"""Retention by policy: what is kept how long, applied by `redline retention apply`.

The policy lives in configuration (a YAML file, Settings.retention_path / REDLINE_RETENTION;
these defaults otherwise). Rules run in this order, so that what a deleted case or alert
pointed to can fall to the later rules of the same run:

  concluded_cases            cases concluded (status concluded, last change) longer ago, with
                             their notes, decisions, alerts and findings
  dismissed_alerts           alerts dismissed longer ago and in no case, with their findings
  messages_without_finding   messages older than that which no finding names
  payments_without_finding   payments older than that which no finding names
  portal_reports             closed portal reports (intake.retention), only when days are set

Nothing under a hold (cases.holds) is deleted; held rows are counted as kept. Every rule that
deletes writes one audit entry per kind (what kind, how many, under which rule, the cutoff)
and the audit log itself is never pruned, so the chain still verifies. A dry run deletes
nothing and is audited as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import yaml
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from redline.cases.holds import Held, held
from redline.errors import ConfigError
from redline.review import audit_log
from redline.review.alerts import findings_of
from redline.store.tables.findings import FindingRow
from redline.store.tables.intake import PublicReport
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, AlertFinding, AlertItem, Case, CaseNote, Decision

CHUNK: Final = 500


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Days to keep each kind of record; None keeps it for ever."""

    concluded_cases_days: int | None = 5 * 365
    dismissed_alerts_days: int | None = 365
    messages_without_finding_days: int | None = 180
    payments_without_finding_days: int | None = 180
    portal_reports_days: int | None = None  # as `--keep-days` sets it, or the file

    @classmethod
    def from_yaml(cls, path: Path) -> RetentionPolicy:
        """Read `retention:` from a YAML file; unknown keys and negative days are errors."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read the retention policy {path}: {exc}") from exc
        section = data.get("retention", data) if isinstance(data, dict) else None
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: expected a mapping under 'retention:'")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown retention keys {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for key, value in section.items():
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ConfigError(f"{path}: {key} must be a number of days (or null), not {value!r}")
        return cls(**section)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule and one kind of record: how many deleted (or would be), how many a hold kept."""

    rule: str
    kind: str
    count: int
    held: int
    cutoff: str
    days: int


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _named_ids(session: Session, dropped: set[int], dropped_alerts: set[int]) -> set[str]:
    """Every message or payment id a finding names (as subject or related row) or an alert is
    about (alert_items), leaving out the findings and alerts earlier rules of this run deleted
    (or, in a dry run, would delete)."""
    named: set[str] = set()
    for alert_id, item in session.execute(select(AlertItem.alert_id, AlertItem.item_id).where(
            AlertItem.kind.in_(("message", "payment")))):
        if alert_id not in dropped_alerts:
            named.add(item)
    query = select(FindingRow.id, FindingRow.subject, FindingRow.subject_id, FindingRow.related_ids)
    for finding_id, subject, subject_id, related in session.execute(query):
        if finding_id in dropped:
            continue
        if subject in ("message", "payment"):
            named.add(subject_id)
        named.update(str(r) for r in related or [])
    return named


def _drop_alerts(session: Session, alerts: list[Alert], finding_ids: list[int]) -> None:
    """Delete alerts with their findings and decisions."""
    alert_ids = [a.id for a in alerts]
    for chunk in _chunks(alert_ids):
        session.execute(delete(AlertFinding).where(AlertFinding.alert_id.in_(chunk)))
        session.execute(delete(AlertItem).where(AlertItem.alert_id.in_(chunk)))
        session.execute(delete(Decision).where(Decision.alert_id.in_(chunk)))
    for chunk in _chunks(finding_ids):
        session.execute(delete(AlertFinding).where(AlertFinding.finding_id.in_(chunk)))
        session.execute(delete(FindingRow).where(FindingRow.id.in_(chunk)))
    for chunk in _chunks(alert_ids):
        session.execute(delete(Alert).where(Alert.id.in_(chunk)))


def _cases(session: Session, cover: Held, cutoff: datetime, dry_run: bool, days: int,
           dropped: set[int], dropped_alerts: set[int]) -> list[Outcome]:
    old = [c for c in session.scalars(select(Case).where(Case.status == "concluded").order_by(Case.id))
           if (_aware(c.updated_at) or cutoff) < cutoff]
    kept = [c for c in old if c.id in cover.cases or (c.person_id or "") in cover.people]
    gone = [c for c in old if c not in kept]
    alerts = list(session.scalars(select(Alert).where(Alert.case_id.in_([c.id for c in gone]))))
    finding_ids = [f.id for a in alerts for f in findings_of(session, a)]
    dropped.update(finding_ids)
    dropped_alerts.update(a.id for a in alerts)
    if not dry_run and gone:
        _drop_alerts(session, alerts, finding_ids)
        ids = [c.id for c in gone]
        for chunk in _chunks(ids):
            session.execute(delete(CaseNote).where(CaseNote.case_id.in_(chunk)))
            session.execute(delete(Decision).where(Decision.case_id.in_(chunk)))
            session.execute(delete(Case).where(Case.id.in_(chunk)))
    when = cutoff.isoformat()
    return [Outcome("concluded_cases", "case", len(gone), len(kept), when, days),
            Outcome("concluded_cases", "alert", len(alerts), 0, when, days),
            Outcome("concluded_cases", "finding", len(finding_ids), 0, when, days)]


def _dismissed(session: Session, cover: Held, cutoff: datetime, dry_run: bool, days: int,
               dropped: set[int], dropped_alerts: set[int]) -> list[Outcome]:
    old = list(session.scalars(select(Alert).where(
        Alert.status == "dismissed", Alert.case_id.is_(None), Alert.decided_at < cutoff).order_by(Alert.id)))
    kept = [a for a in old if cover.covers_alert(a)]
    gone = [a for a in old if not cover.covers_alert(a)]
    finding_ids = [f.id for a in gone for f in findings_of(session, a)]
    dropped.update(finding_ids)
    dropped_alerts.update(a.id for a in gone)
    if not dry_run:
        _drop_alerts(session, gone, finding_ids)
    when = cutoff.isoformat()
    return [Outcome("dismissed_alerts", "alert", len(gone), len(kept), when, days),
            Outcome("dismissed_alerts", "finding", len(finding_ids), 0, when, days)]


def _unnamed(session: Session, cover: Held, cutoff: datetime, dry_run: bool, days: int,
             dropped: set[int], dropped_alerts: set[int], *, payments: bool) -> list[Outcome]:
    table, key = (Payment, Payment.payment_id) if payments else (Message, Message.id)
    rule, kind = ("payments_without_finding", "payment") if payments else ("messages_without_finding", "message")
    named = _named_ids(session, dropped, dropped_alerts)
    frozen = cover.payment_ids(session) if payments else cover.message_ids(session)
    old = [k for k in session.scalars(select(key).where(table.time < cutoff).order_by(key)) if k not in named]
    gone = [k for k in old if k not in frozen]
    if not dry_run:
        for chunk in _chunks(gone):
            session.execute(delete(table).where(key.in_(chunk)))
    return [Outcome(rule, kind, len(gone), len(old) - len(gone), cutoff.isoformat(), days)]


def _portal(engine: Engine, data_dir: Path, days: int, now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = now.date() - timedelta(days=days)
    if dry_run:
        with Session(engine) as session:
            n = int(session.scalar(select(func.count()).select_from(PublicReport).where(
                PublicReport.status == "closed", PublicReport.closed_on < cutoff)) or 0)
    else:
        from redline.intake.retention import purge  # audits each report it deletes itself

        n = len(purge(engine, data_dir, days, now.date()))
    return [Outcome("portal_reports", "portal_report", n, 0, cutoff.isoformat(), days)]


def apply(engine: Engine, policy: RetentionPolicy, *, now: datetime | None = None, dry_run: bool = False,
          data_dir: Path | None = None, actor: str = "system") -> list[Outcome]:
    """Apply the policy (or, with `dry_run`, count what it would delete); audited per kind."""
    now = now or datetime.now(UTC)

    def cutoff(days: int) -> datetime:
        return now - timedelta(days=days)

    outcomes: list[Outcome] = []
    dropped: set[int] = set()  # findings deleted (or that a dry run would delete) by earlier rules
    dropped_alerts: set[int] = set()  # and alerts
    with Session(engine) as session, session.begin():
        cover = held(session)
        if policy.concluded_cases_days is not None:
            d = policy.concluded_cases_days
            outcomes += _cases(session, cover, cutoff(d), dry_run, d, dropped, dropped_alerts)
            session.flush()
        if policy.dismissed_alerts_days is not None:
            d = policy.dismissed_alerts_days
            outcomes += _dismissed(session, cover, cutoff(d), dry_run, d, dropped, dropped_alerts)
            session.flush()
        if policy.messages_without_finding_days is not None:
            d = policy.messages_without_finding_days
            outcomes += _unnamed(session, cover, cutoff(d), dry_run, d, dropped, dropped_alerts, payments=False)
        if policy.payments_without_finding_days is not None:
            d = policy.payments_without_finding_days
            outcomes += _unnamed(session, cover, cutoff(d), dry_run, d, dropped, dropped_alerts, payments=True)
    if policy.portal_reports_days is not None:
        outcomes += _portal(engine, data_dir or Path("redline-data"), policy.portal_reports_days, now, dry_run)
    action = "retention.dry_run" if dry_run else "retention.delete"
    for o in outcomes:
        if o.count or o.held:
            audit_log.record(engine, actor, "system", action, f"rule:{o.rule}", asdict(o))
    audit_log.record(engine, actor, "system", "retention.run", "",
                     {"dry_run": dry_run, "deleted": {f"{o.rule}/{o.kind}": o.count for o in outcomes},
                      "held": sum(o.held for o in outcomes)})
    return outcomes
