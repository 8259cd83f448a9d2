"""Scan state: which messages were screened with which plan version (incremental `redline scan`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class ScanState(Base):
    """One message and the plan version that last screened it; a new version rescans it."""

    __tablename__ = "scan_state"
    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    plan_version: Mapped[str] = mapped_column(String(64), index=True)
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # characters of the text screened: a reloaded message whose text changed length is
    # screened again (an edit of the same length is not noticed; a new plan version rescans all)
    text_length: Mapped[int | None] = mapped_column(default=None)
