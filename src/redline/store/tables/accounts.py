"""Console accounts (one role each) and the console's own keys (session and pseudonym)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK


class Account(Base):
    """A console user: argon2 password hash, one role (admin, analyst, investigator, auditor, intake)."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsoleKey(Base):
    """A random key the console keeps across restarts (cookie signing, pseudonym HMAC)."""

    __tablename__ = "console_keys"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
