"""Review: alerts (findings of one subject), decisions on them, cases and case notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base, BigIntPK
from redline.store.tables.findings import FindingRow

QUEUE_FILTERS = ("category", "unit", "pack", "rule_id", "assignee", "person_id", "severity")


class Alert(Base):
    """One incident for review: findings of one category linked by person, conversation or
    payment within a window (`review.incidents`); rule/category/pack are its most severe finding's.

    `severity_rank` (1 low .. 4 critical) and `time` are denormalised so that the queue can be
    sorted and paged by index at a million findings.
    """

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[str | None] = mapped_column(String(128), default=None)
    rule_id: Mapped[str] = mapped_column(String(64))
    pack: Mapped[str] = mapped_column(String(64), default="")
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    severity_rank: Mapped[int] = mapped_column(default=1)
    unit: Mapped[str] = mapped_column(String(200), default="")
    time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None, index=True)
    n_findings: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new, dismissed, escalated
    assignee: Mapped[str | None] = mapped_column(String(64), default=None)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # the finding the alert shows (its reason in the queue); subject/subject_id are that finding's
    top_finding_id: Mapped[int | None] = mapped_column(BigIntPK, default=None)
    # the person's risk projected to a fixed epoch (review.risk_order): orders the queue by
    # their current score at any later time; refreshed when alerts are built or decided
    risk: Mapped[float] = mapped_column(default=0.0, server_default="0")

    __table_args__ = (
        Index("ix_alerts_subject", "subject", "subject_id"),
        # the default queue: status filter, most severe first, newest id first (keyset paging)
        Index("ix_alerts_queue", "status", "severity_rank", "id"),
        Index("ix_alerts_queue_time", "status", "time", "id"),
        Index("ix_alerts_queue_risk", "status", "risk", "severity_rank", "id"),
        # one per filter of the queue: equality on the filter and the status, then the
        # severity order, so a filtered page is an ordered index range too (review_0002)
        *(Index(f"ix_alerts_queue_{c}", c, "status", "severity_rank", "id") for c in QUEUE_FILTERS),
    )


class AlertFinding(Base):
    """Which alert a finding is in: each finding is in at most one alert (review_0004)."""

    __tablename__ = "alert_findings"
    finding_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("findings.id"), primary_key=True)
    alert_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("alerts.id"), index=True)


class AlertItem(Base):
    """What an alert touches: people, conversations, groups, messages, payments by their own ids.

    Looked up both ways: an alert's evidence (`GET /api/alerts/{id}` lists message_ids,
    payment_ids, group_ids) and the alerts sharing an item with it (related alerts).
    """

    __tablename__ = "alert_items"
    alert_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("alerts.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(300), primary_key=True)

    __table_args__ = (Index("ix_alert_items_item", "kind", "item_id"),)


# The queue's pack filter matches any finding of an alert and its dropdown lists every pack
# with a finding: an index on findings.pack, made by this branch's migration (review_0003).
Index("ix_findings_pack", FindingRow.pack)


class Case(Base):
    """Alerts about one person under investigation, with the users' own disposition.

    status: open → investigating → concluded; outcome (when concluded): violation | no_violation;
    disposition: 谈话函询 / 初步核实 / 暂存待查 / 予以了结 / 审查调查 (GLOSSARY.md).
    """

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    person_id: Mapped[str | None] = mapped_column(String(128), default=None, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    disposition: Mapped[str | None] = mapped_column(String(16), default=None)
    owner: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseNote(Base):
    """A note an investigator wrote on a case; never edited."""

    __tablename__ = "case_notes"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    """One decision of a person on an alert or case (dismiss, tag, assign, escalate, status …)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"), default=None, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
