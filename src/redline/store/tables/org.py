"""The organisation: people, relations, work groups, memberships and events (bundle files)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from redline.store.base import Base


class Person(Base):
    """A row of people.csv; `external` marks outsiders (wm/wo ids, businesses)."""

    __tablename__ = "people"
    person_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(200), default="", index=True)
    post: Mapped[str] = mapped_column(String(200), default="")
    is_official: Mapped[bool] = mapped_column(default=False)
    external: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date | None] = mapped_column(default=None)
    end_date: Mapped[date | None] = mapped_column(default=None)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Relation(Base):
    """A row of relations.csv; natural key (person_id, other_id, relation)."""

    __tablename__ = "relations"
    person_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    other_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    relation: Mapped[str] = mapped_column(String(32), primary_key=True)
    since: Mapped[date | None] = mapped_column(default=None)
    until: Mapped[date | None] = mapped_column(default=None)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Group(Base):
    """A row of groups.csv: a chat group with its registry status."""

    __tablename__ = "groups"
    group_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    type: Mapped[str] = mapped_column(String(32), default="other")
    owner_id: Mapped[str | None] = mapped_column(String(128), default=None)
    registered: Mapped[bool] = mapped_column(default=False)
    classification: Mapped[str] = mapped_column(String(32), default="")
    daily_report: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Membership(Base):
    """A row of memberships.csv; natural key (group_id, person_id)."""

    __tablename__ = "memberships"
    group_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(300), default="")
    joined: Mapped[date | None] = mapped_column(default=None)
    left: Mapped[date | None] = mapped_column(default=None)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Event(Base):
    """A row of events.csv: an organisation decision gifts may cluster around."""

    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    date: Mapped[date] = mapped_column()
    kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(200), default="")
    person_id: Mapped[str | None] = mapped_column(String(128), default=None)
    other_id: Mapped[str | None] = mapped_column(String(128), default=None)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
