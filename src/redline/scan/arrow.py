"""Findings of `redline screen` as Arrow: one schema for the local engine's Parquet output and
for the Spark engine, and the batch function both apply to Arrow record batches.

A batch may carry the messages' context next to `id` and `text` (CONTEXT_COLUMNS: what
`redline scan` knows from the store); rules scoped to group types or conversation kinds then
apply exactly as in the local scan. Without them every rule applies (a text screen).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Final

import pyarrow as pa

from redline.contracts import Finding
from redline.rules.plan import MessageContext, ScanPlan
from redline.scan.engine import scan_batch

# the columns of `redline screen` JSON Lines, in order (DESIGN.md)
FINDINGS_SCHEMA: Final = pa.schema([
    ("message_id", pa.string()), ("rule_id", pa.string()), ("category", pa.string()),
    ("detector", pa.string()), ("label", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ("evidence", pa.string()), ("severity", pa.string()), ("reason", pa.string()),
])
FINDINGS_DDL: Final = ", ".join(
    f"`{f.name}` {'bigint' if f.type == pa.int64() else 'string'}" for f in FINDINGS_SCHEMA)


def findings_batch(findings: Sequence[Finding]) -> pa.RecordBatch:
    """Findings as one record batch with FINDINGS_SCHEMA."""
    columns = {
        "message_id": [f.subject_id for f in findings], "rule_id": [f.rule_id for f in findings],
        "category": [f.category for f in findings], "detector": [f.detector for f in findings],
        "label": [f.label for f in findings], "start": [f.start for f in findings],
        "end": [f.end for f in findings], "evidence": [f.evidence for f in findings],
        "severity": [f.severity for f in findings], "reason": [f.reason for f in findings],
    }
    return pa.RecordBatch.from_pydict(columns, schema=FINDINGS_SCHEMA)


CONTEXT_COLUMNS: Final = ("group_type", "conversation", "group_id", "sender_id")  # MessageContext's fields


def _contexts(batch: pa.RecordBatch) -> list[MessageContext | None] | None:
    present = [c for c in CONTEXT_COLUMNS if c in batch.schema.names]
    if not present:
        return None
    columns = {c: batch.column(c).to_pylist() for c in present}
    return [MessageContext(**{c: columns[c][i] for c in present}) for i in range(batch.num_rows)]


def screen_record_batch(plan: ScanPlan, batch: pa.RecordBatch) -> pa.RecordBatch:
    """The local engine over one Arrow batch with `id` and `text` columns (and any CONTEXT_COLUMNS).

    Null texts (images, red packets) are screened as empty strings, as `redline screen` does.
    """
    ids = [str(v) for v in batch.column("id").to_pylist()]
    texts = [t if isinstance(t, str) else "" for t in batch.column("text").to_pylist()]
    return findings_batch(scan_batch(plan, texts, _contexts(batch), ids=ids))


def screen_record_batches(plan: ScanPlan, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """screen_record_batch over a stream of batches (what Spark's mapInArrow hands a worker)."""
    for batch in batches:
        if batch.num_rows:
            yield screen_record_batch(plan, batch)
