"""The quarantine in the store: rejected bundle rows as `quarantined_rows`, and reading them back.

A load writes the rows its reader rejected in the same transaction as the good rows
(`load.load_bundle`), keyed by sha256 of source, file, line and raw text, so loading a bundle
twice leaves the same rows. The rows of a source mirror that source's latest load: a row a
later load no longer rejects (fixed, and now among the good rows) is deleted, as
`quarantine.jsonl` is rewritten; rows of other sources are never touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import pyarrow as pa
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.orm import Session

from redline.bundle import QuarantineRecord
from redline.bundle.schema import QUARANTINE_FILE, FileSpec
from redline.store.columns import TableMap
from redline.store.tables.quarantine import SOURCE_CHARS, QuarantinedRow

UTC_TIME: Final = pa.timestamp("us", tz="UTC")
# PostgreSQL text cannot hold NUL, which is valid UTF-8 in a bundle: shown as ␀ instead, so one
# such row cannot fail the whole load
_NUL: Final = str.maketrans({"\x00": "\u2400"})
# quarantine.jsonl as a file spec, so the bulk upsert paths of `load` take it like any bundle file
QUARANTINE_SPEC: Final = FileSpec(
    QUARANTINE_FILE, "quarantined_rows",
    pa.schema([
        ("key", pa.string()), ("source", pa.string()), ("file", pa.string()), ("line", pa.int64()),
        ("field", pa.string()), ("reason", pa.string()), ("raw", pa.string()),
        ("first_seen", UTC_TIME), ("last_seen", UTC_TIME),
    ]),
    key=("key",), required=(),
)
_TABLE: Final[Table] = QuarantinedRow.__table__  # type: ignore[assignment]
QUARANTINE_MAP: Final = TableMap(
    QUARANTINE_SPEC, _TABLE, tuple(QUARANTINE_SPEC.schema.names), QUARANTINE_SPEC.key,
    frozenset(c.name for c in _TABLE.columns if not c.nullable), frozenset(),
)
KEEP_ON_UPDATE: Final = ("first_seen",)  # a re-load refreshes last_seen, never first_seen


@dataclass(frozen=True, slots=True)
class QuarantineLoad:
    """What a load did to the stored quarantine of its source."""

    source: str
    stored: int  # rows of this source in quarantine after the load (= rows rejected by it)
    resolved: int  # rows of an earlier load of this source that this load no longer rejects (deleted)


def quarantine_key(source: str, record: QuarantineRecord) -> str:
    """The natural key of a stored quarantined row: 64 hex characters."""
    # \x1f cannot occur in a path or file name, so two different tuples never join alike
    text = "\x1f".join((source, record.file, str(record.line), record.raw))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def quarantine_table(source: str, records: Sequence[QuarantineRecord], now: datetime) -> pa.Table:
    """The records of one load as rows of `quarantined_rows` (both times `now`, UTC)."""
    n = len(records)
    stamps = pa.array([now] * n, type=UTC_TIME)
    return pa.table({
        "key": pa.array([quarantine_key(source, r) for r in records], pa.string()),
        "source": pa.array([source] * n, pa.string()),
        "file": pa.array([r.file for r in records], pa.string()),
        "line": pa.array([r.line for r in records], pa.int64()),
        "field": pa.array([r.field or "" for r in records], pa.string()),
        "reason": pa.array([r.reason.translate(_NUL) for r in records], pa.string()),
        "raw": pa.array([str(r.raw).translate(_NUL) for r in records], pa.string()),
        "first_seen": stamps,
        "last_seen": stamps,
    }, schema=QUARANTINE_SPEC.schema)


@dataclass(frozen=True, slots=True)
class QuarantinePage:
    """One page of stored quarantined rows, newest first; `next_before` pages on (None: last page)."""

    rows: list[QuarantinedRow]
    total: int  # rows matching the filter, on every page
    next_before: int | None


def list_quarantined(
    session: Session, *, source: str | None = None, file: str | None = None, before: int | None = None,
    limit: int = 50,
) -> QuarantinePage:
    """Rows filtered by source and file, newest first (highest id: the latest to enter the
    quarantine), `limit` rows with an id below `before` (keyset paging: deep pages cost what
    the first does)."""
    limit = max(1, min(limit, 500))
    conds = [c for c in (QuarantinedRow.source == source if source else None,
                         QuarantinedRow.file == file if file else None) if c is not None]
    query = select(QuarantinedRow).where(*conds).order_by(QuarantinedRow.id.desc())
    if before is not None:
        query = query.where(QuarantinedRow.id < before)
    rows = list(session.scalars(query.limit(limit + 1)))
    total = int(session.scalar(select(func.count()).select_from(QuarantinedRow).where(*conds)) or 0)
    if len(rows) > limit:
        rows = rows[:limit]
        return QuarantinePage(rows, total, rows[-1].id)
    return QuarantinePage(rows, total, None)


def quarantine_sources(session: Session, limit: int = 500) -> list[str]:
    """The sources with rows in quarantine (for a filter), sorted."""
    query = select(QuarantinedRow.source).distinct().order_by(QuarantinedRow.source).limit(limit)
    return list(session.scalars(query))


def quarantine_records(engine: Engine, source: str, records: Sequence[QuarantineRecord]) -> int:
    """Add records found outside a bundle load (e.g. attachment paths `scan --files` refused);
    a record already stored only has its `last_seen` refreshed. Returns how many were new."""
    if not records:
        return 0
    now = datetime.now(UTC)
    keyed = {quarantine_key(source, r): r for r in records}
    with Session(engine) as session, session.begin():
        stored = {row.key: row for row in session.scalars(
            select(QuarantinedRow).where(QuarantinedRow.key.in_(list(keyed))))}
        for key, record in keyed.items():
            if key in stored:
                stored[key].last_seen = now
                continue
            session.add(QuarantinedRow(
                key=key, source=source[:SOURCE_CHARS], file=record.file, line=record.line, field=record.field,
                reason=record.reason.translate(_NUL), raw=str(record.raw).translate(_NUL),
                first_seen=now, last_seen=now))
    return len(keyed) - len(stored)
