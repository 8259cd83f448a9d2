"""Alerts: one incident each (built by `alert_build`), and the queue that pages them.

The queue pages by keyset on indexed columns (`ix_alerts_queue`), so page 1 and page 10,000
cost the same.

An alert shows its most severe finding's pack / rule / category, but the queue's filters on
those match ANY finding the alert groups: a reviewer asking for "gifts" must see the alert
whose top finding is "secrets" and whose second one is a gift.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from redline.bundle.schema import UTC_OFFSET
from redline.errors import ConfigError, NotFound
from redline.review.alert_build import (
    build_alerts as build_alerts,  # the builders import it from here
)
from redline.store.tables.accounts import Account
from redline.store.tables.findings import FindingRow
from redline.store.tables.org import Person
from redline.store.tables.review import Alert, AlertFinding, AlertItem
from redline.vocab import Severity

STATUSES: Final = ("new", "dismissed", "escalated")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """The queue's filters; None means 'any'. Dates are calendar days in +08:00."""

    pack: str | None = None
    rule_id: str | None = None
    category: str | None = None
    severity: str | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = "new"
    assignee: str | None = None
    person_id: str | None = None


SORTS: Final = ("severity", "risk", "newest", "oldest")


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue and the cursor of the next page (None on the last page)."""

    alerts: list[Alert]
    next_cursor: str | None


def _day_start(day: date) -> datetime:
    # a calendar day in China Standard Time (+08:00, no DST) as a UTC instant
    return datetime.combine(day, time(0), tzinfo=UTC) - UTC_OFFSET


# A filter on pack / rule / category held by fewer findings than this starts a page from those
# findings (an index range on findings, then each one's alert, then a sort of at most this many
# alerts); a commoner one walks the queue index, where matches come soon. Either way a page
# touches a few thousand rows at most, whether the value is rare, common or absent.
FEW_FINDINGS: Final = 4000


def _any_finding(session: Session, flt: QueueFilter) -> ColumnElement[bool] | None:
    """Alerts with a finding of the filter's pack / rule / category (one finding has them all)."""
    conds = [f == v for f, v in ((FindingRow.pack, flt.pack), (FindingRow.rule_id, flt.rule_id),
                                 (FindingRow.category, flt.category)) if v]
    if not conds:
        return None
    some = select(literal(1)).select_from(FindingRow).where(*conds).limit(FEW_FINDINGS).subquery()
    if (session.scalar(select(func.count()).select_from(some)) or 0) < FEW_FINDINGS:
        holders = select(AlertFinding.alert_id).join(FindingRow, FindingRow.id == AlertFinding.finding_id).where(*conds)
        return Alert.id.in_(holders)
    # common: the alert's own (most severe) finding answers from the row the walk reads anyway,
    # and an alert of one finding has no other (n_findings as of the last build, like severity);
    # the others are probed through the alert's own findings (alert_findings by alert_id), never
    # through the index of the filter's column (a quarter of the table), whatever SQLite's statistics say
    own = and_(*(a == v for a, v in ((Alert.pack, flt.pack), (Alert.rule_id, flt.rule_id),
                                     (Alert.category, flt.category)) if v))
    probe = select(literal(1)).select_from(AlertFinding).join(FindingRow, FindingRow.id == AlertFinding.finding_id).where(
        AlertFinding.alert_id == Alert.id, *map(_common(session), conds))
    if session.get_bind().dialect.name == "postgresql":
        # OFFSET 0 keeps PostgreSQL from trading the probe for a hash of every finding of the
        # value (a hashed SubPlan: 16,000 heap reads before the first row of a rule's page)
        probe = probe.offset(0)
    return or_(own, and_(Alert.n_findings > 1, exists(probe)))


def _common(session: Session) -> Callable[[ColumnElement[bool]], ColumnElement[Any]]:
    """A condition SQLite's planner is told keeps most rows (`likelihood(c, 0.9)`), so that it
    does not pick that condition's index over the one the query is meant to walk; others as is."""
    if session.get_bind().dialect.name != "sqlite":
        return lambda cond: cond
    return lambda cond: func.likelihood(cond, literal_column("0.9"))


