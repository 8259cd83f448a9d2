"""Console sessions kept on the server: a cookie names one row, logout deletes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class ConsoleSession(Base):
    """One logged-in browser or API client.

    `id` is the SHA-256 of the random token in the cookie, never the token itself: whoever
    reads the database cannot replay a session from it.
    """

    __tablename__ = "console_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # a password change or a disabled account ends every session of the username
    __table_args__ = (Index("ix_console_sessions_username", "username"),)
