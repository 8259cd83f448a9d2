"""The reporter's side: file a report, come back with the receipt code, read and answer.

Identity is optional: `contact` is sealed like the rest. A wrong code gets the same answer
whether or not its first group exists, so codes cannot be probed group by group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, ConfigError, InputError
from redline.intake import receipts
from redline.intake.deadlines import add_working_days
from redline.intake.sealing import RECEIPT_KDF, derive, lock, new_key, new_salt, seal, unlock
from redline.intake.uploads import Upload, check_all
from redline.intake.vault import ThreadMessage, add_message, thread
from redline.store.tables.intake import IntakeOfficer, PublicReport, ReportKey
from redline.vocab import Category

CATEGORIES: Final = (*(c.value for c in Category), "other")
MAX_TEXT: Final = 20_000
# fewer letters than this is a bare charge ("某某受贿"), recorded as lacking substance
MIN_SUBSTANCE: Final = 15
_LETTERS = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class NewReport:
    """What a reporter fills in; only `text` and `category` are required."""

    text: str
    category: str
    contact: str = ""
    who: str = ""
    where: str = ""
    when: str = ""
    files: list[Upload] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What a reporter sees when coming back with the receipt code."""

    report_id: int
    status: str
    category: str
    received_on: date
    messages: list[ThreadMessage]


def submit(engine: Engine, data_dir: Path, report: NewReport, today: date) -> str:
    """Seal and store a report; returns the receipt code, which is never stored."""
    text = report.text.strip()
    if not text and not report.files:
        raise InputError("a report needs a description or a file")
    if len(text) > MAX_TEXT:
        raise InputError(f"the description is longer than {MAX_TEXT} characters")
    if report.category not in CATEGORIES:
        raise InputError(f"unknown category {report.category!r}")
    files = check_all(report.files)
    code = receipts.new_code()
    key, salt = new_key(), new_salt()
    with Session(engine) as session, session.begin():
        officers = list(session.scalars(select(IntakeOfficer).where(IntakeOfficer.active)))
        if not officers:
            raise ConfigError("no intake officer can read reports yet: run `redline officers add NAME`")
        real_name = bool(report.contact.strip())
        row = PublicReport(
            lookup=receipts.lookup_of(code), receipt_hash=receipts.hash_code(code), code_salt=salt,
            key_for_code=lock(derive(code, salt, cost=RECEIPT_KDF), key), category=report.category,
            real_name=real_name, substantive=len(_LETTERS.sub("", text)) >= MIN_SUBSTANCE,
            status="received", received_on=today,
            accept_due=add_working_days(today) if real_name else None,
        )
        session.add(row)
        session.flush()
        for officer in officers:
            session.add(ReportKey(report_id=row.id, officer_id=officer.id, sealed_key=seal(officer.public_key, key)))
        body = {"text": text, "contact": report.contact.strip(), "who": report.who.strip(),
                "where": report.where.strip(), "when": report.when.strip(), "category": report.category}
        add_message(session, data_dir, key, row.id, "reporter", today, body, files)
    return code


def _unlock(session: Session, code: str) -> tuple[PublicReport, bytes]:
    """The report a code opens and its key; AccessDenied, the same for every failure, otherwise."""
    canonical = receipts.normalise(code)
    if canonical is not None:
        for row in session.scalars(select(PublicReport).where(PublicReport.lookup == receipts.lookup_of(canonical))):
            if receipts.matches(row.receipt_hash, canonical):
                return row, unlock(derive(canonical, row.code_salt, cost=RECEIPT_KDF), row.key_for_code)
    else:
        receipts.matches(receipts.hash_code("0000-0000-0000-0000-0000"), "x")  # same work either way
    raise AccessDenied("unknown receipt code")


def follow_up(engine: Engine, code: str) -> FollowUp:
    """The report's status and thread for the holder of its receipt code."""
    with Session(engine) as session:
        row, key = _unlock(session, code)
        return FollowUp(row.id, row.status, row.category, row.received_on, thread(session, key, row.id))


def answer(engine: Engine, data_dir: Path, code: str, text: str, files: list[Upload], today: date) -> None:
    """The reporter answers the officer's questions or adds files."""
    cleaned = check_all(files)
    if not text.strip() and not cleaned:
        raise InputError("an answer needs text or a file")
    with Session(engine) as session, session.begin():
        row, key = _unlock(session, code)
        if row.status == "closed":
            raise InputError("this report is closed; file a new report for new facts")
        add_message(session, data_dir, key, row.id, "reporter", today, {"text": text.strip()}, cleaned)
