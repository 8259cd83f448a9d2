"""Reach: a finding on a public post that many people reposted is more urgent.

A rule's `urgent_reposts` (pack data, overridable) names the repost count from which its
findings on a Weibo or 朋友圈 post go one severity level up; the reason says why. Only the
batch's public posts with such findings are looked up, once per batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine, select

from redline.contracts import Finding
from redline.reasons.render import render
from redline.rules.plan import ScanPlan
from redline.scan.context import PUBLIC_PREFIXES
from redline.store.tables.messages import Message
from redline.vocab import Severity

_ORDER = sorted(Severity, key=lambda s: s.rank)


def reposts_of(extra: dict[str, Any] | None) -> int:
    """The repost count an importer recorded (`reposts`, an int or its text); 0 when none."""
    try:
        return int((extra or {}).get("reposts") or 0)
    except (TypeError, ValueError):
        return 0


def escalate_by_reach(engine: Engine, plan: ScanPlan, conversations: dict[str, str],
                      findings: Sequence[Finding]) -> list[Finding]:
    """`findings` with those on widely reposted public posts one severity level up."""
    thresholds = {ref.rule_id: ref.urgent_reposts for ref in plan.rules.values() if ref.urgent_reposts}
    wanted = {f.subject_id for f in findings
              if f.rule_id in thresholds and conversations.get(f.subject_id, "").startswith(PUBLIC_PREFIXES)}
    if not wanted:
        return list(findings)
    with engine.connect() as conn:
        reach = {mid: reposts_of(extra) for mid, extra in
                 conn.execute(select(Message.id, Message.extra).where(Message.id.in_(sorted(wanted))))}
    out = []
    for f in findings:
        threshold = thresholds.get(f.rule_id) if f.subject_id in wanted else None
        count = reach.get(f.subject_id, 0)
        if threshold is None or count < threshold or f.severity == _ORDER[-1].value:
            out.append(f)
            continue
        up = _ORDER[Severity(f.severity).rank].value  # ranks run 1..4: the next level's index is the rank
        zh, en = render("posts.urgent_reach", {"reposts": count, "urgent_reposts": threshold})
        out.append(replace(
            f, severity=up, reason=f"{f.reason}{zh}", reason_en=f"{f.reason_en} {en}" if f.reason_en else f.reason_en,
            facts={**f.facts, "reposts": count, "urgent_reposts": threshold, "severity_before": f.severity},
        ))
    return out

