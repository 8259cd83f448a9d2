"""The text scan engine: normalise a batch once, run each plan detector once, make findings.

The engine knows the plan and the contracts only; it never names a concrete detector.
A bad message (empty, 1 MB, control characters, lone surrogates, not a string at all) is
screened like any other and never stops its batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from redline.contracts import SCAN_BATCH, ColumnarDetector, Finding, Hit, HitColumns, TextDetector
from redline.rules.plan import MessageContext, ScanPlan
from redline.scan.findings import findings_from_columns, hit_columns, screen_records, to_original
from redline.text.normalize import NormalizedBatch, normalize_batch


def _normalise(texts: Sequence[str]) -> NormalizedBatch:
    try:
        return normalize_batch(texts)
    except TypeError:
        # a null text (an image or a red packet in messages.jsonl) is screened as empty;
        # checked only on failure so the common all-strings batch pays nothing for it
        return normalize_batch([t if isinstance(t, str) else "" for t in texts])


def detect(detectors: Iterable[TextDetector], batch: NormalizedBatch) -> list[Hit]:
    """Every detector once over the normalised batch; offsets in the normalised texts."""
    hits: list[Hit] = []
    for detector in detectors:
        hits.extend(detector.scan(batch.texts))
    return hits


def detect_columns(detectors: Iterable[TextDetector], batch: NormalizedBatch) -> list[HitColumns]:
    """`detect` as columns: a detector with `scan_columns` never builds a Hit per match."""
    parts: list[HitColumns] = []
    for detector in detectors:
        if isinstance(detector, ColumnarDetector):
            parts.append(detector.scan_columns(batch.texts))
        else:
            parts.extend(hit_columns(detector.scan(batch.texts)))
    return parts


def reconcile(plan: ScanPlan, batch: NormalizedBatch, parts: list[HitColumns]) -> list[HitColumns]:
    """Let detectors that judge other detectors' hits (a model's veto of a weak rule hit, a
    model lead dropped where a rule already caught the message) see the batch's hits once; the
    batch itself too, for what normalisation took out (a clause's punctuation)."""
    for detector in plan.detectors:
        judge = getattr(detector, "reconcile_columns", None)
        if judge is not None:
            parts = judge(batch.texts, parts, plan.rules, batch)
    return parts


def scan_batch(
    plan: ScanPlan,
    texts: Sequence[str],
    contexts: Sequence[MessageContext | None] | None = None,
    *,
    ids: Sequence[str] | None = None,
    first_row: int = 0,
) -> list[Finding]:
    """Findings for one batch of messages (offsets in characters of the ORIGINAL texts).

    `ids` name the messages in findings (`subject_id`; default: `first_row` + the row
    number, as text); `contexts`, when given, has one entry per text and narrows rules by
    their scope.
    """
    if contexts is not None and len(contexts) != len(texts):
        raise ValueError("contexts must have one entry per text")
    if ids is not None and len(ids) != len(texts):
        raise ValueError("ids must have one entry per text")
    batch = _normalise(texts)
    parts = reconcile(plan, batch, detect_columns(plan.detectors, batch))
    return findings_from_columns(plan, batch, parts, ids, contexts, first_row=first_row)


def scan_batch_records(plan: ScanPlan, texts: Sequence[str], ids: Sequence[str],
                       contexts: Sequence[MessageContext | None] | None = None) -> list[dict[str, Any]]:
    """`scan_batch`'s findings as `redline screen`'s output records, built from the columns
    (no Finding object per finding: the CLI writes only the record's fields)."""
    if len(ids) != len(texts) or (contexts is not None and len(contexts) != len(texts)):
        raise ValueError("ids and contexts must have one entry per text")
    batch = _normalise(texts)
    parts = reconcile(plan, batch, detect_columns(plan.detectors, batch))
    return screen_records(plan, batch, parts, ids, contexts)


def scan_stream(
    plan: ScanPlan,
    texts: Iterable[str],
    *,
    ids: Iterable[str] | None = None,
    contexts: Iterable[MessageContext | None] | None = None,
    batch_size: int = SCAN_BATCH,
) -> Iterator[Finding]:
    """Findings over any iterable of messages, in batches of `batch_size`.

    Default ids are the running message number across the whole stream.
    """
    text_it = iter(texts)
    id_it = iter(ids) if ids is not None else None
    ctx_it = iter(contexts) if contexts is not None else None
    offset = 0
    while True:
        chunk = list(islice(text_it, batch_size))
        if not chunk:
            return
        chunk_ids = list(islice(id_it, len(chunk))) if id_it is not None else None
        chunk_ctx = list(islice(ctx_it, len(chunk))) if ctx_it is not None else None
        yield from scan_batch(plan, chunk, chunk_ctx, ids=chunk_ids, first_row=offset)
        offset += len(chunk)


def scan_hits(detectors: Iterable[TextDetector], texts: Sequence[str]) -> list[Hit]:
    """Raw hits of some detectors with offsets mapped back to the ORIGINAL texts.

    For span outputs (`redline classify`) and detector tests: no plan, no rules.
    Sorted by (row, start, end, label).
    """
    batch = _normalise(texts)
    hits = [to_original(batch, h) for h in detect(detectors, batch)]
    return sorted(hits, key=lambda h: (h.row, h.start, h.end, h.label))
