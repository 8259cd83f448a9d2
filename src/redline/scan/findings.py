"""Hit → Finding: the rule behind a hit, and its evidence span in the ORIGINAL message.

Detectors report offsets in the normalised text; here they are mapped back through the
batch's OffsetMap, so evidence is quoted (and highlighted) exactly as it was written, even
when it was written 紅 包 or ｈｏｎｇｂａｏ. Reasons are rendered from facts (scan.reasons).
"""

from __future__ import annotations

from collections.abc import Sequence

from redline.contracts import Finding, Hit
from redline.scan.plan import MessageContext, ScanPlan
from redline.scan.reasons import render_text_reason, text_facts
from redline.text.normalize import NormalizedBatch
from redline.vocab import Subject


def to_original(batch: NormalizedBatch, hit: Hit) -> Hit:
    """The same hit with start/end in characters of the original message."""
    start, end = batch.span(hit.row, hit.start, hit.end)
    return Hit(hit.row, hit.detector, hit.label, start, end, hit.score, hit.why)


def findings_from_hits(
    plan: ScanPlan,
    batch: NormalizedBatch,
    hits: Sequence[Hit],
    ids: Sequence[str],
    contexts: Sequence[MessageContext | None] | None = None,
) -> list[Finding]:
    """Findings for the hits whose rule is in the plan and accepts them (score, scope).

    Sorted by (message, start, rule id); one finding per (message, label, span).
    """
    rows_findings: list[tuple[int, Finding]] = []
    seen: set[tuple[int, str, int, int]] = set()
    for hit in hits:
        ref = plan.rules.get(hit.label)
        if ref is None:
            continue
        ctx = contexts[hit.row] if contexts is not None else None
        if not ref.accepts(hit.score, ctx):
            continue
        orig = to_original(batch, hit)
        key = (orig.row, orig.label, orig.start, orig.end)
        if key in seen:
            continue
        seen.add(key)
        evidence = batch.originals[orig.row][orig.start : orig.end]
        facts = text_facts(ref, evidence, hit.score, hit.why)
        reason, reason_en = render_text_reason(facts)
        rows_findings.append((orig.row, Finding(
            rule_id=ref.rule_id,
            category=ref.category,
            detector=hit.detector,
            subject=Subject.MESSAGE.value,
            subject_id=ids[orig.row],
            severity=ref.severity,
            reason=reason,
            reason_en=reason_en,
            person_id=ctx.sender_id if ctx is not None else None,
            score=hit.score,
            label=hit.label,
            start=orig.start,
            end=orig.end,
            evidence=evidence,
            facts=facts,
            pack=ref.pack,
        )))
    rows_findings.sort(key=lambda rf: (rf[0], rf[1].start or 0, rf[1].rule_id, rf[1].label))
    return [f for _, f in rows_findings]
