"""Saving findings (contracts.Finding) into the store, idempotently by a natural-key hash.

The key is sha256 of `rule_id|subject|subject_id|label|start|end`: scanning the same data
twice updates the same rows (reason, score, facts refreshed; `created_at` kept) instead of
raising the same lead twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import orjson
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from redline.contracts import Finding
from redline.errors import SourceLocation
from redline.store.faults import classify
from redline.store.tables.findings import FindingRow

CHUNK = 500  # keys per IN (…) probe: well under SQLite's variable limit
_NO_VERSIONS: Mapping[str, str] = MappingProxyType({})


def finding_key(finding: Finding) -> str:
    """The natural key of a finding as 64 hex characters."""
    start = "" if finding.start is None else str(finding.start)
    end = "" if finding.end is None else str(finding.end)
    parts = (finding.rule_id, finding.subject, finding.subject_id, finding.label, start, end)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _json_safe(value: Any) -> Any:
    """Facts may hold dates, tuples or enums: store them as plain JSON (dates as ISO text)."""
    return orjson.loads(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))


def _row(finding: Finding, key: str, pack_versions: Mapping[str, str], now: datetime) -> dict[str, Any]:
    return {
        "key": key,
        "rule_id": finding.rule_id,
        "pack": finding.pack,
        "pack_version": pack_versions.get(finding.pack, ""),
        "category": str(finding.category),
        "detector": finding.detector,
        "label": finding.label,
        "kind": finding.kind,
        "subject": str(finding.subject),
        "subject_id": finding.subject_id,
        "person_id": finding.person_id,
        "score": float(finding.score),
        "severity": str(finding.severity),
        "reason": finding.reason,
        "reason_en": finding.reason_en,
        "evidence": finding.evidence,
        "start": finding.start,
        "end": finding.end,
        "related_ids": _json_safe(list(finding.related_ids)),
        "facts": _json_safe(dict(finding.facts)),
        "time": None,
        "created_at": now,
    }


def save_findings(
    engine: Engine, findings: Iterable[Finding], *, pack_versions: Mapping[str, str] = _NO_VERSIONS,
) -> int:
    """Upsert findings; returns how many were NEW (saving the same findings again returns 0).

    `pack_versions` maps a pack name to its version, stored with each finding of that pack.
    Within one call, the first finding of each key wins.
    """
    now = datetime.now(UTC)
    rows: dict[str, dict[str, Any]] = {}
    for finding in findings:
        key = finding_key(finding)
        if key not in rows:
            rows[key] = _row(finding, key, pack_versions, now)
    if not rows:
        return 0
    table: Table = FindingRow.__table__  # type: ignore[assignment]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    keys = list(rows)
    existing: set[str] = set()
    try:
        with engine.begin() as connection:
            for start in range(0, len(keys), CHUNK):
                probe = select(table.c.key).where(table.c.key.in_(keys[start : start + CHUNK]))
                existing.update(connection.execute(probe).scalars())
            statement = insert(table)
            refreshed: dict[str, Any] = {
                c.name: statement.excluded[c.name] for c in table.columns if c.name not in ("id", "key", "created_at")
            }
            # A re-save without versions keeps the version recorded earlier.
            refreshed["pack_version"] = func.coalesce(func.nullif(statement.excluded.pack_version, ""), table.c.pack_version)
            connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_=refreshed), list(rows.values()))
    except SQLAlchemyError as exc:
        where = SourceLocation(engine.url.render_as_string(hide_password=True))
        raise classify(exc, "save findings", where) from exc
    return len(rows) - len(existing)
