"""A payment lead: the structured facts of one alert, and its rendering into a Finding.

Typologies produce `Lead`s (who, from whom, which payments, how much, when, score parts, and
a reason key with the facts its sentences need); `to_finding` has `redline.reasons` render
the reviewer's sentences, Chinese first, English second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from redline.contracts import Finding, Trigger
from redline.payments.festivals import from_day_number
from redline.reasons import render
from redline.vocab import Severity, Subject


@dataclass(frozen=True, slots=True)
class Lead:
    """One alert before rendering. Money in fen; days are Asia/Shanghai day numbers."""

    typology: str  # "managed_party_gifts"
    category: str  # vocab.Category value
    person_id: str  # the official the lead is about
    counterparty_ids: tuple[str, ...]
    payment_ids: tuple[str, ...]
    total_fen: int
    count: int
    first_day: int
    last_day: int
    score: float
    severity: Severity
    reason_key: str  # its template in `redline.reasons` ("payments.large_sums")
    reason_facts: Mapping[str, Any]  # what the sentences say: names, amounts, dates, flags
    facts: dict[str, Any] = field(default_factory=dict)
    # The payment that names the lead (findings are keyed and grouped by it); the first
    # payment unless several leads share their payments (a gambling session's officials).
    subject_payment: str = ""

    def to_finding(self, trigger: Trigger, detector: str) -> Finding:
        """The Finding for one rule trigger; subject is the lead's first payment (stable)."""
        facts = {
            "typology": self.typology,
            "counterparty_ids": list(self.counterparty_ids),
            "total_fen": self.total_fen,
            "total_yuan": round(self.total_fen / 100, 2),
            "count": self.count,
            "first_date": from_day_number(self.first_day).isoformat(),
            "last_date": from_day_number(self.last_day).isoformat(),
            **self.facts,
        }
        reason, reason_en = render(self.reason_key, self.reason_facts)
        return Finding(
            rule_id=trigger.rule_id,
            category=self.category,
            detector=detector,
            subject=Subject.PAYMENT,
            subject_id=self.subject_payment or self.payment_ids[0],
            severity=self.severity,
            reason=reason,
            reason_en=reason_en,
            person_id=self.person_id,
            score=round(self.score, 3),
            label=trigger.label,
            kind=self.typology,
            related_ids=self.payment_ids,
            facts=facts,
        )


def iso(day: int) -> str:
    """An Asia/Shanghai day number as an ISO date, as reasons quote it."""
    return from_day_number(day).isoformat()


def gift_facts(names: Mapping[str, str], row: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of the shared gift sentence (`reasons.payments.GIFT`) from a typology's row.

    `row` carries person_id, payer, rel, payer_official, payer_external, kinds, n,
    total_fen, first_day, last_day.
    """
    return {
        "person": names.get(row["person_id"], row["person_id"]), "payer": names.get(row["payer"], row["payer"]),
        "relation": row.get("rel"), "payer_official": bool(row.get("payer_official")),
        "payer_external": bool(row.get("payer_external")), "kinds": list(row["kinds"]), "count": row["n"],
        "total_fen": row["total_fen"], "first_date": iso(row["first_day"]), "last_date": iso(row["last_day"]),
    }


def clamp(score: float) -> float:
    """Scores live in [0, 1]."""
    return max(0.0, min(1.0, score))


def sorted_leads(leads: Iterable[Lead]) -> list[Lead]:
    """Highest score first, then person and first payment (deterministic output)."""
    return sorted(leads, key=lambda lead: (-lead.score, lead.person_id, lead.payment_ids[0]))
