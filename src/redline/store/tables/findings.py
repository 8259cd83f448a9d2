"""Findings: leads raised by screening, payment and group analyses, for human review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK


class FindingRow(Base):
    """A stored contracts.Finding; `key` makes re-scans idempotent."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the natural key
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    pack: Mapped[str] = mapped_column(String(64), default="")
    pack_version: Mapped[str] = mapped_column(String(64), default="")
    category: Mapped[str] = mapped_column(String(32), index=True)
    detector: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(128), default="")
    kind: Mapped[str] = mapped_column(String(64), default="")
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[str | None] = mapped_column(String(128), default=None, index=True)
    score: Mapped[float] = mapped_column(default=1.0)
    severity: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_en: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int | None] = mapped_column(default=None)
    end: Mapped[int | None] = mapped_column(default=None)
    related_ids: Mapped[list[Any]] = mapped_column(default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_findings_subject", "subject", "subject_id"),)