def _filtered(session: Session, flt: QueueFilter) -> Select[Any]:
    query = select(Alert)
    for column, value in (
        (Alert.severity, flt.severity), (Alert.unit, flt.unit), (Alert.assignee, flt.assignee),
        (Alert.person_id, flt.person_id),
    ):
        if value:
            query = query.where(column == value)
    by_finding = _any_finding(session, flt)
    if by_finding is not None:
        query = query.where(by_finding)
    if flt.status:
        if flt.status not in STATUSES:
            raise ConfigError(f"unknown status {flt.status!r}")
        query = query.where(Alert.status == flt.status)
    # SQLite reads a date range as reason to leave the queue index for the time index and sort
    # every alert in the range (5 s at 800,000 alerts with a rule filter); told that the range
    # keeps most rows, it walks the index of the page's order and stops at the page's end.
    # PostgreSQL weighs the LIMIT itself.
    common = _common(session)
    # a bound at the very ends of the calendar (0001-01-01, 9999-12-31) has no instant before or
    # after it to compare with: it leaves that side of the range open
    if flt.date_from and flt.date_from > date.min:
        query = query.where(common(Alert.time >= _day_start(flt.date_from)))
    if flt.date_to and flt.date_to < date.max:
        query = query.where(common(Alert.time < _day_start(flt.date_to + timedelta(days=1))))
    return query


def _encode(parts: Sequence[object]) -> str:
    raw = "|".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError("bad page cursor") from exc
    return raw.split("|")


_BIGINT: Final = 2**63  # what a database integer holds: a larger id in a cursor is no id


def _id(text: str) -> int:
    value = int(text)
    if not -_BIGINT < value < _BIGINT:
        raise ValueError(f"{text} is out of range")
    return value


