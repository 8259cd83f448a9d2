"""Incidents: findings that are one thing that happened, grouped so that one incident is one alert.

A reviewer thinks in incidents — "the grain trader's red packets", "the 扫雷 game in the
fishing group" — not in findings. Scanners raise one finding per rule per pack per message or
payment, so one pasted notice gives eight findings and one gambling group eighty. Here two
findings belong to the same incident when they share a *link key* (a person, a conversation
or group, a payment), have the same category, and happened within `window` of each other;
chains count (single linkage), so 21 packets a week apart over four months are one incident.

Pure functions over plain values: the store reads and writes are in `alert_build`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from redline.errors import ConfigError
from redline.vocab import Severity

LINK_KINDS: Final = ("person", "conversation", "payment", "message", "group")
SEVERITY_RANK: Final = {s.value: s.rank for s in Severity}  # the one order: vocab.Severity.rank
# dates in a finding's facts that say when the thing it reports happened, most telling first
_FACT_DATES: Final = ("last_date", "end_date", "start_date", "joined", "first_date", "date", "as_of")


@dataclass(frozen=True, slots=True)
class IncidentPolicy:
    """How findings are grouped into incidents (configurable per organisation).

    `window`: the longest gap between two findings of one incident; `link_by`: which shared
    keys make two findings one incident (a subset of LINK_KINDS).
    """

    window: timedelta = timedelta(days=30)
    link_by: tuple[str, ...] = LINK_KINDS

    def __post_init__(self) -> None:
        unknown = set(self.link_by) - set(LINK_KINDS)
        if unknown:
            raise ConfigError(f"unknown incident link kinds {sorted(unknown)}; use {', '.join(LINK_KINDS)}")
        if self.window < timedelta(0):
            raise ConfigError("the incident window cannot be negative")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> IncidentPolicy:
        """REDLINE_INCIDENT_WINDOW_DAYS (default 30) and REDLINE_INCIDENT_LINK_BY (comma list)."""
        env = os.environ if env is None else env
        try:
            days = float(env.get("REDLINE_INCIDENT_WINDOW_DAYS", "30"))
        except ValueError as exc:
            raise ConfigError("REDLINE_INCIDENT_WINDOW_DAYS: not a number") from exc
        kinds = tuple(k.strip() for k in env.get("REDLINE_INCIDENT_LINK_BY", ",".join(LINK_KINDS)).split(",") if k.strip())
        return cls(window=timedelta(days=days), link_by=kinds)


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding as grouping sees it: its category, when its event happened, what it touches."""

    finding_id: int
    category: str
    time: datetime  # the last event the finding reports
    start: datetime | None = None  # the first (a pattern of 21 packets spans months); None: `time`
    keys: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (link kind, id)
    subject: str = ""  # "message:m-1": findings of one subject are always one incident


class _Sets:
    """Union-find over hit positions (path halving, union by size)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def group_hits(hits: Sequence[Hit], policy: IncidentPolicy) -> list[list[int]]:
    """Partition hits into incidents; each incident is a list of positions in `hits`, in input order.

    For every (category, link key) the hits holding it are sorted by time and each is joined to
    the next when the gap is within the window: O(n log n), whatever the number of hits per key.
    """
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for i, hit in enumerate(hits):
        # findings on the same message or payment are one incident whatever their categories
        if hit.subject:
            by_key.setdefault(("*", "subject", hit.subject), []).append(i)
        for kind, value in hit.keys:
            if kind in policy.link_by and value:
                by_key.setdefault((hit.category, kind, value), []).append(i)
    sets = _Sets(len(hits))
    for (_, kind, _), members in by_key.items():
        if kind == "subject":
            for a, b in itertools.pairwise(members):
                sets.union(a, b)
            continue
        # sweep by start: a hit joins the run before it when it starts within the window of
        # the run's latest end (a finding spanning months reaches whatever falls inside it)
        members.sort(key=lambda i: _start(hits[i]))
        run_end = hits[members[0]].time
        for a, b in itertools.pairwise(members):
            if _start(hits[b]) - run_end <= policy.window:
                sets.union(a, b)
            run_end = max(run_end, hits[b].time) if _start(hits[b]) - run_end <= policy.window else hits[b].time
    groups: dict[int, list[int]] = {}
    for i in range(len(hits)):
        groups.setdefault(sets.find(i), []).append(i)
    return list(groups.values())


def _start(hit: Hit) -> datetime:
    return hit.start if hit.start is not None else hit.time


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _fact_day(value: Any) -> datetime | None:
    if isinstance(value, list):
        days = [d for d in (_fact_day(v) for v in value) if d is not None]
        return max(days) if days else None
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    # a calendar day in +08:00, read as noon so that it stays the same day in either zone
    return datetime.combine(day, time(4), tzinfo=UTC)


def event_span(
    own: datetime | None, facts: Mapping[str, Any], evidence_times: Iterable[datetime | None],
    joined: date | None, fallback: datetime,
) -> tuple[datetime, datetime]:
    """First and last time of what the finding reports: its messages' and payments' times
    (or its own time), else the dates its facts name (a membership's start, a report's missed
    days), else the day the member joined; the scan's time only when nothing says better."""
    seen = [_as_utc(t) for t in evidence_times if t is not None]
    if own is not None:
        seen.append(_as_utc(own))
    if seen:
        return min(seen), max(seen)
    last = event_time(facts, joined, fallback)
    return last, last


def event_time(facts: Mapping[str, Any], joined: date | None, fallback: datetime) -> datetime:
    """When a finding without messages or payments happened: its facts' dates, else the day
    the member joined, else (nothing says better) the scan's time."""
    for name in _FACT_DATES:
        found = _fact_day(facts.get(name))
        if found is not None:
            return found
    found = _fact_day(facts.get("missed_days"))
    if found is not None:
        return found
    if joined is not None:
        return datetime.combine(joined, time(4), tzinfo=UTC)
    return _as_utc(fallback)


def link_keys(
    subject: str, subject_id: str, person_id: str | None, facts: Mapping[str, Any],
    related_ids: Iterable[Any], conversation: str | None,
) -> frozenset[tuple[str, str]]:
    """What a finding touches: its person and counterparties, its conversation or group, the
    payments and messages it cites. Shared keys are how findings and alerts find each other."""
    keys: set[tuple[str, str]] = set()
    if person_id:
        keys.add(("person", person_id))
    for other in facts.get("counterparty_ids") or ():
        keys.add(("person", str(other)))
    if subject in ("message", "payment", "group"):
        keys.add((subject, subject_id))
    elif subject == "person":
        keys.add(("person", subject_id))
    if facts.get("group_id"):
        keys.add(("group", str(facts["group_id"])))
    for mid in facts.get("message_ids") or ():
        keys.add(("message", str(mid)))
    for pid in facts.get("payment_ids") or ():
        keys.add(("payment", str(pid)))
    if subject == "payment":
        keys.update(("payment", str(r)) for r in related_ids or ())
    if conversation:
        keys.add(("conversation", conversation))
    # a group is also a conversation: its messages' findings and its own findings meet there
    keys.update(("conversation", gid) for kind, gid in list(keys) if kind == "group")
    return frozenset(keys)
