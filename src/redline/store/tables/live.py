"""Live monitoring state: how far the watcher read each source, and its heartbeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class SourcePosition(Base):
    """The position reached in one source (a spool file's byte offset, a WeCom `seq` cursor).

    Written in the same transaction as the rows read up to it, so a restart after a crash
    resumes exactly there: nothing read twice into the store, nothing skipped.
    """

    __tablename__ = "source_positions"
    source: Mapped[str] = mapped_column(String(500), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    # what the position belongs to (device:inode of a file); another identity means a new file
    identity: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WatcherBeat(Base):
    """One running watcher's last report, read by the console's `GET /api/health`."""

    __tablename__ = "watcher_beats"
    watcher: Mapped[str] = mapped_column(String(200), primary_key=True)
    plan_version: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_pull: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_import: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    imported: Mapped[int] = mapped_column(BigInteger, default=0)  # messages and payments since start
    errors: Mapped[int] = mapped_column(BigInteger, default=0)
    backlog: Mapped[int] = mapped_column(BigInteger, default=0)  # messages not yet screened
    lag_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    last_error: Mapped[str] = mapped_column(Text, default="")
