"""Precision per rule and per detector, honestly: from reviewers' decisions, with intervals.

An alert (one incident) counts once for every rule and detector among its findings. Escalated =
confirmed, dismissed = dismissed, anything else is open and not counted in precision. The
interval is Wilson's (`quality.wilson`): three confirmations out of four is not "75 %".
Rules are listed noisiest first: the most alerts a reviewer is expected to dismiss
(alerts × (1 − precision)), so a low-precision rule with many alerts tops the list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Engine, func, select

from redline.bundle.schema import UTC_OFFSET
from redline.review.quality import precision, wilson
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert, AlertFinding, Decision

TOP_REASONS: Final = 3


@dataclass(slots=True)
class Tally:
    """Alerts of one rule or detector by reviewer decision."""

    confirmed: int = 0
    dismissed: int = 0
    open: int = 0
    weeks: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def alerts(self) -> int:
        return self.confirmed + self.dismissed + self.open

    def add(self, status: str, week: str | None) -> None:
        kind = "confirmed" if status == "escalated" else "dismissed" if status == "dismissed" else "open"
        setattr(self, kind, getattr(self, kind) + 1)
        if week is not None:
            self.weeks[week][kind] += 1

    def as_dict(self, messages: int) -> dict[str, Any]:
        p = precision(self.confirmed, self.dismissed)
        interval = wilson(self.confirmed, self.confirmed + self.dismissed)
        return {
            "alerts": self.alerts, "confirmed": self.confirmed, "dismissed": self.dismissed, "open": self.open,
            "precision": None if p is None else round(p, 4),
            "precision_low": None if interval is None else round(interval[0], 4),
            "precision_high": None if interval is None else round(interval[1], 4),
            "per_1000_messages": round(1000 * self.alerts / messages, 3) if messages else None,
            "weeks": [{"week": w, **{k: c[k] for k in ("confirmed", "dismissed", "open")}}
                      for w, c in sorted(self.weeks.items())],
            "top_dismissal_reasons": [{"reason": r, "count": n} for r, n in  # ties by text: a stable list
                                      sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]],
        }


def _week(when: datetime | None) -> str | None:
    if when is None:
        return None
    local = (when.replace(tzinfo=UTC) if when.tzinfo is None else when) + UTC_OFFSET  # weeks are calendar weeks in China Standard Time
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def noise(row: dict[str, Any]) -> float:
    """Alerts a reviewer is expected to dismiss; a rule nobody has decided on yet counts at
    even odds, so a busy undecided rule ranks above a quiet decided one."""
    p: float | None = row["precision"]
    alerts: int = row["alerts"]
    return alerts * (1.0 - (p if p is not None else 0.5))


def precision_stats(engine: Engine) -> dict[str, Any]:
    """`{"messages", "rules": [...], "detectors": [...]}`, rules noisiest first."""
    with engine.connect() as conn:
        messages = int(conn.execute(select(func.count()).select_from(Message)).scalar_one())
        alerts = {aid: (st, t or c) for aid, st, t, c in conn.execute(
            select(Alert.id, Alert.status, Alert.time, Alert.created_at))}
        # the latest dismissal reason of each alert
        reasons: dict[int, str] = {}
        for aid, reason in conn.execute(select(Decision.alert_id, Decision.reason)
                                        .where(Decision.action == "dismiss").order_by(Decision.id)):
            if aid is not None:
                reasons[aid] = (reason or "").strip()
        per_rule: dict[str, set[int]] = defaultdict(set)
        per_detector: dict[str, set[int]] = defaultdict(set)
        pack_of: dict[str, str] = {}
        # a finding not in an alert (not yet built, or a returned red packet) no reviewer has seen
        for rid, pack, det, aid in conn.execute(
                select(FindingRow.rule_id, FindingRow.pack, FindingRow.detector, AlertFinding.alert_id)
                .join(AlertFinding, AlertFinding.finding_id == FindingRow.id)):
            per_rule[rid].add(aid)
            per_detector[det].add(aid)
            pack_of.setdefault(rid, pack)

    def tally(ids: set[int]) -> Tally:
        t = Tally()
        for aid in ids:
            alert = alerts.get(aid)
            if alert is None:
                continue
            status, when = alert
            t.add(status, _week(when))
            if status == "dismissed" and reasons.get(aid):
                t.reasons[reasons[aid]] += 1
        return t

    rules = [{"rule_id": rid, "pack": pack_of.get(rid, ""), **tally(subs).as_dict(messages)}
             for rid, subs in per_rule.items()]
    rules = [r for r in rules if r["alerts"]]
    rules.sort(key=lambda r: (-noise(r), r["rule_id"]))
    detectors = [{"detector": det, **tally(subs).as_dict(messages)} for det, subs in sorted(per_detector.items())]
    return {"messages": messages, "rules": rules, "detectors": [d for d in detectors if d["alerts"]]}
