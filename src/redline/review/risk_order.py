"""The queue's order by person risk: every alert carries its person's risk key (`alerts.risk`).

A person's score (`cases.risk`, the timeline) is the sum of their contributions, each
    points = weight(severity) × 0.5 ^ (age in days / half-life)
rounded. Every contribution loses the same share per day, so a score computed at `as_of` and
projected to a fixed epoch,
    key = score × 2 ^ ((as_of − EPOCH) / half-life),
compares with another person's key as their current scores compare, whenever each was
computed and whenever it is read: the key needs no refresh as time passes, only when the
person's findings, decisions or linked reports change. Alert builds refresh the people whose
findings they place and decisions the people of the alerts they change; the first build of
a day then refreshes everyone (in transactions of a thousand people), so that the rounding of
long-ago scores does not drift from what the timeline shows today. The current score is key × 0.5 ^ ((now − EPOCH) / half-life).

The key is a plain indexed column, so the risk-sorted queue pages by keyset on
(status, risk, severity_rank, id) like the other sorts: no score is computed per request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import (
    Connection,
    Double,
    Engine,
    String,
    bindparam,
    column,
    insert,
    select,
    update,
    values,
)

from redline.bundle.schema import CHINA as CST  # the one +08:00
from redline.store.tables.accounts import ConsoleKey
from redline.store.tables.findings import FindingRow
from redline.store.tables.intake import PublicReport
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.report_links import ReportLink
from redline.store.tables.review import Alert, AlertFinding

WEIGHTS: Final = {"critical": 8.0, "high": 4.0, "medium": 2.0, "low": 1.0}
HALF_LIFE_DAYS: Final = 180.0
REPORT_WEIGHT: Final = WEIGHTS["medium"]  # a report from the public: a lead nobody has read against data yet
EPOCH: Final = datetime(2020, 1, 1, tzinfo=UTC)
REFRESH_EVERY: Final = timedelta(days=1)
_MARK: Final = "risk.refreshed_at"  # console_keys: when every person's key was last computed
_CHUNK: Final = 500


def aware(value: datetime) -> datetime:
    """A stored time as an aware UTC instant (SQLite keeps naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def decayed(weight: float, when: datetime, now: datetime, dismissed: bool = False) -> tuple[float, float, float]:
    """(age in days, rounded factor, rounded points) of one contribution as of `now`: the one
    formula the timeline, the ranking and the queue's key share. A future time counts as now."""
    age = max(0.0, (now - aware(when)).total_seconds() / 86_400)
    factor = 0.0 if dismissed else 0.5 ** (age / HALF_LIFE_DAYS)
    return age, round(factor, 4), round(weight * factor, 2)


def _half_lives(at: datetime) -> float:
    return (aware(at) - EPOCH).total_seconds() / 86_400 / HALF_LIFE_DAYS


def key_of(score: float, as_of: datetime) -> float:
    """The order key of a score computed at `as_of` (the score projected to EPOCH)."""
    return float(score * 2.0 ** _half_lives(as_of))


def score_at(key: float, now: datetime) -> float:
    """The score a key stands for at `now`, rounded as the timeline rounds it."""
    return round(float(key * 0.5 ** _half_lives(now)), 2)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _finding_rows(conn: Connection, persons: Sequence[str] | None) -> list[Any]:
    """(person, severity, own time, subject, subject id, created, alert status, alert time) per finding."""
    query = (select(FindingRow.person_id, FindingRow.severity, FindingRow.time, FindingRow.subject,
                    FindingRow.subject_id, FindingRow.created_at, Alert.status, Alert.time)
             .outerjoin(AlertFinding, AlertFinding.finding_id == FindingRow.id)
             .outerjoin(Alert, Alert.id == AlertFinding.alert_id))
    if persons is None:
        return list(conn.execute(query.where(FindingRow.person_id.is_not(None))))
    rows: list[Any] = []
    for part in _chunks(persons):
        rows += conn.execute(query.where(FindingRow.person_id.in_(part))).all()
    return rows


def _subject_times(conn: Connection, rows: Iterable[Any]) -> dict[str, datetime]:
    """When the message or payment a finding without a time of its own happened."""
    wanted = sorted({r[4] for r in rows if r[2] is None and r[3] in ("message", "payment")})
    out: dict[str, datetime] = {}
    for part in _chunks(wanted):
        out.update(conn.execute(select(Message.id, Message.time).where(Message.id.in_(part))).tuples().all())
        out.update(conn.execute(select(Payment.payment_id, Payment.time)
                                .where(Payment.payment_id.in_(part))).tuples().all())
    return out


def _reports(conn: Connection, persons: Sequence[str] | None) -> list[tuple[str, date]]:
    """(person, day received) of every portal report an officer linked to a person."""
    query = (select(ReportLink.target, PublicReport.received_on)
             .join(PublicReport, PublicReport.id == ReportLink.report_id).where(ReportLink.kind == "person"))
    if persons is None:
        return [(p, d) for p, d in conn.execute(query)]
    out: list[tuple[str, date]] = []
    for part in _chunks(persons):
        out += [(p, d) for p, d in conn.execute(query.where(ReportLink.target.in_(part)))]
    return out


def scores(conn: Connection, persons: Sequence[str] | None, now: datetime) -> dict[str, float]:
    """Each person's score at `now` (everyone with a finding or a linked report when None):
    the same contributions, rounded the same way, as `cases.risk.person_risk`."""
    rows = _finding_rows(conn, persons)
    times = _subject_times(conn, rows)
    points: dict[str, list[float]] = defaultdict(list)
    for person, severity, own, subject, subject_id, created, status, alert_time in rows:
        when = own or (times.get(subject_id) if subject in ("message", "payment") else None) or alert_time or created
        points[person].append(decayed(WEIGHTS.get(severity, 1.0), when, now, dismissed=status == "dismissed")[2])
    for person, day in _reports(conn, persons):
        points[person].append(decayed(REPORT_WEIGHT, datetime.combine(day, time(0), tzinfo=CST), now)[2])
    out = {p: round(sum(v), 2) for p, v in points.items()}
    for person in persons or ():
        out.setdefault(person, 0.0)
    return out


def _write(conn: Connection, found: dict[str, float], now: datetime) -> None:
    """Each person's alerts get the key; rows whose key did not change are left alone."""
    rows = [(p, key_of(s, now)) for p, s in sorted(found.items())]
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        # one UPDATE … FROM (VALUES …) per thousand people: a statement per person (a round trip
        # each) took 18 s for 5,000 people; SQLite has no column list on a VALUES alias, and
        # there a prepared statement per person is as fast as it gets
        for part in _chunks(rows, 1000):
            keys = values(column("p", String), column("k", Double), name="person_keys").data(list(part))
            conn.execute(update(Alert).where(Alert.person_id == keys.c.p, Alert.risk != keys.c.k)
                         .values(risk=keys.c.k))
        return
    conn.execute(update(Alert).where(Alert.person_id == bindparam("p"), Alert.risk != bindparam("k"))
                 .values(risk=bindparam("k")), [{"p": p, "k": k} for p, k in rows])


def _mark(conn: Connection, now: datetime) -> None:
    value = now.isoformat()
    if conn.execute(select(ConsoleKey.value).where(ConsoleKey.name == _MARK)).first():
        conn.execute(update(ConsoleKey).where(ConsoleKey.name == _MARK).values(value=value))
    else:
        conn.execute(insert(ConsoleKey).values(name=_MARK, value=value))


def _everyone(conn: Connection, now: datetime) -> dict[str, float]:
    """Everyone's score, and 0 for people whose alerts hold a key but who have no finding left."""
    found = scores(conn, None, now)
    keyed = conn.scalars(select(Alert.person_id).where(Alert.risk != 0).distinct())
    return {**dict.fromkeys({p for p in keyed if p} - set(found), 0.0), **found}


def refresh(conn: Connection, persons: Iterable[str] | None = None, now: datetime | None = None) -> int:
    """Recompute the keys of these people's alerts (everyone's when None) in the caller's
    transaction; returns how many of them have a score above 0."""
    now = now or datetime.now(UTC)
    wanted = None if persons is None else sorted({p for p in persons if p})
    if wanted == []:
        return 0
    if wanted is None:
        found = _everyone(conn, now)
        # alerts of nobody have no risk (only rows that hold one are written: each write costs
        # an entry in every index of the alerts table)
        conn.execute(update(Alert).where(Alert.person_id.is_(None), Alert.risk != 0).values(risk=0.0))
        _mark(conn, now)
    else:
        found = scores(conn, wanted, now)
    _write(conn, found, now)
    return sum(1 for s in found.values() if s)


def due(engine: Engine, now: datetime | None = None) -> bool:
    """Whether everyone's keys were last computed a day ago or more (or never)."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        mark = conn.execute(select(ConsoleKey.value).where(ConsoleKey.name == _MARK)).scalar()
    return mark is None or now - aware(datetime.fromisoformat(mark)) >= REFRESH_EVERY


def refresh_everyone(engine: Engine, now: datetime | None = None, people_per_transaction: int = 1000) -> int:
    """Everyone's keys, written a thousand people per transaction: a decision on an alert waits
    for one chunk's row locks at most, never for the whole table's (100,000 alerts take ~10 s
    on PostgreSQL). Keys of chunks written and not yet written compare correctly meanwhile:
    both are projections to the same epoch. Returns how many people have a score above 0."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        found = _everyone(conn, now)
    for part in _chunks(sorted(found.items()), people_per_transaction):
        with engine.begin() as conn:
            _write(conn, dict(part), now)
    with engine.begin() as conn:
        conn.execute(update(Alert).where(Alert.person_id.is_(None), Alert.risk != 0).values(risk=0.0))
        _mark(conn, now)
    return sum(1 for s in found.values() if s)


def refresh_alerts(engine: Engine, alert_ids: Sequence[int]) -> int:
    """After a decision on these alerts: recompute the people whose findings they hold."""
    with engine.begin() as conn:
        people: set[str] = set()
        for part in _chunks(sorted(alert_ids)):
            people.update(p for p in conn.scalars(
                select(FindingRow.person_id).join(AlertFinding, AlertFinding.finding_id == FindingRow.id)
                .where(AlertFinding.alert_id.in_(part)).distinct()) if p)
            people.update(p for p in conn.scalars(select(Alert.person_id).where(Alert.id.in_(part))) if p)
        return refresh(conn, people)
