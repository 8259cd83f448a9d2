"""Links from a portal report to what it is about: a person, an alert or a case (by an officer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK


class ReportLink(Base):
    """One link an intake officer made; kind: person | alert | case, target: its id as text.

    Never shown to the reporter: the portal's follow-up reads only status and messages.
    """

    __tablename__ = "report_links"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(300))
    linked_by: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_report_links_kind_target", "kind", "target"),)
