"""Portal reports linked to a person, an alert or a case: the case shows their deadlines, the
person's risk counts them, the reporter's follow-up shows none of it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.cases.report_links import link, reports_of_case
from redline.cases.risk import REPORT_WEIGHT, person_risk
from redline.errors import ConfigError, NotFound
from redline.intake import reports
from redline.intake.deadlines import add_working_days
from redline.intake.officers import add_officer
from redline.store.tables.audit import AuditEntry
from redline.store.tables.review import Alert

RECEIVED = date(2026, 11, 25)


def _file(engine: Engine, data: Path, text: str, contact: str = "") -> tuple[str, int]:
    code = reports.submit(engine, data, reports.NewReport(text=text, category="gifts", contact=contact), RECEIVED)
    return code, reports.follow_up(engine, code).report_id


def test_linked_reports_show_on_the_case_with_their_deadlines(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    add_officer(engine, "officer1", "correct horse battery staple")
    data = tmp_path / "data"
    code, by_person = _file(engine, data, "某科长收受老板红包", contact="13900000000")  # real name: deadlines
    _, by_alert = _file(engine, data, "财政局群里发身份证号")
    _, by_case = _file(engine, data, "同一件事再次举报")
    _, unrelated = _file(engine, data, "教育局某人吃请")
    with Session(engine) as session:
        alert_id = session.scalar(select(Alert.id).where(Alert.subject_id == "g1-15"))
        other_alert = session.scalar(select(Alert.id).where(Alert.subject_id == "dm-03"))
    link(engine, "officer1", by_person, "person", "p-zhangwei")
    link(engine, "officer1", by_alert, "alert", str(alert_id))
    link(engine, "officer1", by_case, "case", str(case_id))
    link(engine, "officer1", unrelated, "alert", str(other_alert))  # 赵敏's alert: not this case
    with Session(engine) as session:
        shown = reports_of_case(session, case_id)
    assert [(r.report_id, r.via) for r in shown] == [(by_person, "person"), (by_alert, "alert"), (by_case, "case")]
    real_name = shown[0]
    assert real_name.accept_due == add_working_days(RECEIVED)  # 15 working days after receipt
    assert real_name.overdue(add_working_days(RECEIVED)) is False
    assert real_name.overdue(add_working_days(RECEIVED) + timedelta(days=1)) is True
    assert shown[1].accept_due is None  # anonymous: no deadline to tell anyone
    # the reporter's follow-up carries status, category, date and messages — never the link
    seen = reports.follow_up(engine, code)
    assert [f.name for f in dataclasses.fields(seen)] == ["report_id", "status", "category", "received_on", "messages"]
    with Session(engine) as session:
        links = [(e.target, e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "report.link").order_by(AuditEntry.seq))]
    assert links[0] == (f"report:{by_person}", {"kind": "person", "target": "p-zhangwei"})
    assert len(links) == 4


def test_a_report_linked_to_the_person_adds_to_their_risk(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, _ = case_store
    add_officer(engine, "officer1", "correct horse battery staple")
    _, report_id = _file(engine, tmp_path / "data", "某科长收受老板红包")
    now = datetime(2026, 11, 25, tzinfo=UTC)
    with Session(engine) as session:
        before = person_risk(session, "p-zhangwei", now)
    link(engine, "officer1", report_id, "person", "p-zhangwei")
    with Session(engine) as session:
        after = person_risk(session, "p-zhangwei", now)
    portal = [c for c in after.contributions if c.source == "portal"]
    # received 2026-11-25 00:00 in +08:00, i.e. 8 hours before `now`: 2 × 0.5^(1/3 day / 180)
    assert [(c.report_id, c.points) for c in portal] == [(report_id, round(REPORT_WEIGHT * 0.5 ** ((8 / 24) / 180), 2))]
    assert after.score == round(before.score + portal[0].points, 2)


@pytest.mark.parametrize(("kind", "target", "error"), [
    ("person", "p-nobody", NotFound), ("alert", "99999", NotFound), ("case", "abc", NotFound),
    ("group", "g-finance", ConfigError),
])
def test_links_must_point_at_something(case_store: tuple[Engine, int], tmp_path: Path, kind: str, target: str,
                                       error: type[Exception]) -> None:
    engine, _ = case_store
    add_officer(engine, "officer1", "correct horse battery staple")
    _, report_id = _file(engine, tmp_path / "data", "内容")
    with pytest.raises(error):
        link(engine, "officer1", report_id, kind, target)


def test_a_report_linked_to_the_person_moves_their_alerts_in_the_risk_queue(case_store: tuple[Engine, int],
                                                                           tmp_path: Path) -> None:
    from redline.review import risk_order

    engine, _ = case_store
    add_officer(engine, "officer1", "correct horse battery staple")
    _, report_id = _file(engine, tmp_path / "data", "某科长收受老板红包")

    def keys() -> dict[str, float]:
        with Session(engine) as session:
            return dict(session.execute(select(Alert.person_id, Alert.risk).where(Alert.person_id.is_not(None))).tuples().all())
    before = keys()
    link(engine, "officer1", report_id, "person", "p-zhaomin")
    after = keys()
    now = datetime.now(UTC)
    assert risk_order.score_at(after["p-zhaomin"], now) > risk_order.score_at(before["p-zhaomin"], now)
    with Session(engine) as session:
        assert risk_order.score_at(after["p-zhaomin"], now) == person_risk(session, "p-zhaomin", now).score
    assert after["p-zhangwei"] == before["p-zhangwei"]
