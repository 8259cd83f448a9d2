"""Workload and deadlines: queue depth and age, time to decision, overdue alerts and cases
against service levels, and the statutory deadlines of real-name portal reports.

Service levels are configuration (days per alert severity, days per open case, days of notice
before a report's deadline); the defaults are a starting point for an office to set its own.
Percentiles are nearest-rank: p95 of twenty decisions is the nineteenth fastest, a real one.
The reminders for intake officers (受理 within 15 working days of a real-name report, then the
result) name the report by id and deadline only: nothing of its content.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

from sqlalchemy import Engine, select

from redline.review import audit_log
from redline.review.quality import median
from redline.store.tables.intake import PublicReport
from redline.store.tables.review import Alert, Case

_DAYS_BY_SEVERITY: Final = MappingProxyType({"critical": 1, "high": 3, "medium": 7, "low": 14})


@dataclass(frozen=True, slots=True)
class ServiceLevels:
    """Days an alert of each severity may wait for a decision; days a case may stay open;
    days before a report's deadline that the intake officer is reminded."""

    alert_days: Mapping[str, int] = field(default_factory=lambda: _DAYS_BY_SEVERITY)
    case_days: int = 90
    remind_days: int = 3


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (0 < p ≤ 100): the smallest value with p % of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _hours(start: datetime, end: datetime) -> float:
    return (_utc(end) - _utc(start)).total_seconds() / 3600


def workload(engine: Engine, now: datetime | None = None, levels: ServiceLevels = ServiceLevels()) -> dict[str, Any]:
    """The figures of the workload panel, as of `now`."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        alerts = conn.execute(select(Alert.id, Alert.status, Alert.severity, Alert.created_at,
                                     Alert.decided_at)).all()
        cases = conn.execute(select(Case.id, Case.status, Case.created_at)).all()
    open_ages = [_hours(a.created_at, now) for a in alerts if a.status == "new"]
    decided = [_hours(a.created_at, a.decided_at) for a in alerts
               if a.status in ("dismissed", "escalated") and a.decided_at is not None]
    overdue_alerts = sorted(a.id for a in alerts if a.status == "new"
                            and _hours(a.created_at, now) > 24 * levels.alert_days.get(a.severity, 14))
    overdue_cases = sorted(c.id for c in cases if c.status != "concluded"
                           and _hours(c.created_at, now) > 24 * levels.case_days)

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "queue": {"depth": len(open_ages), "oldest_hours": rounded(max(open_ages, default=None)),
                  "median_age_hours": rounded(median(open_ages))},
        "time_to_decision_hours": {"n": len(decided), "p50": rounded(percentile(decided, 50)),
                                   "p95": rounded(percentile(decided, 95))},
        "overdue_alerts": overdue_alerts, "overdue_cases": overdue_cases,
        "reports": report_deadlines(engine, now.date(), levels),
    }


def report_deadlines(engine: Engine, today: date, levels: ServiceLevels = ServiceLevels()) -> dict[str, list[dict[str, Any]]]:
    """Real-name reports whose next deadline is past (`overdue`) or within the notice (`due_soon`):
    acceptance (受理) while received, the result while accepted."""
    out: dict[str, list[dict[str, Any]]] = {"overdue": [], "due_soon": []}
    notice = today + timedelta(days=levels.remind_days)
    with engine.connect() as conn:
        rows = conn.execute(select(PublicReport.id, PublicReport.status, PublicReport.accept_due,
                                   PublicReport.result_due)
                            .where(PublicReport.real_name.is_(True), PublicReport.status != "closed")
                            .order_by(PublicReport.id)).all()
    for rid, status, accept_due, result_due in rows:
        which, due = ("accept", accept_due) if status == "received" else ("result", result_due)
        if due is None:
            continue  # left open (calendar not published yet): the officer sets it by hand
        if due < today:
            out["overdue"].append({"report_id": rid, "deadline": which, "due": due.isoformat()})
        elif due <= notice:
            out["due_soon"].append({"report_id": rid, "deadline": which, "due": due.isoformat()})
    return out


def remind(engine: Engine, today: date, levels: ServiceLevels = ServiceLevels()) -> list[dict[str, Any]]:
    """The reminders due today for the intake officers, recorded in the audit log (which the
    intake page and the notifier read); returns them."""
    deadlines = report_deadlines(engine, today, levels)
    due = [{**r, "overdue": True} for r in deadlines["overdue"]] + [{**r, "overdue": False} for r in deadlines["due_soon"]]
    if due:
        audit_log.record(engine, "system", "system", "intake.reminder", "reports",
                         {"day": today.isoformat(), "reports": due})
    return due
