"""Payments: red packets, transfers, gift cards, bank rows (payments.csv; money in fen)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class Payment(Base):
    """One payment; one row per claim for a group red packet (rows share packet_id)."""

    __tablename__ = "payments"
    payment_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payer: Mapped[str] = mapped_column(String(128))
    payee: Mapped[str] = mapped_column(String(128), default="")
    amount_fen: Mapped[int | None] = mapped_column(BigInteger, default=None)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32), default="other")
    conversation: Mapped[str] = mapped_column(String(300), default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), default="paid")
    packet_id: Mapped[str] = mapped_column(String(128), default="")
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (
        Index("ix_payments_payee_time", "payee", "time"),
        Index("ix_payments_payer_time", "payer", "time"),
    )
