"""Public reports (随手拍) and intake officers: everything a reporter wrote is ciphertext here.

A report's symmetric key is sealed to every intake officer's public key and, separately,
encrypted under a key derived from the reporter's receipt code; neither the code nor a
passphrase is stored, so a copy of the database and the upload folder alone reveals nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK


class IntakeOfficer(Base):
    """An intake officer's key pair; the private key is sealed under their passphrase."""

    __tablename__ = "intake_officers"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)  # SecretBox under argon2id(passphrase)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PublicReport(Base):
    """One report from the public; no IP, user agent or referrer is ever recorded."""

    __tablename__ = "public_reports"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    lookup: Mapped[str] = mapped_column(String(8), index=True)  # first group of the receipt (20 of 100 bits)
    receipt_hash: Mapped[str] = mapped_column(String(200))  # argon2id of the whole receipt code
    code_salt: Mapped[bytes] = mapped_column(LargeBinary)
    key_for_code: Mapped[bytes] = mapped_column(LargeBinary)  # report key under argon2id(receipt)
    # the receipt KDF this report was sealed under (libsodium alg id, opslimit, memlimit in bytes):
    # opening uses these, so the portal's default can rise without locking anyone out
    kdf_alg: Mapped[int] = mapped_column(SmallInteger)
    kdf_ops: Mapped[int] = mapped_column(Integer)
    kdf_mem: Mapped[int] = mapped_column(BigInteger)
    category: Mapped[str] = mapped_column(String(32))
    real_name: Mapped[bool] = mapped_column(default=False)  # the reporter left contact details
    substantive: Mapped[bool] = mapped_column(default=True)  # GLOSSARY: a bare charge is recorded as such
    status: Mapped[str] = mapped_column(String(16), default="received")  # received, accepted, closed
    received_on: Mapped[date] = mapped_column()  # a day, not a time: less to correlate with logs
    accept_due: Mapped[date | None] = mapped_column(default=None)  # 15 working days (real-name only)
    result_due: Mapped[date | None] = mapped_column(default=None)
    closed_on: Mapped[date | None] = mapped_column(default=None)
    case_id: Mapped[int | None] = mapped_column(default=None, index=True)
    duplicate_of: Mapped[int | None] = mapped_column(default=None)  # linked by an officer after reading


class ReportKey(Base):
    """The report key sealed to one officer's public key."""

    __tablename__ = "public_report_keys"
    report_id: Mapped[int] = mapped_column(ForeignKey("public_reports.id", ondelete="CASCADE"), primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("intake_officers.id"), primary_key=True)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)


class ReportMessage(Base):
    """A message in a report's thread (the report itself, questions, answers, the outcome)."""

    __tablename__ = "public_report_messages"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("public_reports.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(16))  # reporter | officer | outcome
    sent_on: Mapped[date] = mapped_column()
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_public_report_messages_report", "report_id", "id"),)


class ReportFile(Base):
    """An attachment: ciphertext on disk under a random name; metadata sealed too."""

    __tablename__ = "public_report_files"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("public_reports.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(default=None)
    stored_name: Mapped[str] = mapped_column(String(64))
    sealed_meta: Mapped[bytes] = mapped_column(LargeBinary)  # name, type, size, under the report key
