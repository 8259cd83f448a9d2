"""Messages of chats and groups (messages.jsonl)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class Message(Base):
    """One message; `time` is timezone-aware (stored as UTC, shown in +08:00)."""

    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    conversation: Mapped[str] = mapped_column(String(300))
    sender: Mapped[str] = mapped_column(String(128), default="")
    type: Mapped[str] = mapped_column(String(32), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    attachment: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (
        Index("ix_messages_conversation_time", "conversation", "time"),
        Index("ix_messages_sender", "sender"),
    )
