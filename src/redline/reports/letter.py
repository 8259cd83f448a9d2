"""The 谈话函询 letter (函询通知书) drafted from a case with the organisation's template.

What the letter says comes from the case: its number, the person, each alert's matter (its
dates and its most severe finding's reason), every rule the findings cite with the rule's own
wording, the span of dates, the day it is drafted and the deadline of the written
explanation (15 working days, 工作日, as the 2019 rules for supervision and discipline
enforcement give). The person is named only if the user drafting the letter revealed them
with a reason in this very case (the reveal's audit entry names the case); otherwise the
letter carries the pseudonym, and every other name in it stays masked. It is a draft for
people to check and sign, never sent by Redline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Final

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.bundle.schema import CHINA
from redline.reports.docx_fill import Value, fill
from redline.reports.letter_template import DEFAULT_TEMPLATE
from redline.review.alerts import findings_of
from redline.review.cases import case_view
from redline.review.identity import Identity
from redline.review.pseudonyms import Masker
from redline.rules.load import shipped_pack_paths
from redline.store.tables.audit import AuditEntry
from redline.store.tables.messages import Message
from redline.store.tables.org import Person
from redline.store.tables.payments import Payment
from redline.store.tables.review import AlertItem
from redline.workdays import CalendarNotCoveredError, add_working_days

REPLY_WORKING_DAYS: Final = 15
# what each placeholder of a template becomes (a customised template may use any of them)
FIELDS: Final = {
    "case_number": "the case's number", "year": "the year the letter is drafted",
    "person": "the real name if revealed in this case by the drafter, else the pseudonym",
    "matters": "one line per alert: its dates and its reason (a list)",
    "rules": "one line per rule broken, quoting its wording (a list)",
    "period": "the first and last day of the evidence", "date": "the day the letter is drafted",
    "deadline": "when the written explanation is due", "owner": "the case's owner",
}


def cn_date(day: date) -> str:
    """2026年12月7日 (no leading zeros, as Chinese documents write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五 (items of a letter are numbered （一）（二）…)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def period(first: date, last: date) -> str:
    """One day, or a span that does not repeat what both ends share."""
    if first == last:
        return cn_date(first)
    if first.year == last.year:
        return f"{cn_date(first)}至{last.month}月{last.day}日"
    return f"{cn_date(first)}至{cn_date(last)}"


def deadline(today: date, days: int = REPLY_WORKING_DAYS) -> str:
    """The explanation is due `days` working days after receipt: the day, if the letter is
    handed over today and the official calendar covers it, and the rule itself in any case."""
    rule = f"收到本函之日起{days}个工作日内"
    try:
        return f"{rule}（今日送达的，为{cn_date(add_working_days(today, days))}前）"
    except CalendarNotCoveredError:
        return rule


@lru_cache(maxsize=1)
def rule_texts() -> dict[tuple[str, str], tuple[str, str]]:
    """(pack, rule id) → (the regulation's title, the rule's official wording), from the shipped packs."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for path in shipped_pack_paths():
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in doc.get("rules") or ():
            out[(str(doc.get("pack")), str(rule.get("id")))] = (str(doc.get("title", "")), str(rule.get("text", "")).strip())
    return out


def revealed_in_case(engine: Engine, username: str, person_id: str, case_id: int) -> Identity | None:
    """The person, if `username` revealed them with a reason while working this case."""
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "identity.reveal", AuditEntry.actor == username,
            AuditEntry.target == f"person:{person_id}"))
        if not any((e.detail or {}).get("case_id") == case_id and (e.detail or {}).get("reason") for e in entries):
            return None
        person = session.get(Person, person_id)
        return Identity(person.person_id, person.name, person.unit, person.post) if person else None


@dataclass(frozen=True, slots=True)
class Letter:
    """The filled letter and what the audit entry says of it."""

    body: bytes
    named: bool  # the real name is in it
    template: str  # "default" or the configured path
    n_rules: int
    n_matters: int


def values(engine: Engine, case_id: int, masker: Masker, who: Identity | None, today: date) -> dict[str, Value]:
    """The placeholder values of a case's letter."""
    texts = rule_texts()
    with Session(engine) as session:
        view = case_view(session, case_id)
        case = view.case

        def shown(text: str) -> str:
            masked = masker.mask(text)
            # the subject by name where the drafter has revealed them; everyone else stays masked
            return masked.replace(masker.pseudonym(who.person_id), who.name) if who else masked

        matters, rules, days = [], [], []
        seen: set[tuple[str, str]] = set()
        for alert in view.alerts:
            findings = findings_of(session, alert)
            # the matter's days are its evidence's: the messages and payments the alert holds
            stamps = [t for t in _evidence_times(session, alert.id) if t] or [f.time for f in findings if f.time] or (
                [alert.time] if alert.time else [])
            times = [_aware(t).astimezone(CHINA).date() for t in stamps]
            days += times
            when = period(min(times), max(times)) if times else "日期不详"
            if findings:
                matters.append(f"{when}，{shown(findings[0].reason).rstrip('。')}。")
            for f in findings:
                if (f.pack, f.rule_id) in seen:
                    continue
                seen.add((f.pack, f.rule_id))
                title, wording = texts.get((f.pack, f.rule_id), ("", ""))
                rules.append(f"《{title}》{f.rule_id}：“{wording}”" if wording else f.rule_id)
    matters = [f"（{cn_number(i)}）{m}" for i, m in enumerate(matters, start=1)]
    rules = [f"（{cn_number(i)}）{r}" for i, r in enumerate(rules, start=1)]
    return {
        "case_number": str(case.id), "year": str(today.year),
        "person": who.name if who else masker.pseudonym(case.person_id) or "＿＿＿＿",
        "matters": matters, "rules": rules,
        "period": period(min(days), max(days)) if days else "日期不详",
        "date": cn_date(today), "deadline": deadline(today), "owner": case.owner or "＿＿＿＿",
    }


def _evidence_times(session: Session, alert_id: int) -> list[datetime | None]:
    items = select(AlertItem.item_id).where(AlertItem.alert_id == alert_id)
    return [*session.scalars(select(Message.time).where(Message.id.in_(items.where(AlertItem.kind == "message")))),
            *session.scalars(select(Payment.time).where(Payment.payment_id.in_(items.where(AlertItem.kind == "payment"))))]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def draft(engine: Engine, case_id: int, masker: Masker, who: Identity | None,
          template: Path | None = None, today: date | None = None) -> Letter:
    """The letter of a case from `template` (the shipped default when None)."""
    today = today or datetime.now(CHINA).date()
    filled: Mapping[str, Value] = values(engine, case_id, masker, who, today)
    body = fill(template or DEFAULT_TEMPLATE, filled)
    return Letter(body, who is not None, str(template) if template else "default",
                  len(filled["rules"]), len(filled["matters"]))
