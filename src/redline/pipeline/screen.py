"""Screening the store incrementally and saving findings idempotently (the loop every entry point runs).

Only messages not yet screened with the current plan version are read (table `scan_state`,
alembic branch `rules_0001`); a changed pack, lexicon or override gives a new version and so
a full rescan. Text rules run in batches; every record analyzer of the plan runs once over
the store's tables, or, given `concerns`, over the rows of the people and groups that new rows
concern. Findings are saved with `store.save_findings` (idempotent by key).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from redline.contracts import Finding
from redline.pipeline.concerns import Concerns, local_plan, plan_for, tables_concerning
from redline.rules.plan import ScanPlan
from redline.scan.context import message_context
from redline.store.tables.messages import Message
from redline.store.tables.org import Group
from redline.store.tables.scan_state import ScanState


class Progress(Protocol):
    """The part of a rich progress bar the loop uses (the CLI passes one; libraries none)."""

    def add_task(self, description: str, *, total: float | None = ...) -> Any: ...

    def advance(self, task_id: Any, advance: float = ...) -> None: ...


BATCH: Final = 4096


@dataclass(slots=True)
class ScanSummary:
    """What one `redline scan` did."""

    plan_version: str
    messages: int = 0  # messages screened in this run
    already: int = 0  # messages already screened with this plan version
    text_findings: int = 0
    record_findings: int = 0
    new_findings: int = 0
    refused_attachments: int = 0  # attachment paths outside --files: quarantined, not read
    by_rule: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def _contexts(engine: Engine) -> dict[str, str]:
    """group id → group type, to tell group messages (and their kind) from private chats."""
    with engine.connect() as conn:
        return {gid: gtype or "other" for gid, gtype in conn.execute(select(Group.group_id, Group.type))}


def pending_clause(version: str) -> Any:
    """Messages not screened with `version`, or whose text changed length since (SQL clause)."""
    state = ScanState.__table__
    msg = Message.__table__
    return or_(
        state.c.message_id.is_(None),
        state.c.plan_version != version,
        state.c.text_length.is_(None),
        state.c.text_length != func.length(func.coalesce(msg.c.text, "")),
    )


def pending_batches(engine: Engine, version: str, batch: int = BATCH) -> Iterator[list[tuple[str, str, str, str]]]:
    """(id, text, conversation, sender) of the pending messages, by id."""
    state = ScanState.__table__
    msg = Message.__table__
    last = ""
    while True:
        query = (
            select(msg.c.id, msg.c.text, msg.c.conversation, msg.c.sender)
            .outerjoin(state, state.c.message_id == msg.c.id)
            .where(pending_clause(version), msg.c.id > last)
            .order_by(msg.c.id)
            .limit(batch)
        )
        with engine.connect() as conn:
            rows = [(r[0], r[1] or "", r[2] or "", r[3] or "") for r in conn.execute(query)]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def count_pending(engine: Engine, version: str) -> tuple[int, int]:
    """(all messages, pending messages)."""
    state = ScanState.__table__
    msg = Message.__table__
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(msg)).scalar_one()
        pending = conn.execute(
            select(func.count()).select_from(msg.outerjoin(state, state.c.message_id == msg.c.id)).where(pending_clause(version))
        ).scalar_one()
    return int(total), int(pending)


def mark_scanned(engine: Engine, rows: list[tuple[str, int]], version: str) -> None:
    """Record that these (message id, text length) were screened with `version` (upsert)."""
    if not rows:
        return
    now = datetime.now(UTC)
    values = [{"message_id": i, "plan_version": version, "scanned_at": now, "text_length": n} for i, n in rows]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    # the Core table (not the ORM class): plain executemany, no ORM bulk bookkeeping
    stmt = insert(ScanState.__table__)  # type: ignore[arg-type]
    stmt = stmt.on_conflict_do_update(
        index_elements=["message_id"],
        set_={
            "plan_version": stmt.excluded.plan_version,
            "scanned_at": stmt.excluded.scanned_at,
            "text_length": stmt.excluded.text_length,
        },
    )
    with engine.begin() as conn:
        conn.execute(stmt, values)  # executemany: one compiled statement, not 4,096 VALUES rows


def scan_store(engine: Engine, plan: ScanPlan, *, progress: Progress | None = None, batch: int = BATCH,
               files_root: Path | None = None, concerns: Concerns | None = None) -> ScanSummary:
    """Screen pending messages, run the record analyzers, save findings; see module doc.

    With `files_root`, the files that pending messages point to (`attachment.path`, relative
    to it) are read and screened too, each distinct file once. With `concerns`, the record
    analyses read only the rows of the people and groups concerned (none when it is empty).
    """
    from redline.pipeline.reach import escalate_by_reach
    from redline.scan.engine import scan_batch
    from redline.store import save_findings

    started = time.perf_counter()
    summary = ScanSummary(plan.version)
    total, pending = count_pending(engine, plan.version)
    summary.already = total - pending
    group_types = _contexts(engine)
    task = progress.add_task("screening messages", total=pending) if progress else None
    attached: list[tuple[str, dict[str, Any] | None]] = []
    for rows in pending_batches(engine, plan.version, batch):
        ids = [r[0] for r in rows]
        contexts = [message_context(conv, sender, group_types) for _, _, conv, sender in rows]
        findings = scan_batch(plan, [r[1] for r in rows], contexts, ids=ids)
        findings = escalate_by_reach(engine, plan, {r[0]: r[2] for r in rows}, findings)
        summary.new_findings += save_findings(engine, findings, pack_versions=plan.pack_versions)
        # Marked only after the findings are saved: a crash re-screens the batch, never skips it.
        mark_scanned(engine, [(r[0], len(r[1])) for r in rows], plan.version)
        summary.messages += len(ids)
        summary.text_findings += len(findings)
        summary.by_rule.update(f.rule_id for f in findings)
        if progress is not None and task is not None:
            progress.advance(task, len(ids))
        if files_root is not None:
            attached.extend(_attachments_of(engine, ids))
    if attached and files_root is not None:
        from redline.attachments.screen import message_attachment_findings, refused_paths
        from redline.bundle import QuarantineRecord
        from redline.store.quarantine import quarantine_records

        refused = refused_paths(files_root, attached)
        summary.refused_attachments = len(refused)
        quarantine_records(engine, f"scan --files {files_root}", [
            QuarantineRecord("messages", 0, "attachment.path",
                             "附件路径指向 --files 文件夹之外，已拒绝读取 / attachment path leads outside the --files "
                             "folder: refused, not read", f"{r.message_id}\t{r.path}")
            for r in refused])
        found = _with_senders(engine, message_attachment_findings(plan, attached, files_root))
        summary.new_findings += save_findings(engine, found, pack_versions=plan.pack_versions)
        summary.text_findings += len(found)
        summary.by_rule.update(f.rule_id for f in found)
    run_records(engine, plan, summary, concerns)
    summary.seconds = time.perf_counter() - started
    return summary


def run_records(engine: Engine, plan: ScanPlan, summary: ScanSummary, concerns: Concerns | None = None) -> None:
    """The record analyses over the whole store, or (with `concerns`) the local ones over the
    rows of whom the concerns name; findings saved and counted into `summary`."""
    from redline.scan.records import run_record_analyzers
    from redline.store import save_findings, tables_from_store

    if not plan.record_triggers or (concerns is not None and not concerns):
        return
    if concerns is None:
        tables, used = tables_from_store(engine), plan
    else:
        tables = tables_concerning(engine, concerns)
        used = plan_for(local_plan(plan), tables)
    for findings_of_key in run_record_analyzers(used, tables).values():
        record: list[Finding] = findings_of_key
        summary.new_findings += save_findings(engine, record, pack_versions=plan.pack_versions)
        summary.record_findings += len(record)
        summary.by_rule.update(f.rule_id for f in record)


def _with_senders(engine: Engine, findings: list[Finding]) -> list[Finding]:
    """A file's findings are about the person who sent it, as a message's text findings are:
    the alert names them and their unit, and groups the file with their other leads."""
    ids = sorted({f.subject_id for f in findings})
    senders: dict[str, str] = {}
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):  # well under SQLite's variable limit
            chunk = ids[start:start + 500]
            senders.update(conn.execute(select(Message.id, Message.sender).where(Message.id.in_(chunk)))
                           .tuples().all())
    return [replace(f, person_id=f.person_id or senders.get(f.subject_id)) for f in findings]


def _attachments_of(engine: Engine, ids: list[str]) -> list[tuple[str, dict[str, Any] | None]]:
    """(message id, attachment) for the messages of a batch that carry a file path."""
    with engine.connect() as conn:
        rows = conn.execute(select(Message.id, Message.attachment).where(
            Message.id.in_(ids), Message.attachment.is_not(None)))
        return [(mid, att) for mid, att in rows if isinstance(att, dict) and att.get("path")]