def _risk(text: str) -> float:
    value = float(text)  # repr() of a float reads back as the same float
    if not math.isfinite(value):
        raise ValueError(f"{text} is no risk key")
    return value


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def list_alerts(
    session: Session, flt: QueueFilter, sort: str = "severity", cursor: str | None = None,
    limit: int = 50,
) -> QueuePage:
    """One page of alerts under `flt`, ordered by `sort`, after `cursor` (keyset paging)."""
    if sort not in SORTS:
        raise ConfigError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
    limit = max(1, min(limit, 500))
    query = _filtered(session, flt)
    try:
        parts = _decode(cursor) if cursor else None
        if sort == "severity":
            query = query.order_by(Alert.severity_rank.desc(), Alert.id.desc())
            if parts:
                query = query.where(tuple_(Alert.severity_rank, Alert.id) < (_id(parts[0]), _id(parts[1])))
        elif sort == "risk":
            # the person's risk key (review.risk_order), then severity, then id: ix_alerts_queue_risk
            query = query.order_by(Alert.risk.desc(), Alert.severity_rank.desc(), Alert.id.desc())
            if parts:
                after = (_risk(parts[0]), _id(parts[1]), _id(parts[2]))
                query = query.where(tuple_(Alert.risk, Alert.severity_rank, Alert.id) < after)
        else:
            newest = sort == "newest"
            query = query.order_by(*((Alert.time.desc(), Alert.id.desc()) if newest else (Alert.time, Alert.id)))
            if parts:
                key = (datetime.fromisoformat(parts[0]), _id(parts[1]))
                row = tuple_(Alert.time, Alert.id)
                query = query.where(row < key if newest else row > key)
    except (ValueError, IndexError) as exc:
        raise ConfigError("bad page cursor") from exc
    rows: list[Alert] = list(session.scalars(query.limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        if sort == "severity":
            next_cursor = _encode((last.severity_rank, last.id))
        elif sort == "risk":
            next_cursor = _encode((repr(float(last.risk)), last.severity_rank, last.id))
        else:
            stamp = _as_utc(last.time or last.created_at)
            # SQLite stores naive UTC: compare in the same form the column holds
            stored = stamp.replace(tzinfo=None) if session.bind is not None and session.bind.dialect.name == "sqlite" else stamp
            next_cursor = _encode((stored.isoformat(), last.id))
    return QueuePage(rows, next_cursor)


def get_alert(session: Session, alert_id: int) -> Alert:
    """The alert with this id, or NotFound."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def findings_of(session: Session, alert: Alert) -> list[FindingRow]:
    """The findings an alert groups, most severe first."""
    rows = list(session.scalars(
        select(FindingRow).join(AlertFinding, AlertFinding.finding_id == FindingRow.id).where(AlertFinding.alert_id == alert.id)
    ))
    return sorted(rows, key=lambda f: (-Severity.rank_of(f.severity), f.id))


def evidence_ids(session: Session, alert_id: int) -> dict[str, list[str]]:
    """The source's own ids of what the alert is about: message_ids, payment_ids, group_ids, person_ids."""
    out: dict[str, list[str]] = {"message_ids": [], "payment_ids": [], "group_ids": [], "person_ids": []}
    rows = session.execute(select(AlertItem.kind, AlertItem.item_id).where(AlertItem.alert_id == alert_id)
                           .order_by(AlertItem.kind, AlertItem.item_id))
    for kind, item_id in rows:
        if f"{kind}_ids" in out:
            out[f"{kind}_ids"].append(item_id)
    return out


RELATED_KINDS: Final = ("person", "payment", "message", "group", "conversation")


def related_alerts(session: Session, alert_id: int, limit: int = 20) -> list[Alert]:
    """Other alerts about the same people, money, messages, groups or conversations (both ways by construction:
    they share a row value in alert_items)."""
    mine = select(AlertItem.kind, AlertItem.item_id).where(AlertItem.alert_id == alert_id,
                                                           AlertItem.kind.in_(RELATED_KINDS))
    others = (select(AlertItem.alert_id).where(tuple_(AlertItem.kind, AlertItem.item_id).in_(mine),
                                               AlertItem.alert_id != alert_id).distinct())
    return list(session.scalars(select(Alert).where(Alert.id.in_(others)).order_by(Alert.time.desc(), Alert.id).limit(limit)))


def _distinct_indexed(session: Session, column: Any) -> list[str]:
    """Distinct non-empty values of an indexed column, in order, by one index probe per value
    (a loose index scan, as a recursive CTE): a few packs and rules among a million findings
    cost a few dozen probes, where DISTINCT reads every index entry."""
    seen = select(func.min(column).label("x")).cte("seen", recursive=True)
    after = select(func.min(column)).where(column > seen.c.x).scalar_subquery()
    seen = seen.union_all(select(after).where(seen.c.x.is_not(None)))
    return [v for v in session.scalars(select(seen.c.x).where(seen.c.x.is_not(None))) if v]


def filter_options(session: Session) -> dict[str, list[str]]:
    """Values for the queue's select boxes: every pack and rule with a finding (the filters
    match any finding of an alert, not only the one it shows), units, account names."""
    def distinct(column: Any) -> list[str]:
        return [v for v in session.scalars(select(column).distinct().order_by(column)) if v]
    return {
        "pack": _distinct_indexed(session, FindingRow.pack), "rule_id": _distinct_indexed(session, FindingRow.rule_id),
        "unit": distinct(Person.unit), "assignee": distinct(Account.username),
    }


def next_alert(session: Session, after: Alert) -> Alert | None:
    """The undecided alert a reviewer meets next in the default queue (most severe first): the
    one after `after` in that order, else the first one."""
    new = select(Alert).where(Alert.status == "new", Alert.id != after.id).order_by(
        Alert.severity_rank.desc(), Alert.id.desc()).limit(1)
    later = new.where(tuple_(Alert.severity_rank, Alert.id) < (after.severity_rank, after.id))
    return session.scalars(later).first() or session.scalars(new).first()


COUNT_CAP: Final = 10_000  # beyond this the queue says "10,000+": counting a million costs seconds


def count_alerts(session: Session, flt: QueueFilter, cap: int = COUNT_CAP) -> int:
    """How many alerts match `flt`, counted up to `cap` (an index range read, then a stop)."""
    matching = _filtered(session, flt).with_only_columns(Alert.id).limit(cap).subquery()
    return int(session.scalar(select(func.count()).select_from(matching)) or 0)
