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


class MediaItem(Base):
    """A WeCom archive file (image, voice, video, document) waiting for its own download.

    Queued in the transaction that loads its message, fetched by a worker of its own, so a
    slow or failing file never holds back the text behind it.
    """

    __tablename__ = "media_queue"
    msgid: Mapped[str] = mapped_column(String(128), primary_key=True)
    sdkfileid: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending, done, failed
    attempts: Mapped[int] = mapped_column(default=0)
    path: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
