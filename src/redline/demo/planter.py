"""The planting context: what planted cases write into (messages, payments, events, groups) and
the record of every id a test needs, which becomes planted.json.

Planted attachment files are kept in `files` and written beside the bundle's tables.
Planted ids live in their own namespaces (`mp-<case>-NN` messages, `pp-<case>-NN` payments,
`pk-<case>-NN` packets, `E-<case>-NN` events), so they are the same at every scale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import orjson

from redline.demo.groups import Group
from redline.demo.logs import MessageLog, PaymentLog
from redline.demo.org import Org, Person
from redline.demo.period import at, to_date


@dataclass(slots=True)
class Event:
    """One events.csv row."""

    event_id: str
    date: date
    kind: str
    unit: str
    person_id: str | None
    other_id: str | None


@dataclass(slots=True)
class Planter:
    """Shared state of the planted cases; each case appends its rows and records its ids."""

    org: Org
    groups: dict[str, Group]
    rng: np.random.Generator
    messages: MessageLog = field(default_factory=MessageLog)
    payments: PaymentLog = field(default_factory=PaymentLog)
    events: list[Event] = field(default_factory=list)
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    near_misses: dict[str, dict[str, Any]] = field(default_factory=dict)
    stop_reporting: dict[tuple[str, str], date] = field(default_factory=dict)  # (group, person) → last 进展汇报
    files: dict[str, bytes] = field(default_factory=dict)  # attachment path (relative to the bundle) → content
    _counters: dict[str, int] = field(default_factory=dict)

    def _next(self, kind: str, case: str) -> str:
        key = f"{kind}-{case}"
        self._counters[key] = self._counters.get(key, 0) + 1
        return f"{key}-{self._counters[key]:02d}"

    def say(self, case: str, time: int, conversation: str, sender: str, text: str, type: str = "text",
            attachment: str | None = None, extra: dict[str, str] | None = None) -> str:
        """Write one planted message (with extra columns such as a post's counts); returns its id."""
        mid = self._next("mp", case)
        self.messages.add(time, conversation, sender, text, type, attachment, id=mid, extra=extra)
        return mid

    def attach(self, path: str, data: bytes) -> str:
        """Keep a file for the bundle folder; returns the message's attachment record (JSON) for it."""
        if path in self.files:
            raise ValueError(f"attachment {path} planted twice")  # a generator bug
        self.files[path] = data
        record = {"name": PurePosixPath(path).name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                  "path": path}
        return orjson.dumps(record).decode()

    def pay(self, case: str, time: int, payer: str, payee: str, fen: int, kind: str, conversation: str,
            memo: str, status: str = "received", packet_id: str | None = None, channel: str = "wechat") -> str:
        """Write one planted payment (amount in fen); returns its id."""
        pid = self._next("pp", case)
        self.payments.add(pid, time, payer, payee, fen, kind, channel, conversation, memo, status, packet_id)
        return pid

    def packet_id(self, case: str) -> str:
        return self._next("pk", case)

    def event(self, case: str, day: date, kind: str, unit: str, person_id: str | None,
              other_id: str | None) -> str:
        eid = self._next("E", case)
        self.events.append(Event(eid, day, kind, unit, person_id, other_id))
        return eid

    def person(self, pid: str) -> Person:
        return self.org.people[pid]

    def surname_title(self, pid: str, title: str) -> str:
        """How a petitioner addresses an official: 周部长, 王站长."""
        return self.person(pid).name[0] + title

    def minute(self, lo: int, hi: int) -> int:
        return int(self.rng.integers(lo, hi + 1))


def when(day: date, hour: int, minute: int = 0, second: int = 0) -> int:
    """Planted times are explicit wall-clock Beijing times (µs since the epoch)."""
    return at(day, hour, minute, second)


def day_of(us: int) -> str:
    return to_date(us).isoformat()
