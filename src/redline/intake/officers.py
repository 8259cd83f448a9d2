"""The intake officers' side: keys, the list of reports, reading, replying, cases, closing.

Reading needs the officer's passphrase (it opens their private key); every read, reply,
case and closing is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, InputError, NotFound
from redline.intake.deadlines import due_date
from redline.intake.sealing import OfficerKeys, new_officer_keys, officer_private_key, open_sealed
from redline.intake.vault import ThreadMessage, add_message, read_file, thread
from redline.review import audit_log
from redline.store.tables.intake import IntakeOfficer, PublicReport, ReportKey, ReportMessage
from redline.store.tables.review import Case


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What the list shows without decrypting anything."""

    id: int
    category: str
    status: str
    real_name: bool
    substantive: bool
    received_on: date
    accept_due: date | None
    result_due: date | None
    closed_on: date | None
    case_id: int | None
    duplicate_of: int | None
    messages: int


def add_officer(engine: Engine, name: str, passphrase: str) -> IntakeOfficer:
    """Create an officer with a fresh key pair whose private key the passphrase opens."""
    if len(passphrase) < 10:
        raise InputError("a passphrase needs at least 10 characters")
    keys = new_officer_keys(passphrase)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if session.scalar(select(IntakeOfficer).where(IntakeOfficer.name == name)) is not None:
            raise InputError(f"intake officer {name!r} exists already")
        officer = IntakeOfficer(name=name, public_key=keys.public_key, sealed_private_key=keys.sealed_private_key,
                                kdf_salt=keys.salt, active=True, created_at=datetime.now(UTC))
        session.add(officer)
    audit_log.record(engine, name, "intake", "officer.create", f"officer:{name}", {})
    return officer


def list_reports(engine: Engine, status: str | None = None) -> list[ReportSummary]:
    """Reports newest first, with deadlines; nothing is decrypted."""
    counts = select(ReportMessage.report_id, func.count().label("n")).group_by(ReportMessage.report_id).subquery()
    query = select(PublicReport, counts.c.n).join(counts, counts.c.report_id == PublicReport.id, isouter=True)
    if status:
        query = query.where(PublicReport.status == status)
    with Session(engine) as session:
        return [ReportSummary(r.id, r.category, r.status, r.real_name, r.substantive, r.received_on, r.accept_due,
                              r.result_due, r.closed_on, r.case_id, r.duplicate_of, n or 0)
                for r, n in session.execute(query.order_by(PublicReport.id.desc()))]


def _report_key(session: Session, officer_name: str, passphrase: str, report_id: int) -> tuple[PublicReport, bytes]:
    officer = session.scalar(select(IntakeOfficer).where(IntakeOfficer.name == officer_name, IntakeOfficer.active))
    if officer is None:
        raise AccessDenied(f"{officer_name!r} is not an intake officer")
    report = session.get(PublicReport, report_id)
    if report is None:
        raise NotFound(f"no report {report_id}")
    sealed = session.get(ReportKey, (report_id, officer.id))
    if sealed is None:
        raise AccessDenied("this report was filed before this officer's key existed")
    private = officer_private_key(OfficerKeys(officer.public_key, officer.sealed_private_key, officer.kdf_salt),
                                  passphrase)
    return report, open_sealed(private, sealed.sealed_key)


def read_report(engine: Engine, officer_name: str, passphrase: str, report_id: int) -> tuple[ReportSummary, list[ThreadMessage]]:
    """Decrypt a report's thread for an officer (audited)."""
    with Session(engine) as session:
        report, key = _report_key(session, officer_name, passphrase, report_id)
        messages = thread(session, key, report.id)
    audit_log.record(engine, officer_name, "intake", "report.read", f"report:{report_id}", {})
    return next(s for s in list_reports(engine) if s.id == report_id), messages


