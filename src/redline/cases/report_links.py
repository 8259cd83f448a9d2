"""Reports from the public handled to the end: an intake officer links a portal report to a
person, an alert or a case; the case then shows the report's deadlines.

The link is the officers' knowledge, not the reporter's: the portal's follow-up (intake.
reports.FollowUp) carries status, category, date and messages only, and nothing here is
reachable from the portal. Every link is audited (report.link).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError, NotFound
from redline.review import audit_log, risk_order
from redline.store.tables.intake import PublicReport
from redline.store.tables.org import Person
from redline.store.tables.report_links import ReportLink
from redline.store.tables.review import Alert, Case

KINDS: Final = ("person", "alert", "case")


def link(engine: Engine, officer: str, report_id: int, kind: str, target: str) -> int:
    """Link a report to a person (person_id), an alert or a case (numbers); returns the link id."""
    target = target.strip()
    if kind not in KINDS:
        raise ConfigError(f"a report links to one of {', '.join(KINDS)}, not {kind!r}")
    with Session(engine) as session, session.begin():
        if session.get(PublicReport, report_id) is None:
            raise NotFound(f"no report {report_id}")
        exists = {
            "person": lambda: session.get(Person, target) is not None,
            "alert": lambda: target.isdigit() and session.get(Alert, int(target)) is not None,
            "case": lambda: target.isdigit() and session.get(Case, int(target)) is not None,
        }[kind]()
        if not exists:
            raise NotFound(f"no {kind} {target}")
        row = ReportLink(report_id=report_id, kind=kind, target=target, linked_by=officer, linked_at=datetime.now(UTC))
        session.add(row)
        session.flush()
        link_id = row.id
        if kind == "person":  # a linked report adds to the person's risk: the queue's order follows
            risk_order.refresh(session.connection(), [target])
    audit_log.record(engine, officer, "intake", "report.link", f"report:{report_id}", {"kind": kind, "target": target})
    return link_id


@dataclass(frozen=True, slots=True)
class LinkedReport:
    """A portal report as a case shows it: how it is linked, its status and deadlines."""

    report_id: int
    via: str  # case | alert | person | opened (the case was opened from the report)
    category: str
    status: str
    received_on: date
    accept_due: date | None
    result_due: date | None
    closed_on: date | None

    def overdue(self, today: date) -> bool:
        """Whether the deadline in force has passed (acceptance while received, result once closed)."""
        due = self.accept_due if self.status == "received" else None
        return bool(due and due < today)


def reports_of_case(session: Session, case_id: int) -> list[LinkedReport]:
    """Reports linked to the case, to one of its alerts or to its person, or that opened it."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    alert_ids = [str(a) for a in session.scalars(select(Alert.id).where(Alert.case_id == case_id))]
    wanted = [(ReportLink.kind == "case") & (ReportLink.target == str(case_id))]
    if alert_ids:
        wanted.append((ReportLink.kind == "alert") & ReportLink.target.in_(alert_ids))
    if case.person_id:
        wanted.append((ReportLink.kind == "person") & (ReportLink.target == case.person_id))
    via: dict[int, str] = {}
    for report_id, kind in session.execute(select(ReportLink.report_id, ReportLink.kind).where(or_(*wanted))
                                           .order_by(ReportLink.id)):
        via.setdefault(report_id, kind)
    for report_id in session.scalars(select(PublicReport.id).where(PublicReport.case_id == case_id)):
        via.setdefault(report_id, "opened")
    rows = session.scalars(select(PublicReport).where(PublicReport.id.in_(sorted(via))).order_by(PublicReport.id))
    return [LinkedReport(r.id, via[r.id], r.category, r.status, r.received_on, r.accept_due, r.result_due, r.closed_on)
            for r in rows]


def reports_of_person(session: Session, person_id: str) -> list[tuple[int, date]]:
    """(report id, day received) of the reports linked to a person directly."""
    return [(rid, day) for rid, day in session.execute(
        select(PublicReport.id, PublicReport.received_on).join(ReportLink, ReportLink.report_id == PublicReport.id)
        .where(ReportLink.kind == "person", ReportLink.target == person_id).order_by(PublicReport.id))]
