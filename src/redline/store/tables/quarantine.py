"""Quarantined rows: bundle rows a load rejected, kept in the store so they stay visible."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK

SOURCE_CHARS = 500  # a bundle's path or upload name; the (source, file, id) index must fit a B-tree page


class QuarantinedRow(Base):
    """One rejected row of one bundle `source`; `key` (sha256 of source, file, line, raw) keeps
    re-loads idempotent. A row that a later load of the same source no longer rejects is deleted."""

    __tablename__ = "quarantined_rows"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(SOURCE_CHARS))
    file: Mapped[str] = mapped_column(String(128))  # bundle file name, e.g. "payments.csv"
    line: Mapped[int] = mapped_column(Integer)  # 1-based physical line where the row starts
    field: Mapped[str] = mapped_column(Text, default="")  # "" when the row as a whole is wrong
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)  # the row's original text, unmasked: mask before showing
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # the console lists newest first (id) within a source and file; a re-load deletes by source
    __table_args__ = (Index("ix_quarantined_rows_source_file", "source", "file", "id"),)
