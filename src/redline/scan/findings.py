"""Hit → Finding: the rule behind a hit, and its evidence span in the ORIGINAL message.

Detectors report offsets in the normalised text; here they are mapped back through the
batch's OffsetMap, so evidence is quoted (and highlighted) exactly as it was written, even
when it was written 紅 包 or ｈｏｎｇｂａｏ. Reasons are rendered from facts (scan.reasons).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np

from redline.contracts import Finding, Hit
from redline.scan.plan import MessageContext, RuleRef, ScanPlan
from redline.scan.reasons import render_text_reason, text_facts
from redline.text.normalize import NormalizedBatch
from redline.vocab import Subject

_MESSAGE: Final = Subject.MESSAGE.value


def to_original(batch: NormalizedBatch, hit: Hit) -> Hit:
    """The same hit with start/end in characters of the original message."""
    start, end = batch.span(hit.row, hit.start, hit.end)
    return Hit(hit.row, hit.detector, hit.label, start, end, hit.score, hit.why)


def findings_from_hits(
    plan: ScanPlan,
    batch: NormalizedBatch,
    hits: Sequence[Hit],
    ids: Sequence[str] | None = None,
    contexts: Sequence[MessageContext | None] | None = None,
    *,
    first_row: int = 0,
) -> list[Finding]:
    """Findings for the hits whose rule is in the plan and accepts them (score, scope).

    `subject_id` is `ids[row]`, or without ids the running number `first_row + row` as text.

    Sorted by (message, start, rule id); one finding per (message, label, span). Spans are
    mapped back in one vectorised step; reasons are rendered once per distinct fact set.
    """
    accepted: list[tuple[Hit, RuleRef, MessageContext | None]] = []
    rows_l: list[int] = []
    starts_l: list[int] = []
    ends_l: list[int] = []
    rules = plan.rules
    for hit in hits:
        ref = rules.get(hit.label)
        if ref is None or hit.end <= hit.start:
            continue
        ctx = contexts[hit.row] if contexts is not None else None
        if ref.accepts(hit.score, ctx):
            accepted.append((hit, ref, ctx))
            rows_l.append(hit.row)
            starts_l.append(hit.start)
            ends_l.append(hit.end)
    if not accepted:
        return []
    o_starts, o_ends = batch.spans(
        np.asarray(rows_l, dtype=np.int64), np.asarray(starts_l, dtype=np.int64),
        np.asarray(ends_l, dtype=np.int64),
    )
    originals = batch.originals
    reasons: dict[tuple[str, str, str, float], tuple[dict[str, Any], str, str]] = {}
    seen: set[tuple[int, str, int, int]] = set()
    out: list[tuple[int, int, str, str, int, int, Finding]] = []
    for (hit, ref, ctx), start, end in zip(accepted, o_starts.tolist(), o_ends.tolist(), strict=True):
        row, label, score, why = hit.row, hit.label, hit.score, hit.why
        key = (row, label, start, end)
        if key in seen:
            continue
        seen.add(key)
        evidence = originals[row][start:end]
        rendered = reasons.get((label, evidence, why, score))
        if rendered is None:
            facts = text_facts(ref, evidence, score, why)
            rendered = (facts, *render_text_reason(facts))
            reasons[(label, evidence, why, score)] = rendered
        facts, reason, reason_en = rendered
        out.append((row, start, ref.rule_id, label, end, len(out), Finding(
            rule_id=ref.rule_id,
            category=ref.category,
            detector=hit.detector,
            subject=_MESSAGE,
            subject_id=ids[row] if ids is not None else str(first_row + row),
            severity=ref.severity,
            reason=reason,
            reason_en=reason_en,
            person_id=ctx.sender_id if ctx is not None else None,
            score=score,
            label=label,
            start=start,
            end=end,
            evidence=evidence,
            facts=facts,
            pack=ref.pack,
        )))
    out.sort()  # (message, start, rule, label, end, arrival): the tuple order is the contract
    return [item[-1] for item in out]
