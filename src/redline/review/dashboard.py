"""Dashboard figures: alerts by category, rule, unit and week; reviewer workload and time to decision.

Every figure counts alerts (incidents), not findings: one gambling game is one alert however
many packs' rules its messages break. "By rule" counts the alerts holding a finding of the
rule (an alert breaking two rules counts under both), so those bars may sum to more than the
alerts.

Counting is done by the database (GROUP BY); only the last few thousand decisions are
read into Python, to take medians.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, literal_column, select
from sqlalchemy.orm import Session

from redline.store.tables.findings import FindingRow
from redline.store.tables.review import Alert, AlertFinding, Decision


@dataclass(frozen=True, slots=True)
class Workload:
    """One reviewer's decisions in the last 30 days and their median time to decision."""

    actor: str
    decisions: int
    median_hours: float | None


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard page draws."""

    by_category: list[tuple[str, int]]
    by_rule: list[tuple[str, int]]
    by_unit: list[tuple[str, int]]
    by_week: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    workload: list[Workload]
    total_findings: int
    total_alerts: int


def _week(engine: Engine) -> Any:
    # ISO week label of the alert's time; each dialect has its own date functions
    if engine.dialect.name == "postgresql":
        return func.to_char(func.date_trunc("week", Alert.time), literal_column("'IYYY-\"W\"IW'"))
    return func.strftime("%Y-W%W", Alert.time)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def dashboard(engine: Engine, weeks: int = 26) -> Dashboard:
    """Counts over the whole store; weeks of the last `weeks` weeks; workload of 30 days."""
    since = datetime.now(UTC) - timedelta(days=30)
    with Session(engine) as session:
        def grouped(column: Any, table: Any, count: Any, limit: int = 30) -> list[tuple[str, int]]:
            query = select(column, count).select_from(table).group_by(column).order_by(count.desc()).limit(limit)
            return [(str(k or "—"), int(n or 0)) for k, n in session.execute(query)]

        n = func.count()
        by_week = grouped(_week(engine), Alert, n, limit=weeks)
        by_week.sort()
        decided = session.execute(
            select(Decision.actor, Decision.created_at, Alert.created_at)
            .join(Alert, Alert.id == Decision.alert_id)
            .where(Decision.action.in_(("dismiss", "escalate")), Decision.created_at >= since)
            .order_by(Decision.id.desc()).limit(5000)
        ).all()
        hours: dict[str, list[float]] = {}
        for actor, at, created in decided:
            hours.setdefault(actor, []).append((_as_utc(at) - _as_utc(created)).total_seconds() / 3600)
        counts = grouped(Decision.actor, Decision, n)
        rule_holders = AlertFinding.__table__.join(FindingRow.__table__, FindingRow.id == AlertFinding.finding_id)
        return Dashboard(
            by_category=grouped(Alert.category, Alert, n),
            by_rule=grouped(FindingRow.rule_id, rule_holders, func.count(func.distinct(AlertFinding.alert_id))),
            by_unit=grouped(Alert.unit, Alert, n),
            by_week=by_week,
            by_status=grouped(Alert.status, Alert, n),
            workload=[Workload(actor, k, round(statistics.median(hours[actor]), 2) if hours.get(actor) else None)
                      for actor, k in counts],
            total_findings=int(session.scalar(select(func.count()).select_from(FindingRow)) or 0),
            total_alerts=int(session.scalar(select(func.count()).select_from(Alert)) or 0),
        )
