"""The backtest's candidate run on Spark, for stores too large for one process.

Messages are exported from the store to Parquet (id, text) and screened by Spark workers
with the same batch function as `redline screen --spark` (`scan.spark`); the record analyses
(payments, groups) are vectorised Arrow and run on the driver as in the local backtest. The
comparison with today's findings and alerts is `review.backtest.compare`, unchanged.

Each exported message carries its context (group type, conversation kind, group, sender: the
columns `redline scan` derives from the store), so rules scoped to group types or chats apply
on the workers exactly as in the local run.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, func, select

from redline.review.backtest import (
    BacktestReport,
    Lead,
    _cutoff,
    _group_types,
    _in_window,
    _message_rows,
    _window,
    alert_states,
    compare,
    current_leads,
)
from redline.scan.arrow import CONTEXT_COLUMNS
from redline.scan.spark import PlanSpec, plan_for, screen_dataframe
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string()), *((c, pa.string()) for c in CONTEXT_COLUMNS)])


def export_messages(engine: Engine, path: Path, cutoff: datetime | None) -> int:
    """The store's messages (in the window) as Parquet with `id`, `text` and their context; returns how many."""
    from redline.scan.context import message_context

    group_types = _group_types(engine)
    n = 0
    with pq.ParquetWriter(path, _SCHEMA, compression="zstd") as out:
        for rows in _message_rows(engine, cutoff):
            contexts = [message_context(conv, sender, group_types) for _, _, conv, sender in rows]
            columns: dict[str, list[str | None]] = {"id": [r[0] for r in rows], "text": [r[1] for r in rows]}
            columns |= {c: [getattr(ctx, c) for ctx in contexts] for c in CONTEXT_COLUMNS}
            out.write_table(pa.table(columns, schema=_SCHEMA))
            n += len(rows)
    return n


def spark_leads(engine: Engine, spark: SparkSession, spec: PlanSpec, cutoff: datetime | None,
                folder: Path) -> set[Lead]:
    """The candidate's leads: message rules on Spark, record analyses on the driver."""
    from redline.scan.records import run_record_analyzers
    from redline.store import tables_from_store

    source = folder / "messages.parquet"
    export_messages(engine, source, cutoff)
    found = screen_dataframe(spark.read.parquet(str(source)), spec).select("rule_id", "message_id").distinct()
    leads: set[Lead] = {(r["rule_id"], "message", r["message_id"]) for r in found.collect()}
    plan = plan_for(spec)
    if plan.record_triggers:
        for findings in run_record_analyzers(plan, tables_from_store(engine)).values():
            leads.update((f.rule_id, str(f.subject), f.subject_id) for f in findings)
    return leads


def backtest_spark(engine: Engine, spark: SparkSession, spec: PlanSpec, *,
                   since_days: int | None = None) -> BacktestReport:
    """`review.backtest.backtest` with the candidate screened on Spark."""
    cutoff = _cutoff(since_days)
    msgs, pays = _window(engine, cutoff)
    with tempfile.TemporaryDirectory(prefix="redline-backtest-") as folder:
        after = {lead for lead in spark_leads(engine, spark, spec, cutoff, Path(folder))
                 if _in_window(lead, msgs, pays)}
    before = {lead: a for lead, a in current_leads(engine).items() if _in_window(lead, msgs, pays)}
    report = BacktestReport(plan_for(spec).version, since_days)
    with engine.connect() as conn:
        report.messages = len(msgs) if msgs is not None else int(
            conn.execute(select(func.count()).select_from(Message)).scalar_one())
        report.payments = len(pays) if pays is not None else int(
            conn.execute(select(func.count()).select_from(Payment)).scalar_one())
    return compare(before, after, alert_states(engine), report)
