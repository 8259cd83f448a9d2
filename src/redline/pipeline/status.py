"""The watcher's heartbeat (table `watcher_beats`) and the health the console reports of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from redline.pipeline.screen import pending_clause
from redline.store.tables.live import WatcherBeat
from redline.store.tables.messages import Message
from redline.store.tables.scan_state import ScanState


@dataclass(slots=True)
class Beat:
    """What one watcher reports after each poll."""

    watcher: str
    plan_version: str
    started_at: datetime
    last_pull: datetime
    last_import: datetime | None = None
    imported: int = 0
    errors: int = 0
    backlog: int = 0
    lag_seconds: float = 0.0
    last_error: str = ""


def save_beat(engine: Engine, beat: Beat) -> None:
    """Upsert the watcher's row (a restart under the same name takes its row over)."""
    values: dict[str, Any] = {f: getattr(beat, f) for f in Beat.__slots__}
    values["last_error"] = values["last_error"][:2000]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(WatcherBeat.__table__).values(**values)  # type: ignore[arg-type]
    with engine.begin() as conn:
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["watcher"], set_={k: stmt.excluded[k] for k in values if k != "watcher"}))


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes for timezone-aware columns; they were written in UTC
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _oldest_pending(engine: Engine, version: str) -> tuple[int, datetime | None]:
    state, msg = ScanState.__table__, Message.__table__
    query = (select(func.count(), func.min(msg.c.time))
             .select_from(msg.outerjoin(state, state.c.message_id == msg.c.id)).where(pending_clause(version)))
    with engine.connect() as conn:
        count, oldest = conn.execute(query).one()
    return int(count), _aware(oldest)


def health(engine: Engine) -> dict[str, Any]:
    """The watchers' last pulls, the backlog of unscreened messages and the oldest one's age.

    `status` is "ok" when a watcher pulled within the last two minutes, "stale" when the
    newest pull is older, "none" when no watcher ever ran on this database.
    """
    now = datetime.now(UTC)
    with engine.connect() as conn:
        rows = conn.execute(select(WatcherBeat).order_by(WatcherBeat.last_pull.desc())).mappings().all()
    watchers = []
    for row in rows:
        last_pull = _aware(row["last_pull"])
        last_import = _aware(row["last_import"])
        watchers.append({
            "watcher": row["watcher"], "plan_version": row["plan_version"],
            "last_pull": last_pull.isoformat() if last_pull else None,
            "seconds_since_pull": round((now - last_pull).total_seconds(), 1) if last_pull else None,
            "last_import": last_import.isoformat() if last_import else None,
            "imported": row["imported"], "errors": row["errors"], "lag_seconds": round(row["lag_seconds"], 3),
            "last_error": row["last_error"],
        })
    backlog, oldest = _oldest_pending(engine, rows[0]["plan_version"]) if rows else (0, None)
    newest = watchers[0]["seconds_since_pull"] if watchers else None
    status = "none" if not watchers else "ok" if newest is not None and newest <= 120 else "stale"
    return {
        "status": status, "checked_at": now.isoformat(), "watchers": watchers, "backlog": backlog,
        "oldest_unscreened_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
    }
