"""Holds (保全): a case, person or group whose data retention and re-imports must not touch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK


class Hold(Base):
    """One hold: placed with a reason, lifted (never deleted) with another reason.

    scope: case | person | group; target: the case number, person_id or group_id as text.
    """

    __tablename__ = "holds"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[str | None] = mapped_column(String(64), default=None)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    lift_reason: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (Index("ix_holds_scope_target", "scope", "target"),)
