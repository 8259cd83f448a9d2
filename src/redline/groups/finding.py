"""Group findings: one constructor that turns a check's structured facts into a `Finding`.

Checks pass facts (ids, names, dates, counts) and a reason key with the facts its sentences
need (`redline.reasons` renders them); this module fixes the shared shape: `kind`,
`facts["group_id"]`, `facts["message_ids"]`, the trigger's rule id and label (the scan
engine maps the label back to the rule's category and severity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from redline.contracts import Finding, Trigger
from redline.reasons import render
from redline.vocab import Severity, Subject

# Severity of each kind when no rule sets one (`redline groups audit --defaults`); under a
# pack, a finding without its own severity takes its rule's (scan.records.complete).
DEFAULT_SEVERITY: Final[Mapping[str, str]] = {
    "unregistered_group": "medium", "no_owner": "medium", "display_name": "low",
    "stale_member": "low", "external_member": "high", "classified_content": "high",
    "daily_report_missed": "low", "flattery": "low", "off_topic": "low", "faction": "high",
}

C = TypeVar("C", bound=BaseModel)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def group_finding(
    trigger: Trigger,
    *,
    detector: str,
    kind: str,
    category: str,
    severity: str | None,
    group_id: str | None,
    reason_key: str,
    reason_facts: Mapping[str, Any],
    person_id: str | None = None,
    message_ids: Iterable[str] = (),
    payment_ids: Iterable[str] = (),
    subject: Subject = Subject.GROUP,
    subject_id: str | None = None,
    facts: Mapping[str, Any] | None = None,
    evidence: str = "",
    score: float = 1.0,
) -> Finding:
    """A finding about a group (or a member of it, or a message in it).

    `severity` None leaves it to the rule behind the trigger (filled in by the scan engine).
    """
    reason, reason_en = render(reason_key, reason_facts)
    msg_ids = tuple(dict.fromkeys(message_ids))  # ordered, de-duplicated
    pay_ids = tuple(dict.fromkeys(payment_ids))
    all_facts: dict[str, Any] = {
        "group_id": group_id,
        "message_ids": list(msg_ids),
        "payment_ids": list(pay_ids),
        "rule_id": trigger.rule_id,
        **_plain(dict(facts or {})),
    }
    return Finding(
        rule_id=trigger.rule_id,
        category=category,
        detector=detector,
        subject=subject.value,
        subject_id=subject_id or group_id or person_id or "",
        severity=severity or "",
        reason=reason,
        reason_en=reason_en,
        person_id=person_id,
        score=score,
        label=trigger.label,
        kind=kind,
        evidence=evidence,
        related_ids=msg_ids + pay_ids,
        facts=all_facts,
    )


def merge_same_subject(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per (rule, trigger, subject): a person's findings in several groups merge.

    The store keys a finding by rule, subject and trigger, so a member who shows the old
    unit in four groups is ONE lead about that person, naming the four groups (sentences
    joined, ids united, the worst severity kept, per-group facts under `facts["items"]`).
    """
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.rule_id, f.label, f.subject, f.subject_id), []).append(f)
    out = []
    for same in groups.values():
        if len(same) == 1:
            out.append(same[0])
            continue
        first = same[0]
        msg_ids = tuple(dict.fromkeys(i for f in same for i in f.facts.get("message_ids", [])))
        pay_ids = tuple(dict.fromkeys(i for f in same for i in f.facts.get("payment_ids", [])))
        facts = {**first.facts, "group_ids": [f.facts.get("group_id") for f in same],
                 "message_ids": list(msg_ids), "payment_ids": list(pay_ids),
                 "items": [dict(f.facts) for f in same]}
        out.append(Finding(
            rule_id=first.rule_id, category=first.category, detector=first.detector,
            subject=first.subject, subject_id=first.subject_id,
            severity=max((f.severity for f in same), key=Severity.rank_of),
            reason="".join(f.reason for f in same), reason_en=" ".join(f.reason_en for f in same),
            person_id=first.person_id, score=max(f.score for f in same), label=first.label,
            kind=first.kind, evidence=first.evidence, related_ids=msg_ids + pay_ids, facts=facts,
        ))
    return out
