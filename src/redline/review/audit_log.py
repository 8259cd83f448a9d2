"""The audit log as a hash chain: append entries, verify the chain, name the first broken entry.

Each entry stores the SHA-256 of the previous entry (`prev_hash`) and its own `hash` over the
previous hash and a canonical JSON of its fields, so editing, deleting or reordering any
entry but the last breaks every later link. Appends are serialised (a process lock, a
PostgreSQL advisory lock, and a unique `seq` as the last guard) so the chain never forks.

The chain alone cannot notice the newest entries deleted or a chain recomputed after an
edit: `anchor_to` names an append-only file outside the database that every append also
writes a checkpoint to (`audit_anchor`), and `verify(engine, anchor)` compares against it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.review import audit_anchor
from redline.store.tables.audit import AuditEntry

GENESIS: Final = "0" * 64
_ADVISORY_KEY: Final = 72_437_001  # any constant: "the audit chain" lock in PostgreSQL
_LOCK = threading.Lock()
_HEAD: Final = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
_ANCHORS: dict[str, Path] = {}  # database URL → its anchor file (set at start-up from Settings.audit_anchor)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def anchor_to(engine: Engine, path: Path | None) -> None:
    """Write a checkpoint of every entry appended to `engine`'s log to `path` (None: stop)."""
    if path is None:
        _ANCHORS.pop(_url(engine), None)
    else:
        _ANCHORS[_url(engine)] = path


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
                anchor = _ANCHORS.get(_url(engine))
                if anchor is not None:
                    # inside the transaction: if the checkpoint cannot be written, the entry is not either
                    audit_anchor.append(anchor, seq, str(values["hash"]))
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
    anchored: int | None = None  # entries the anchor file vouches for (None: no anchor given)


def _entries(engine: Engine, batch: int = 5000) -> Iterator[AuditEntry]:
    with Session(engine) as session:
        yield from session.scalars(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
        )


def verify(engine: Engine, anchor: Path | None = None) -> Verification:
    """Recompute every link in order; stop at the first entry whose link or hash is wrong.

    With `anchor`, also the first entry the anchor file recorded that is missing from the
    database (truncation) or has another hash there (rewritten, even with a recomputed chain).
    """
    marks = audit_anchor.read(anchor) if anchor is not None else None
    prev, expected_seq, checked, anchored = GENESIS, 1, 0, 0
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
        elif marks is not None and entry.seq in marks.hashes:
            if marks.hashes[entry.seq] != entry.hash:
                problem = (f"rewritten: entry {entry.seq} differs from the checkpoint in {anchor}; "
                           "the chain from it on was recomputed")
            else:
                anchored += 1
        if problem:
            return Verification(False, checked, entry.seq, entry.id, problem, anchored if marks else None)
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    if marks is not None and marks.head >= expected_seq:
        return Verification(False, checked, expected_seq, None,
                            f"truncated: entry {expected_seq} to {marks.head} are in the anchor {anchor} "
                            f"but not in the database", anchored)
    return Verification(True, checked, anchored=anchored if marks is not None else None)


def count(engine: Engine) -> int:
    """Number of entries in the log."""
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
