"""What the alert page shows of one incident: each rule once, every piece of evidence once, the
alerts it is related to, and the decisions taken on it — masked like everything in `present`.

Several packs cite the same regulation for the same message (a pasted notice breaks TJ-07,
ZJ-02, WH-02 and XY-06): the reviewer reads the rule list once and each message once, with the
rules that flag it beside it, not one row per (pack, rule, message).
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.review.alerts import evidence_ids, related_alerts
from redline.review.incidents import SEVERITY_RANK
from redline.review.pseudonyms import Masker
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert, Decision
from redline.web.console.labels import packs_of_rule
from redline.web.console.present import alert_row, message_dict, payment_dict, when

SHOWN: Final = 500  # evidence rows on the page; the API lists every id, the case shows them all


def rules_folded(findings: list[FindingRow], masker: Masker, lang: str) -> list[dict[str, Any]]:
    """One row per rule: the packs citing it, how many hits, its most severe reason."""
    rules: dict[str, dict[str, Any]] = {}
    for f in findings:  # most severe first (findings_of's order): the first reason is the one shown
        row = rules.setdefault(f.rule_id, {
            "rule_id": f.rule_id, "packs": [], "severity": f.severity, "hits": 0,
            "reason": masker.mask((f.reason_en or f.reason) if lang == "en" else f.reason),
            "category": f.category, "_subjects": set(),
        })
        if f.pack and f.pack not in row["packs"]:
            row["packs"].append(f.pack)
        row["_subjects"].add((f.subject, f.subject_id))
        if SEVERITY_RANK.get(f.severity, 0) > SEVERITY_RANK.get(row["severity"], 0):
            row["severity"] = f.severity
    out = []
    for row in rules.values():
        row["hits"] = len(row.pop("_subjects"))
        row["packs"] = row["packs"] or packs_of_rule(row["rule_id"])
        out.append(row)
    return sorted(out, key=lambda r: (-SEVERITY_RANK.get(r["severity"], 0), r["rule_id"]))


def _spans(findings: list[FindingRow]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        if f.subject == "message" and f.start is not None and f.end is not None:
            out.setdefault(f.subject_id, []).append((f.start, f.end))
    return out


def _rules_by_item(findings: list[FindingRow]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        keys = [(f.subject, f.subject_id)]
        if f.subject == "payment":
            keys += [("payment", str(r)) for r in f.related_ids or ()]
        keys += [("payment", str(p)) for p in (f.facts or {}).get("payment_ids") or ()]
        keys += [("message", str(m)) for m in (f.facts or {}).get("message_ids") or ()]
        for key in keys:
            if f.rule_id not in out.setdefault(key, []):
                out[key].append(f.rule_id)
    return out


def evidence(session: Session, alert: Alert, findings: list[FindingRow], masker: Masker) -> dict[str, Any]:
    """Every message and payment the incident is about, each once, oldest first, with its rules."""
    ids = evidence_ids(session, alert.id)
    spans, rules = _spans(findings), _rules_by_item(findings)
    messages = list(session.scalars(select(Message).where(Message.id.in_(ids["message_ids"][:SHOWN]))
                                    .order_by(Message.time, Message.id)))
    payments = list(session.scalars(select(Payment).where(Payment.payment_id.in_(ids["payment_ids"][:SHOWN]))
                                    .order_by(Payment.time, Payment.payment_id)))
    return {
        "messages": [{**message_dict(m, masker, spans.get(m.id, ())), "rules": rules.get(("message", m.id), [])}
                     for m in messages],
        "payments": [{**payment_dict(p, masker), "rules": rules.get(("payment", p.payment_id), [])} for p in payments],
        "n_messages": len(ids["message_ids"]), "n_payments": len(ids["payment_ids"]),
        "first": when(min([m.time for m in messages] + [p.time for p in payments], default=None)),
        "last": when(max([m.time for m in messages] + [p.time for p in payments], default=None)),
        **{k: [masker.mask(v) for v in ids[k]] for k in ("message_ids", "payment_ids", "group_ids")},
    }


def related(session: Session, alert: Alert, masker: Masker) -> list[dict[str, Any]]:
    return [alert_row(other, masker) for other in related_alerts(session, alert.id)]


def history(session: Session, alert_id: int, masker: Masker) -> list[dict[str, Any]]:
    """Who did what to the alert, when and why, oldest first."""
    rows = session.scalars(select(Decision).where(Decision.alert_id == alert_id).order_by(Decision.id))
    return [{"time": when(d.created_at), "actor": d.actor, "action": d.action, "value": masker.mask(d.value),
             "reason": masker.mask(d.reason), "case_id": d.case_id} for d in rows]
