"""A payment lead: the structured facts of one alert, and its rendering into a Finding.

Typologies produce `Lead`s (who, from whom, which payments, how much, when, score parts);
this module renders the reviewer's sentence from those facts, Chinese first, English second
("张某 在 2016-03-01 至 2016-08-10 期间收到 李某（管理服务对象）所发红包 21 个，共计 4,200.00 元").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from redline.contracts import Finding, Trigger
from redline.payments.festivals import from_day_number
from redline.vocab import Severity, Subject

RELATION_ZH: Final = {
    "managed": "管理服务对象",
    "supplier": "供应商",
    "subordinate": "下属",
    "superior": "上级",
    "family": "亲属",
    "colleague": "同事",
}
RELATION_EN: Final = {
    "managed": "managed party",
    "supplier": "supplier",
    "subordinate": "subordinate",
    "superior": "superior",
    "family": "family member",
    "colleague": "colleague",
}
_KIND_ZH: Final = {"red_packet": ("红包", "个"), "transfer": ("转账", "笔"), "gift_card": ("电子礼券", "张"), "bank": ("银行转账", "笔")}
_KIND_EN: Final = {"red_packet": "red packets", "transfer": "transfers", "gift_card": "gift cards", "bank": "bank transfers"}


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
    reason: str
    reason_en: str
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
        return Finding(
            rule_id=trigger.rule_id,
            category=self.category,
            detector=detector,
            subject=Subject.PAYMENT,
            subject_id=self.subject_payment or self.payment_ids[0],
            severity=self.severity,
            reason=self.reason,
            reason_en=self.reason_en,
            person_id=self.person_id,
            score=round(self.score, 3),
            label=trigger.label,
            kind=self.typology,
            related_ids=self.payment_ids,
            facts=facts,
        )


def yuan(fen: int) -> str:
    """Fen as yuan with thousands separators and two decimals: 420000 → '4,200.00'."""
    return f"{fen / 100:,.2f}"


def period_zh(first: int, last: int) -> str:
    """'在 2016-03-01 至 2016-08-10 期间' or '于 2016-03-01 ' (followed by a verb)."""
    a, b = from_day_number(first).isoformat(), from_day_number(last).isoformat()
    return f"于 {a} " if a == b else f"在 {a} 至 {b} 期间"


def period_en(first: int, last: int) -> str:
    """'between 2016-03-01 and 2016-08-10' or 'on 2016-03-01'."""
    a, b = from_day_number(first).isoformat(), from_day_number(last).isoformat()
    return f"on {a}" if a == b else f"between {a} and {b}"


def kinds_zh(kinds: Sequence[str], count: int) -> str:
    """'红包 21 个' for one kind; '款项 3 笔' when kinds are mixed."""
    if len(set(kinds)) == 1 and kinds[0] in _KIND_ZH:
        word, unit = _KIND_ZH[kinds[0]]
        return f"{word} {count} {unit}"
    return f"款项 {count} 笔"


def kinds_en(kinds: Sequence[str], count: int) -> str:
    """'21 red packets' for one kind; '3 payments' when kinds are mixed."""
    if len(set(kinds)) == 1 and kinds[0] in _KIND_EN:
        word = _KIND_EN[kinds[0]]
        return f"{count} {word if count > 1 else word.rstrip('s')}"
    return f"{count} payment{'s' if count > 1 else ''}"


def role_zh(relation: str | None, official: bool, external: bool) -> str:
    """How a payer stands to the official, for the sentence: relation first, else status."""
    if relation:
        return RELATION_ZH.get(relation, relation)
    if external:
        return "外部人员，未登记关系"
    return "公职人员，未登记关系" if official else "非公职人员，未登记关系"


def role_en(relation: str | None, official: bool, external: bool) -> str:
    """English twin of `role_zh`."""
    if relation:
        return RELATION_EN.get(relation, relation)
    if external:
        return "outside party, no relation listed"
    return "official, no relation listed" if official else "non-official, no relation listed"


def gift_sentence(
    names: dict[str, str], row: dict[str, Any], why_zh: str, why_en: str
) -> tuple[str, str]:
    """The standard 'who received how much from whom, when' sentence plus why it matters.

    `row` carries person_id, payer, rel, payer_official, payer_external, kinds, n,
    total_fen, first_day, last_day.
    """
    p, x = names.get(row["person_id"], row["person_id"]), names.get(row["payer"], row["payer"])
    rz = role_zh(row.get("rel"), bool(row.get("payer_official")), bool(row.get("payer_external")))
    re_ = role_en(row.get("rel"), bool(row.get("payer_official")), bool(row.get("payer_external")))
    zh = (
        f"{p} {period_zh(row['first_day'], row['last_day'])}收到 {x}（{rz}）所发"
        f"{kinds_zh(row['kinds'], row['n'])}，共计 {yuan(row['total_fen'])} 元。{why_zh}"
    )
    en = (
        f"{p} received {kinds_en(row['kinds'], row['n'])} totalling {yuan(row['total_fen'])} yuan "
        f"from {x} ({re_}) {period_en(row['first_day'], row['last_day'])}. {why_en}"
    )
    return zh, en


def clamp(score: float) -> float:
    """Scores live in [0, 1]."""
    return max(0.0, min(1.0, score))


def sorted_leads(leads: Iterable[Lead]) -> list[Lead]:
    """Highest score first, then person and first payment (deterministic output)."""
    return sorted(leads, key=lambda lead: (-lead.score, lead.person_id, lead.payment_ids[0]))
