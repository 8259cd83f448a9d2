"""Hit → Finding: the rule behind a hit, and its evidence span in the ORIGINAL message.

Detectors report offsets in the normalised text; here they are mapped back through the
batch's OffsetMap, so evidence is quoted (and highlighted) exactly as it was written, even
when it was written 紅 包 or ｈｏｎｇｂａｏ. Reasons are rendered from facts (reasons.text).

Hits arrive as columns (`HitColumns`; a detector's `list[Hit]` is turned into columns), and
everything up to the findings themselves is numpy over the batch: the rule of each hit by
label id, min_score, the span mapping, the dedupe and the sort. Python touches each finding
once, to slice its evidence and build it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final, cast

import numpy as np
import numpy.typing as npt

from redline.contracts import Finding, Hit, HitColumns
from redline.reasons.text import ReasonFrame, text_reason_frame
from redline.rules.plan import MessageContext, RuleRef, ScanPlan
from redline.text.normalize import NormalizedBatch
from redline.vocab import Subject

_MESSAGE: Final = Subject.MESSAGE.value
_I64 = np.int64


def to_original(batch: NormalizedBatch, hit: Hit) -> Hit:
    """The same hit with start/end in characters of the original message."""
    start, end = batch.span(hit.row, hit.start, hit.end)
    return Hit(hit.row, hit.detector, hit.label, start, end, hit.score, hit.why)


def hit_columns(hits: Sequence[Hit]) -> list[HitColumns]:
    """Hits as columns, one `HitColumns` per run of hits of one detector (order kept)."""
    out: list[HitColumns] = []
    i, n = 0, len(hits)
    while i < n:
        detector = hits[i].detector
        labels: dict[str, int] = {}
        whys: dict[str, int] = {}
        rows: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        lids: list[int] = []
        wids: list[int] = []
        scores: list[float] = []
        while i < n and hits[i].detector == detector:
            h = hits[i]
            rows.append(h.row)
            starts.append(h.start)
            ends.append(h.end)
            lids.append(labels.setdefault(h.label, len(labels)))
            wids.append(whys.setdefault(h.why, len(whys)))
            scores.append(h.score)
            i += 1
        out.append(HitColumns(
            detector, tuple(labels), tuple(whys), np.asarray(rows, dtype=_I64),
            np.asarray(starts, dtype=_I64), np.asarray(ends, dtype=_I64), np.asarray(lids, dtype=_I64),
            np.asarray(wids, dtype=_I64), np.asarray(scores, dtype=np.float64),
        ))
    return out


# Finding is a frozen dataclass: its generated __init__ sets each of its 18 fields through
# object.__setattr__, which costs more than everything else a finding needs. The engine
# fills the slots directly instead (same values, same type; frozen for everyone after).
_FINDING_FIELDS: Final = (
    "rule_id", "category", "detector", "subject", "subject_id", "severity", "reason", "reason_en",
    "person_id", "score", "label", "kind", "start", "end", "evidence", "related_ids", "facts", "pack",
)
if tuple(f.name for f in fields(Finding)) != _FINDING_FIELDS:  # pragma: no cover - contract edit
    raise ImportError("redline.contracts.Finding changed: update scan.findings._new_finding")
(_s_rule_id, _s_category, _s_detector, _s_subject, _s_subject_id, _s_severity, _s_reason, _s_reason_en,
 _s_person_id, _s_score, _s_label, _s_kind, _s_start, _s_end, _s_evidence, _s_related_ids, _s_facts,
 _s_pack) = (getattr(Finding, name).__set__ for name in _FINDING_FIELDS)
_new = object.__new__


def _new_finding(
    rule_id: str, category: str, detector: str, subject_id: str, severity: str, reason: str,
    reason_en: str, person_id: str | None, score: float, label: str, start: int, end: int,
    evidence: str, facts: dict[str, Any], pack: str,
) -> Finding:
    """A text finding, as `Finding(...)` with subject "message" and kind/related_ids empty."""
    f: Finding = _new(Finding)
    _s_rule_id(f, rule_id)
    _s_category(f, category)
    _s_detector(f, detector)
    _s_subject(f, _MESSAGE)
    _s_subject_id(f, subject_id)
    _s_severity(f, severity)
    _s_reason(f, reason)
    _s_reason_en(f, reason_en)
    _s_person_id(f, person_id)
    _s_score(f, score)
    _s_label(f, label)
    _s_kind(f, "")
    _s_start(f, start)
    _s_end(f, end)
    _s_evidence(f, evidence)
    _s_related_ids(f, ())
    _s_facts(f, facts)
    _s_pack(f, pack)
    return f


def findings_from_hits(
    plan: ScanPlan,
    batch: NormalizedBatch,
    hits: Sequence[Hit],
    ids: Sequence[str] | None = None,
    contexts: Sequence[MessageContext | None] | None = None,
    *,
    first_row: int = 0,
) -> list[Finding]:
    """Findings for the hits whose rule is in the plan and accepts them (see findings_from_columns)."""
    return findings_from_columns(plan, batch, hit_columns(hits), ids, contexts, first_row=first_row)


@dataclass(frozen=True, slots=True)
class _Ordered:
    """The findings of a batch as columns, in output order (one row per finding)."""

    rows: list[int]
    kids: list[int]  # index into key_list / refs
    wids: list[int]  # index into whys
    scores: list[float]
    starts: list[int]  # in characters of the ORIGINAL message
    ends: list[int]
    key_list: list[tuple[str, str]]  # (detector, label)
    refs: list[RuleRef | None]
    whys: list[str]


def _ordered(
    plan: ScanPlan, batch: NormalizedBatch, parts: Iterable[HitColumns],
    contexts: Sequence[MessageContext | None] | None,
) -> _Ordered | None:
    """The hits whose rule is in the plan and accepts them (score, scope), deduplicated and
    sorted as `findings_from_columns` documents; None when there are none."""
    # one table of (detector, label) pairs and one of the `why`s in use over the batch
    keys: dict[tuple[str, str], int] = {}
    whys: dict[str, int] = {}
    cols: list[tuple[npt.NDArray[np.int64], ...]] = []
    score_cols: list[npt.NDArray[np.float64]] = []
    for part in parts:
        if not len(part):
            continue
        key_of = np.array([keys.setdefault((part.detector, lb), len(keys)) for lb in part.labels], dtype=_I64)
        used, inverse = np.unique(part.why_ids, return_inverse=True)  # a lexicon has 20k whys, a batch uses few
        why_of = np.array([whys.setdefault(part.whys[w], len(whys)) for w in used.tolist()], dtype=_I64)
        cols.append((part.rows, part.starts, part.ends, key_of[part.label_ids], why_of[inverse.reshape(-1)]))
        score_cols.append(part.scores)
    if not cols:
        return None
    rows, starts, ends, kids, wids = (np.concatenate([c[i] for c in cols]) for i in range(5))
    scores = np.concatenate(score_cols)

    key_list = list(keys)
    refs: list[RuleRef | None] = [plan.rules.get(label) for _, label in key_list]
    live = np.array([ref is not None for ref in refs], dtype=np.bool_)
    min_score = np.array([ref.min_score if ref is not None else 0.0 for ref in refs], dtype=np.float64)
    ok = live[kids] & (ends > starts) & ~(scores < min_score[kids])
    if contexts is not None:
        scoped = np.array([ref is not None and ref.scope is not None for ref in refs], dtype=np.bool_)
        for i in np.flatnonzero(ok & scoped[kids]).tolist():
            scope = cast(RuleRef, refs[kids[i]]).scope
            ok[i] = scope is None or scope.applies(contexts[rows[i]])
    keep = np.flatnonzero(ok)
    if not len(keep):
        return None
    rows, starts, ends, kids, wids, scores = rows[keep], starts[keep], ends[keep], kids[keep], wids[keep], scores[keep]
    o_starts, o_ends = batch.spans(rows, starts, ends)

    # the label (not the detector) names the trigger: dedupe and sort by its string order
    label_rank_of: dict[str, int] = {lb: r for r, lb in enumerate(sorted({lb for _, lb in key_list}))}
    rule_rank_of: dict[str, int] = {
        rid: r for r, rid in enumerate(sorted({ref.rule_id for ref in refs if ref is not None}))}
    label_rank = np.array([label_rank_of[lb] for _, lb in key_list], dtype=_I64)[kids]
    rule_rank = np.array([rule_rank_of[ref.rule_id] if ref is not None else -1 for ref in refs],
                         dtype=_I64)[kids]
    arrival = np.arange(len(rows), dtype=_I64)
    # one finding per (message, label, span): the first to arrive (lexsort is stable)
    by_key = np.lexsort((arrival, o_ends, o_starts, label_rank, rows))
    r, lr, s, e = rows[by_key], label_rank[by_key], o_starts[by_key], o_ends[by_key]
    first = np.ones(len(by_key), dtype=np.bool_)
    first[1:] = (r[1:] != r[:-1]) | (lr[1:] != lr[:-1]) | (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    unique = by_key[first]
    # (message, start, rule, label, end, arrival): the order is the contract
    order = unique[np.lexsort((unique, o_ends[unique], label_rank[unique], rule_rank[unique],
                               o_starts[unique], rows[unique]))]
    return _Ordered(rows[order].tolist(), kids[order].tolist(), wids[order].tolist(), scores[order].tolist(),
                    o_starts[order].tolist(), o_ends[order].tolist(), key_list, refs, list(whys))


def findings_from_columns(
    plan: ScanPlan,
    batch: NormalizedBatch,
    parts: Iterable[HitColumns],
    ids: Sequence[str] | None = None,
    contexts: Sequence[MessageContext | None] | None = None,
    *,
    first_row: int = 0,
) -> list[Finding]:
    """Findings for the hits whose rule is in the plan and accepts them (score, scope).

    `parts` are the detectors' hits in arrival order. `subject_id` is `ids[row]`, or without
    ids the running number `first_row + row` as text.

    Sorted by (message, start, rule id, label, end, arrival); one finding per (message,
    label, span), the first to arrive. Reasons are rendered once per distinct fact set.
    """
    found = _ordered(plan, batch, parts, contexts)
    if found is None:
        return []
    refs, key_list, why_list = found.refs, found.key_list, found.whys
    # a model's findings record the model version that produced them
    versions = {str(getattr(d, "name", "")): getattr(d, "version", None) for d in plan.detectors}
    frames: list[ReasonFrame | None] = [None] * len(key_list)
    reasons: dict[tuple[int, int, str, float], tuple[dict[str, Any], str, str]] = {}
    originals = batch.originals
    out: list[Finding] = []
    append = out.append
    for row, kid, wid, score, start, end in zip(
        found.rows, found.kids, found.wids, found.scores, found.starts, found.ends, strict=True,
    ):
        ref = cast(RuleRef, refs[kid])  # only live labels got this far
        evidence = originals[row][start:end]
        rendered = reasons.get((kid, wid, evidence, score))
        if rendered is None:
            why = why_list[wid]
            frame = frames[kid]
            if frame is None:
                frame = frames[kid] = text_reason_frame(ref.rule_id, ref.text, ref.category, ref.detector)
            facts = {
                "rule_id": ref.rule_id, "pack": ref.pack, "rule_text": ref.text, "category": ref.category,
                "detector": ref.detector, "label": ref.label, "evidence": evidence,
                "score": round(score, 4), "why": why,
            }
            version = versions.get(ref.detector)
            if version is not None:
                facts["model_version"] = str(version)
            rendered = reasons[(kid, wid, evidence, score)] = (facts, *frame.render(evidence, why))
        facts, reason, reason_en = rendered
        ctx = contexts[row] if contexts is not None else None
        append(_new_finding(
            ref.rule_id, ref.category, key_list[kid][0], ids[row] if ids is not None else str(first_row + row),
            ref.severity, reason, reason_en, ctx.sender_id if ctx is not None else None, score,
            key_list[kid][1], start, end, evidence, facts, ref.pack,
        ))
    return out


def screen_records(
    plan: ScanPlan, batch: NormalizedBatch, parts: Iterable[HitColumns], ids: Sequence[str],
    contexts: Sequence[MessageContext | None] | None = None,
) -> list[dict[str, Any]]:
    """The findings `findings_from_columns` makes, as `redline screen`'s output records
    (message_id, rule_id, category, detector, label, start, end, evidence, severity, reason;
    DESIGN.md) straight from the columns: no Finding, facts or English reason is built for a
    record that never holds them."""
    found = _ordered(plan, batch, parts, contexts)
    if found is None:
        return []
    refs, key_list, why_list = found.refs, found.key_list, found.whys
    frames: list[ReasonFrame | None] = [None] * len(key_list)
    reasons: dict[tuple[int, int, str], str] = {}
    originals = batch.originals
    out: list[dict[str, Any]] = []
    append = out.append
    for row, kid, wid, start, end in zip(found.rows, found.kids, found.wids, found.starts, found.ends, strict=True):
        ref = cast(RuleRef, refs[kid])  # only live labels got this far
        evidence = originals[row][start:end]
        reason = reasons.get((kid, wid, evidence))
        if reason is None:
            frame = frames[kid]
            if frame is None:
                frame = frames[kid] = text_reason_frame(ref.rule_id, ref.text, ref.category, ref.detector)
            reason = reasons[(kid, wid, evidence)] = frame.render_zh(evidence, why_list[wid])
        detector, label = key_list[kid]
        append({
            "message_id": ids[row], "rule_id": ref.rule_id, "category": ref.category, "detector": detector,
            "label": label, "start": start, "end": end, "evidence": evidence, "severity": ref.severity,
            "reason": reason,
        })
    return out
