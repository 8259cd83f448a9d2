"""Workload and deadlines against figures worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.review.workload import ServiceLevels, percentile, remind, workload
from redline.store import save_findings
from redline.store.db import migrate
from redline.store.tables.audit import AuditEntry
from redline.store.tables.intake import PublicReport
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert, Case

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
# alert n: (severity, hours old, hours to decision or None = still open)
ALERTS = {1: ("high", 10, None), 2: ("high", 80, None), 3: ("low", 400, None), 4: ("critical", 30, None),
          5: ("high", 100, 1), 6: ("high", 100, 2), 7: ("medium", 100, 3), 8: ("medium", 100, 10)}


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([], 50, None), ([5.0], 95, 5.0), ([1.0, 2.0, 3.0, 10.0], 50, 2.0), ([1.0, 2.0, 3.0, 10.0], 95, 10.0),
    (list(map(float, range(1, 21))), 95, 19.0),
])
def test_nearest_rank(values: list[float], p: float, expected: float | None) -> None:
    assert percentile(values, p) == expected


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    engine = migrate(f"sqlite:///{tmp_path / 'w.db'}")
    with Session(engine) as session, session.begin():
        session.add_all(Message(id=f"m{n}", time=NOW, conversation=f"c{n}", text="x") for n in ALERTS)
    save_findings(engine, [Finding("R-1", "gifts", "lexicon", "message", f"m{n}", sev, "测试")
                           for n, (sev, _, _) in ALERTS.items()])
    assert build_alerts(engine) == len(ALERTS)
    with engine.begin() as conn:
        for n, (sev, age, took) in ALERTS.items():
            created = NOW - timedelta(hours=age)
            values = {"created_at": created, "severity": sev}
            if took is not None:
                values |= {"status": "dismissed", "decided_at": created + timedelta(hours=took)}
            conn.execute(update(Alert).where(Alert.subject_id == f"m{n}").values(**values))
    with Session(engine) as session, session.begin():
        session.add_all([Case(title="old", status="open", created_at=NOW - timedelta(days=100), updated_at=NOW),
                         Case(title="new", status="open", created_at=NOW - timedelta(days=10), updated_at=NOW),
                         Case(title="done", status="concluded", created_at=NOW - timedelta(days=200), updated_at=NOW)])
        common = {"lookup": "x", "receipt_hash": "x", "code_salt": b"x", "key_for_code": b"x", "kdf_alg": 1,
                  "kdf_ops": 1, "kdf_mem": 1, "category": "gifts", "received_on": TODAY - timedelta(days=20)}
        session.add_all([
            PublicReport(real_name=True, status="received", accept_due=TODAY - timedelta(days=1), **common),  # overdue
            PublicReport(real_name=True, status="received", accept_due=TODAY + timedelta(days=2), **common),  # soon
            PublicReport(real_name=True, status="accepted", accept_due=TODAY - timedelta(days=5),
                         result_due=TODAY + timedelta(days=30), **common),  # fine
            PublicReport(real_name=False, status="received", accept_due=TODAY - timedelta(days=1), **common),  # anonymous
            PublicReport(real_name=True, status="closed", accept_due=TODAY - timedelta(days=9), **common),
        ])
    return engine


def _id(engine: Engine, n: int) -> int:
    with Session(engine) as session:
        return int(session.scalars(select(Alert.id).where(Alert.subject_id == f"m{n}")).one())


def test_workload_figures(store: Engine) -> None:
    w = workload(store, NOW)
    # open: ages 10, 80, 400, 30 → depth 4, oldest 400, median (30 + 80) / 2 = 55
    assert w["queue"] == {"depth": 4, "oldest_hours": 400.0, "median_age_hours": 55.0}
    # decided in 1, 2, 3, 10 h → p50 the 2nd = 2, p95 the 4th = 10
    assert w["time_to_decision_hours"] == {"n": 4, "p50": 2.0, "p95": 10.0}
    # high 3 days = 72 h: alert 2 (80 h) over, 1 not; low 14 days = 336 h: 3 over; critical 24 h: 4 (30 h) over
    assert w["overdue_alerts"] == sorted([_id(store, 2), _id(store, 3), _id(store, 4)])
    assert len(w["overdue_cases"]) == 1
    assert [(r["deadline"], r["due"]) for r in w["reports"]["overdue"]] == [("accept", "2026-11-19")]
    assert [(r["deadline"], r["due"]) for r in w["reports"]["due_soon"]] == [("accept", "2026-11-22")]


def test_service_levels_are_configuration(store: Engine) -> None:
    strict = ServiceLevels(alert_days={"high": 0, "low": 100, "critical": 100}, case_days=5, remind_days=40)
    w = workload(store, NOW, strict)
    assert w["overdue_alerts"] == sorted([_id(store, 1), _id(store, 2)])
    assert len(w["overdue_cases"]) == 2
    assert len(w["reports"]["due_soon"]) == 2  # the result due in 30 days now falls within the notice


def test_reminders_are_audited(store: Engine) -> None:
    due = remind(store, TODAY)
    assert [(r["deadline"], r["overdue"]) for r in due] == [("accept", True), ("accept", False)]
    with Session(store) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "intake.reminder")).one()
    assert len(entry.detail["reports"]) == 2
