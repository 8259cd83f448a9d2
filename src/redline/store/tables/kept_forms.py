"""Forms kept across a re-login: what a reviewer typed when their session had already ended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class KeptForm(Base):
    """One submitted form, sealed under a key only the browser's cookie holds.

    `id` is a hash of the cookie's token (another hash of it is the key), so the database alone
    neither finds the browser nor reads what was typed. Rows live minutes (`expires_at`).
    """

    __tablename__ = "kept_forms"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64))  # whose session had ended: only they get it back
    action: Mapped[str] = mapped_column(String(500))  # the path the form was posted to
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
