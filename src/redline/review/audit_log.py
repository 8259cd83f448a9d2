"""The audit log as a hash chain: append entries, verify the chain, name the first broken entry.

Each entry stores the SHA-256 of the previous entry (`prev_hash`) and its own `hash` over the
previous hash and a canonical JSON of its fields, so editing, deleting or reordering any
entry but the last breaks every later link. Appends are serialised (a process lock, a
PostgreSQL advisory lock, and a unique `seq` as the last guard) so the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.store.tables.audit import AuditEntry

GENESIS: Final = "0" * 64
_ADVISORY_KEY: Final = 72_437_001  # any constant: "the audit chain" lock in PostgreSQL
_LOCK = threading.Lock()
_HEAD: Final = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)


def _utc_naive(at: datetime) -> datetime:
    # SQLite drops the offset on the way in; hash the UTC wall time so both stores agree.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at


def entry_hash(
    prev_hash: str, seq: int, at: datetime, actor: str, role: str, action: str, target: str,
    detail: Mapping[str, Any],
) -> str:
    """SHA-256 (hex) of the previous hash and the canonical JSON of one entry's fields."""
    body = json.dumps(
        [seq, _utc_naive(at).isoformat(timespec="microseconds"), actor, role, action, target, detail],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def record(
    engine: Engine, actor: str, role: str, action: str, target: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in its own transaction and return it (detached).

    Core statements rather than an ORM session: the console writes one entry per page view.
    """
    payload = dict(detail or {})
    attempts = 5
    while True:
        attempts -= 1
        try:
            with _LOCK, engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
                last = conn.execute(_HEAD).first()
                seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                at = datetime.now(UTC)
                values = {"seq": seq, "at": at, "actor": actor, "role": role, "action": action, "target": target,
                          "detail": payload, "prev_hash": prev,
                          "hash": entry_hash(prev, seq, at, actor, role, action, target, payload)}
                conn.execute(insert(AuditEntry), values)
            return AuditEntry(**values)
        except IntegrityError:
            # another process took this seq between our read and write: read the new head again
            if attempts == 0:
                raise


@dataclass(frozen=True, slots=True)
class Verification:
    """The result of checking the whole chain; `broken_seq` names the first bad entry."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""


def _entries(engine: Engine, batch: int = 5000) -> Iterator[AuditEntry]:
    with Session(engine) as session:
        yield from session.scalars(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
        )


def verify(engine: Engine) -> Verification:
    """Recompute every link in order; stop at the first entry whose link or hash is wrong."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for entry in _entries(engine):
        problem = ""
        if entry.seq != expected_seq:
            problem = f"sequence gap: expected entry {expected_seq}, found {entry.seq}"
        elif entry.prev_hash != prev:
            problem = "prev_hash does not match the previous entry's hash"
        elif entry.hash != entry_hash(
            entry.prev_hash, entry.seq, entry.at, entry.actor, entry.role, entry.action,
            entry.target, entry.detail,
        ):
            problem = "content changed after it was written (hash mismatch)"
        if problem:
            return Verification(False, checked, entry.seq, entry.id, problem)
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return Verification(True, checked)


def count(engine: Engine) -> int:
    """Number of entries in the log."""
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