def read_report_and_files(engine: Engine, data_dir: Path, officer_name: str, passphrase: str, report_id: int,
                          ) -> tuple[ReportSummary, list[ThreadMessage], dict[int, bytes]]:
    """A report's thread and its files' bytes, for the page that previews them (one key
    derivation for all; the read and each file are audited). A file missing from `data_dir`
    is left out: the page says so, and its download names the folder to check."""
    with Session(engine) as session:
        report, key = _report_key(session, officer_name, passphrase, report_id)
        messages = thread(session, key, report.id)
        files: dict[int, bytes] = {}
        for message in messages:
            for meta in message.files:
                try:
                    files[int(meta["id"])] = read_file(session, data_dir, key, report.id, int(meta["id"]))[1]
                except NotFound:
                    continue
    audit_log.record(engine, officer_name, "intake", "report.read", f"report:{report_id}", {})
    for file_id in files:
        audit_log.record(engine, officer_name, "intake", "report.file", f"report:{report_id}",
                         {"file": file_id, "preview": True})
    return next(s for s in list_reports(engine) if s.id == report_id), messages, files


def read_attachment(engine: Engine, data_dir: Path, officer_name: str, passphrase: str, report_id: int,
                    file_id: int) -> tuple[dict[str, object], bytes]:
    """One decrypted attachment (audited)."""
    with Session(engine) as session:
        report, key = _report_key(session, officer_name, passphrase, report_id)
        meta, data = read_file(session, data_dir, key, report.id, file_id)
    audit_log.record(engine, officer_name, "intake", "report.file", f"report:{report_id}", {"file": file_id})
    return meta, data


def reply(engine: Engine, data_dir: Path, officer_name: str, passphrase: str, report_id: int, text: str,
          today: date) -> None:
    """A question or message to the reporter, readable with their receipt code.

    Asking is not accepting (受理): the status and its deadline change only when the officer
    accepts, opens a case or closes the report.
    """
    if not text.strip():
        raise InputError("a reply needs text")
    with Session(engine) as session, session.begin():
        report, key = _report_key(session, officer_name, passphrase, report_id)
        add_message(session, data_dir, key, report.id, "officer", today, {"text": text.strip()}, [])
    audit_log.record(engine, officer_name, "intake", "report.reply", f"report:{report_id}", {})


def accept(engine: Engine, officer_name: str, report_id: int) -> None:
    """Mark a report accepted (受理), which meets its first deadline."""
    _update(engine, officer_name, report_id, "report.accept", status="accepted")


def link_duplicate(engine: Engine, officer_name: str, report_id: int, original_id: int) -> None:
    """Register a repeated report of the same matter against the original, not reopened."""
    _update(engine, officer_name, report_id, "report.duplicate", duplicate_of=original_id)


def open_case(engine: Engine, officer_name: str, report_id: int) -> int:
    """Open a console case from a report and link the two; returns the case id."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        report = session.get(PublicReport, report_id)
        if report is None:
            raise NotFound(f"no report {report_id}")
        if report.case_id is not None:
            return report.case_id
        case = Case(title=f"群众举报 #{report_id}（{report.category}）", status="open", owner=officer_name,
                    created_at=now, updated_at=now)
        session.add(case)
        session.flush()
        report.case_id = case.id
        if report.status == "received":
            report.status = "accepted"
        case_id = case.id
    audit_log.record(engine, officer_name, "intake", "report.case", f"report:{report_id}", {"case": case_id})
    return case_id


def close(engine: Engine, data_dir: Path, officer_name: str, passphrase: str, report_id: int, outcome: str,
          today: date) -> None:
    """Conclude a report with an outcome the reporter can read; starts the second deadline."""
    if not outcome.strip():
        raise InputError("closing needs an outcome the reporter can read")
    with Session(engine) as session, session.begin():
        report, key = _report_key(session, officer_name, passphrase, report_id)
        add_message(session, data_dir, key, report.id, "outcome", today, {"text": outcome.strip()}, [])
        report.status = "closed"
        report.closed_on = today
        report.result_due = due_date(today) if report.real_name else None
    audit_log.record(engine, officer_name, "intake", "report.close", f"report:{report_id}", {})


def _update(engine: Engine, officer_name: str, report_id: int, action: str, **values: object) -> None:
    with Session(engine) as session, session.begin():
        report = session.get(PublicReport, report_id)
        if report is None:
            raise NotFound(f"no report {report_id}")
        for name, value in values.items():
            setattr(report, name, value)
    audit_log.record(engine, officer_name, "intake", action, f"report:{report_id}",
                     {k: str(v) for k, v in values.items()})
