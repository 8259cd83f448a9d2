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
from redline.intake import receipts, sealing
from redline.intake.deadlines import due_date
from redline.intake.sealing import KdfParams, derive, lock, new_key, new_salt, seal, unlock
from redline.intake.uploads import Upload, check_all
from redline.intake.vault import ThreadMessage, add_message, remove_files, store_files, thread
from redline.store.tables.intake import IntakeOfficer, PublicReport, ReportKey
from redline.vocab import Category

CATEGORIES: Final = (*(c.value for c in Category), "other")
MAX_TEXT: Final = 20_000
# fewer letters than this is a bare charge ("某某受贿"), recorded as lacking substance
MIN_SUBSTANCE: Final = 15
_LETTERS = re.compile(r"[\W_]+", re.UNICODE)
_DUMMY_HASH: Final = receipts.hash_code("0000-0000-0000-0000-0000")


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
    # everything slow (argon2, encrypting and writing the files) happens before the
    # transaction, so the database's write lock is held only for the inserts
    code, kdf = receipts.new_code(), sealing.RECEIPT_KDF
    key, salt = new_key(), new_salt()
    real_name = bool(report.contact.strip())
    row = PublicReport(
        lookup=receipts.lookup_of(code), receipt_hash=receipts.hash_code(code), code_salt=salt,
        key_for_code=lock(derive(code, salt, cost=kdf), key), kdf_alg=kdf.alg, kdf_ops=kdf.ops, kdf_mem=kdf.mem,
        category=report.category, real_name=real_name, substantive=len(_LETTERS.sub("", text)) >= MIN_SUBSTANCE,
        status="received", received_on=today, accept_due=due_date(today) if real_name else None,
    )
    body = {"text": text, "contact": report.contact.strip(), "who": report.who.strip(),
            "where": report.where.strip(), "when": report.when.strip(), "category": report.category}
    stored = store_files(data_dir, key, files)
    try:
        with Session(engine) as session, session.begin():
            officers = list(session.execute(select(IntakeOfficer.id, IntakeOfficer.public_key)
                                            .where(IntakeOfficer.active)))
            if not officers:
                raise ConfigError("no intake officer can read reports yet: run `redline officers add NAME`")
            session.add(row)
            session.flush()
            session.add_all([ReportKey(report_id=row.id, officer_id=officer_id, sealed_key=seal(public_key, key))
                             for officer_id, public_key in officers])
            add_message(session, data_dir, key, row.id, "reporter", today, body, stored)
    except BaseException:
        remove_files(data_dir, stored)  # no row points at them
        raise
    return code


def kdf_of(row: PublicReport) -> KdfParams:
    """The receipt KDF parameters a report was sealed under."""
    return KdfParams(row.kdf_alg, row.kdf_ops, row.kdf_mem)


def _unlock(session: Session, code: str) -> tuple[PublicReport, bytes]:
    """The report a code opens and its key; AccessDenied, the same for every failure, otherwise."""
    canonical = receipts.normalise(code)
    tried = 0
    if canonical is not None:
        for row in session.scalars(select(PublicReport).where(PublicReport.lookup == receipts.lookup_of(canonical))):
            tried += 1
            if receipts.matches(row.receipt_hash, canonical):
                return row, unlock(derive(canonical, row.code_salt, cost=kdf_of(row)), row.key_for_code)
    if not tried:  # same work whether or not the first group exists, and for malformed codes
        receipts.matches(_DUMMY_HASH, "x")
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
