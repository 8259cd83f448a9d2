"""The reporter's and the officer's side, end to end in the domain, against both stores."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from nacl.pwhash import argon2i, argon2id
from PIL import Image
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, ConfigError
from redline.intake import officers, receipts, reports, retention, sealing
from redline.intake.uploads import Upload
from redline.review.audit_log import verify
from redline.store.db import migrate
from redline.store.tables.audit import AuditEntry
from redline.store.tables.intake import PublicReport
from redline.store.tables.review import Case

SECRET_TEXT = "城关粮站副站长王某连续收受粮贩微信红包二十一个"
CONTACT = "13912345678"
TODAY = date(2026, 11, 25)


PASSPHRASE = "correct horse battery staple"  # the officer of conftest.intake_db


@pytest.fixture
def file_report(photo: bytes) -> Callable[[Engine, Path], str]:
    def _file(engine: Engine, data: Path) -> str:
        return reports.submit(engine, data, reports.NewReport(
            text=SECRET_TEXT, category="gifts", contact=CONTACT, who="城关粮站", where="城关镇", when="2026年10月",
            files=[Upload("粮站门口.jpg", "image/jpeg", photo)]), TODAY)
    return _file


def test_round_trip_and_nothing_readable_at_rest(intake_db: tuple[Engine, Path], tmp_path: Path, file_report: Callable[[Engine, Path], str]) -> None:
    engine, data = intake_db
    code = file_report(engine, data)
    seen = reports.follow_up(engine, code)
    assert seen.status == "received"
    assert seen.messages[0].body["text"] == SECRET_TEXT
    summary, thread = officers.read_report(engine, "officer1", PASSPHRASE, seen.report_id)
    assert summary.real_name
    assert summary.substantive
    assert summary.accept_due == date(2026, 12, 16)  # 15 working days
    officers.reply(engine, data, "officer1", PASSPHRASE, seen.report_id, "请提供具体日期", date(2026, 11, 26))
    reports.answer(engine, data, code, "10月3日至10月20日", [], date(2026, 11, 27))
    assert [(m.author, m.body["text"]) for m in reports.follow_up(engine, code).messages][1:] == [
        ("officer", "请提供具体日期"), ("reporter", "10月3日至10月20日")]
    meta, photo = officers.read_attachment(engine, data, "officer1", PASSPHRASE, seen.report_id, thread[0].files[0]["id"])
    assert meta["name"] == "粮站门口.jpg"
    with Image.open(io.BytesIO(photo)) as image:
        assert dict(image.getexif()) == {}
    # nothing of what was written is in the database file or the upload folder
    needles = [SECRET_TEXT.encode(), CONTACT.encode(), "粮站门口".encode(), "请提供具体日期".encode(), code.encode(),
               b"RedlineTestCam"]
    stored = [(tmp_path / "intake.db").read_bytes()] + [p.read_bytes() for p in data.rglob("*") if p.is_file()]
    for needle in needles:
        assert not any(needle in blob for blob in stored), needle


def test_wrong_code_and_wrong_passphrase_are_refused(intake_db: tuple[Engine, Path], file_report: Callable[[Engine, Path], str]) -> None:
    engine, data = intake_db
    code = file_report(engine, data)
    with pytest.raises(AccessDenied):
        reports.follow_up(engine, code[:-1] + ("0" if code[-1] != "0" else "1"))
    with pytest.raises(AccessDenied):
        reports.follow_up(engine, "not a code")
    report_id = reports.follow_up(engine, code).report_id
    with pytest.raises(AccessDenied, match="passphrase"):
        officers.read_report(engine, "officer1", "wrong passphrase!", report_id)


def test_close_case_deadlines_and_retention(intake_db: tuple[Engine, Path], file_report: Callable[[Engine, Path], str]) -> None:
    engine, data = intake_db
    code = file_report(engine, data)
    report_id = reports.follow_up(engine, code).report_id
    case_id = officers.open_case(engine, "officer1", report_id)
    with Session(engine) as session:
        assert session.get(Case, case_id) is not None
    officers.close(engine, data, "officer1", PASSPHRASE, report_id, "经初步核实，问题属实，已移交审查调查。", date(2026, 12, 1))
    seen = reports.follow_up(engine, code)
    assert (seen.status, seen.messages[-1].author) == ("closed", "outcome")
    [summary] = officers.list_reports(engine)
    assert (summary.case_id, summary.closed_on, summary.result_due) == (case_id, date(2026, 12, 1), date(2026, 12, 22))
    assert retention.purge(engine, data, keep_days=90, today=date(2027, 1, 1)) == []
    assert retention.purge(engine, data, keep_days=90, today=date(2027, 3, 15)) == [report_id]
    assert [p for p in data.rglob("*") if p.is_file()] == []
    with pytest.raises(AccessDenied):
        reports.follow_up(engine, code)
    with Session(engine) as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions[-1] == "report.purge"
    assert {"report.case", "report.close", "officer.create"} <= set(actions)
    assert verify(engine).ok


def test_bare_charge_is_recorded_as_lacking_substance(intake_db: tuple[Engine, Path]) -> None:
    engine, data = intake_db
    reports.submit(engine, data, reports.NewReport(text="某某受贿", category="gifts"), TODAY)
    [summary] = officers.list_reports(engine)
    assert (summary.substantive, summary.real_name, summary.accept_due) == (False, False, None)


def test_no_officer_no_report(tmp_path: Path) -> None:
    engine = migrate(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ConfigError):
        reports.submit(engine, tmp_path, reports.NewReport(text=SECRET_TEXT, category="gifts"), TODAY)


def test_round_trip_on_both_stores(db_url: str, tmp_path: Path, file_report: Callable[[Engine, Path], str]) -> None:
    engine = migrate(db_url)
    officers.add_officer(engine, "officer1", PASSPHRASE)
    code = file_report(engine, tmp_path / "data")
    seen = reports.follow_up(engine, code)
    assert seen.messages[0].body["text"] == SECRET_TEXT
    officers.close(engine, tmp_path / "data", "officer1", PASSPHRASE, seen.report_id, "已办结", TODAY)
    assert reports.follow_up(engine, code).status == "closed"


@pytest.mark.parametrize("new_default", [
    sealing.KdfParams(argon2id.ALG, 3, 16 * 1024 * 1024),
    sealing.KdfParams(argon2i.ALG, 4, 8 * 1024 * 1024),
], ids=["argon2id-heavier", "argon2i"])
def test_reports_keep_the_kdf_they_were_sealed_under(intake_db: tuple[Engine, Path], file_report: Callable[[Engine, Path], str],
                                                     monkeypatch: pytest.MonkeyPatch, new_default: sealing.KdfParams) -> None:
    engine, data = intake_db
    old_default = sealing.RECEIPT_KDF
    old_code = file_report(engine, data)
    monkeypatch.setattr(sealing, "RECEIPT_KDF", new_default)
    new_code = file_report(engine, data)
    with Session(engine) as session:
        stored = {r.lookup: reports.kdf_of(r) for r in session.scalars(select(PublicReport))}
    assert stored[receipts.lookup_of(old_code)] == old_default
    assert stored[receipts.lookup_of(new_code)] == new_default
    # the old report still opens after the default changed, and the new one opens too
    assert reports.follow_up(engine, old_code).messages[0].body["text"] == SECRET_TEXT
    assert reports.follow_up(engine, new_code).messages[0].body["text"] == SECRET_TEXT
    monkeypatch.setattr(sealing, "RECEIPT_KDF", old_default)
    assert reports.follow_up(engine, new_code).messages[0].body["text"] == SECRET_TEXT


def test_reports_from_before_the_kdf_columns_open_after_the_upgrade(tmp_path: Path) -> None:
    """A row written at intake_0001 (no KDF columns) gets the old fixed parameters and still opens."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = migrate(url, revision="intake_0001")
    code = receipts.new_code()
    key, salt = sealing.new_key(), sealing.new_salt()
    legacy_key = sealing.derive(code, salt, cost=(argon2id.OPSLIMIT_MIN, 2 * 1024 * 1024))  # intake_0001's fixed cost
    with engine.begin() as connection:
        report_id = connection.execute(text(
            "INSERT INTO public_reports (lookup, receipt_hash, code_salt, key_for_code, category, real_name, "
            "substantive, status, received_on) VALUES (:lookup, :hash, :salt, :sealed, 'gifts', 0, 1, 'received', "
            "'2026-11-01')"), {"lookup": receipts.lookup_of(code), "hash": receipts.hash_code(code), "salt": salt,
                               "sealed": sealing.lock(legacy_key, key)}).lastrowid
        connection.execute(text(
            "INSERT INTO public_report_messages (report_id, author, sent_on, ciphertext) "
            "VALUES (:id, 'reporter', '2026-11-01', :body)"),
            {"id": report_id, "body": sealing.lock(key, json.dumps({"text": SECRET_TEXT}).encode())})
    engine.dispose()
    engine = migrate(url)
    seen = reports.follow_up(engine, code)
    assert seen.messages[0].body["text"] == SECRET_TEXT
    with Session(engine) as session:
        row = session.get(PublicReport, report_id)
        assert row is not None
        assert reports.kdf_of(row) == sealing.KdfParams(argon2id.ALG, argon2id.OPSLIMIT_MIN, 2 * 1024 * 1024)
