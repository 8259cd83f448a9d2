"""What pages and the API show of alerts, findings, messages and payments — always masked.

Every value that could carry a name, an ID or a phone number goes through the masker here,
once, for HTML and JSON alike; so no route can forget it. Person ids never leave the server
either (they are often pinyin names): people appear as pseudonyms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import orjson
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from redline.bundle.schema import CHINA as CST  # China Standard Time, as users read it
from redline.review import risk_order
from redline.review.alerts import findings_of
from redline.review.pseudonyms import Masker, apply_names
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.org import Group, Membership, Person
from redline.store.tables.payments import Payment
from redline.store.tables.review import Alert
from redline.web.console.evidence import attachment_views

CONTEXT: Final = 20  # messages either side of the evidence


def when(value: datetime | None) -> str:
    """A time as users read it (+08:00); the store keeps UTC (SQLite drops the offset)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CST).strftime("%Y-%m-%d %H:%M")


def yuan(fen: int | None) -> str:
    """Integer fen as yuan with two decimals."""
    return "" if fen is None else f"{fen / 100:,.2f}"


def conversation_label(conversation: str, masker: Masker, group_names: dict[str, str]) -> str:
    """'dm:a|b' → the two pseudonyms; a group id → its (masked) name."""
    if conversation.startswith("dm:"):
        a, _, b = conversation[3:].partition("|")
        return f"{masker.pseudonym(a)} ↔ {masker.pseudonym(b)}"
    # a public account's id (a Weibo uid, a wxid) identifies its owner as surely as a name
    if conversation.startswith("weibo:"):
        return f"微博 {masker.pseudonym(conversation)}"
    if conversation.startswith("moments:"):
        return f"朋友圈 {masker.pseudonym(conversation.removeprefix('moments:'))}"
    return masker.mask(group_names.get(conversation, conversation))


def subject_label(alert: Alert | FindingRow, masker: Masker) -> str:
    return masker.pseudonym(alert.subject_id) if alert.subject == "person" else masker.mask(alert.subject_id)


def alert_row(alert: Alert, masker: Masker, reason: str = "") -> dict[str, Any]:
    """One queue row."""
    return {
        "id": alert.id, "subject": alert.subject, "subject_id": subject_label(alert, masker),
        "person": masker.pseudonym(alert.person_id), "rule_id": alert.rule_id, "pack": alert.pack,
        "category": alert.category, "severity": alert.severity, "unit": alert.unit,
        "time": when(alert.time), "status": alert.status, "assignee": alert.assignee or "",
        "tags": list(alert.tags or []), "n_findings": alert.n_findings, "case_id": alert.case_id,
        "reason": masker.mask(reason),
        # the person's current risk score (the timeline's), from the alert's key (review.risk_order)
        "risk": risk_order.score_at(alert.risk or 0.0, datetime.now(UTC)) if alert.person_id else None,
    }


def queue_rows(session: Session, alerts: Sequence[Alert], masker: Masker, lang: str) -> list[dict[str, Any]]:
    """Queue rows with the reason of each alert's most severe finding (one indexed query per subject kind)."""
    reasons: dict[tuple[str, str], tuple[str, str, int]] = {}
    by_subject: dict[str, list[str]] = {}
    for a in alerts:
        by_subject.setdefault(a.subject, []).append(a.subject_id)
    by_alert = {(a.subject, a.subject_id): a.rule_id for a in alerts}
    for subject_kind, subject_ids in by_subject.items():
        # subject = ? AND subject_id IN (…): a range probe on ix_findings_subject per alert, where a
        # row-value IN over both columns makes SQLite scan the whole findings table
        rows = session.execute(
            select(FindingRow.subject, FindingRow.subject_id, FindingRow.reason, FindingRow.reason_en,
                   FindingRow.rule_id).where(FindingRow.subject == subject_kind, FindingRow.subject_id.in_(subject_ids))
        )
        for subject, subject_id, reason, reason_en, rule_id in rows:
            key = (subject, subject_id)
            score = 1 if rule_id == by_alert.get(key) else 0
            if key not in reasons or score > reasons[key][2]:
                reasons[key] = (reason, reason_en, score)
    out = []
    for alert in alerts:
        zh, en, _ = reasons.get((alert.subject, alert.subject_id), ("", "", 0))
        out.append(alert_row(alert, masker, (en or zh) if lang == "en" else zh))
    return out


_MODEL_EVIDENCE = "evidence n-grams "


def _model_evidence(why: str) -> list[str]:
    """The n-grams a model's lead names in its `why` ("evidence n-grams “随礼”、“转我微信”")."""
    for part in why.split("; "):
        if part.startswith(_MODEL_EVIDENCE):
            return [g.strip("“”") for g in part[len(_MODEL_EVIDENCE):].split("、") if g.strip("“”")]
    return []


def finding_dict(f: FindingRow, masker: Masker) -> dict[str, Any]:
    facts = f.facts or {}
    return {
        # a model's finding: the version that raised it and the n-grams that drove its score
        "model_version": str(facts.get("model_version", "")),
        "model_evidence": [masker.mask(g) for g in _model_evidence(str(facts.get("why", "")))],
        "id": f.id, "rule_id": f.rule_id, "pack": f.pack, "category": f.category,
        "detector": f.detector, "label": f.label, "severity": f.severity, "score": round(f.score, 3),
        "reason": masker.mask(f.reason), "reason_en": masker.mask(f.reason_en),
        "evidence": masker.mask(f.evidence), "person": masker.pseudonym(f.person_id),
        "related": [masker.mask(str(r)) for r in (f.related_ids or [])][:50],
    }


def highlighted(text: str, spans: Iterable[tuple[int, int]], masker: Masker) -> list[dict[str, Any]]:
    """The text cut into parts, evidence parts flagged. The whole text is masked once (a
    number or a name cut by a highlight is still recognised whole) and a cut is widened to
    cover any name it would split, so the highlight stays where the evidence really is."""
    masked, names = masker.plan(text)
    cuts: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        for lo, hi, _ in names:
            if lo < end and start < hi:
                start, end = min(start, lo), max(end, hi)
        if cuts and start <= cuts[-1][1]:
            cuts[-1] = (min(start, cuts[-1][0]), max(end, cuts[-1][1]))
        else:
            cuts.append((start, end))
    parts, pos = [], 0
    for start, end in cuts:
        if start > pos:
            parts.append({"text": apply_names(masked, names, pos, start), "hit": False})
        parts.append({"text": apply_names(masked, names, start, end), "hit": True})
        pos = end
    if pos < len(text) or not parts:
        parts.append({"text": apply_names(masked, names, pos, len(text)), "hit": False})
    return parts


def message_dict(m: Message, masker: Masker, spans: Iterable[tuple[int, int]] = ()) -> dict[str, Any]:
    row = {
        "id": m.id, "time": when(m.time), "sender": masker.pseudonym(m.sender), "type": m.type,
        "parts": highlighted(m.text or "", spans, masker),
        "attachment": masker.mask((m.attachment or {}).get("name", "")) if m.attachment else "",
    }
    if m.type in ("post", "repost"):
        row["post"] = post_facts(m.extra or {}, masker)
    return row


def post_facts(extra: dict[str, Any], masker: Masker) -> dict[str, Any]:
    """A public post's reach (点赞/评论/转发) and, for a repost, the original it quotes — masked like
    any text, and shown as context: the quoted words are never the official's."""
    facts: dict[str, Any] = {k: _count(extra.get(k)) for k in ("likes", "comments", "reposts")}
    raw = extra.get("quote")
    try:
        quote = orjson.loads(raw) if isinstance(raw, str) else (raw if isinstance(raw, dict) else None)
    except orjson.JSONDecodeError:
        quote = None
    if isinstance(quote, dict):
        facts["quote"] = {
            "author": masker.pseudonym(f"weibo:{quote['author_uid']}") if quote.get("author_uid")
            else masker.mask(str(quote.get("author_name", ""))),
            "text": masker.mask(str(quote.get("text") or quote.get("title") or "")),
            "url": str(quote.get("url") or quote.get("article_url") or ""),
            "reposts": _count(quote.get("reposts")),
        }
    return facts


def _count(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def payment_dict(p: Payment, masker: Masker) -> dict[str, Any]:
    return {
        "id": p.payment_id, "time": when(p.time), "payer": masker.pseudonym(p.payer),
        "payee": masker.pseudonym(p.payee), "amount_yuan": yuan(p.amount_fen), "kind": p.kind,
        "channel": p.channel, "memo": masker.mask(p.memo), "status": p.status,
    }


def _message_context(session: Session, alert: Alert, findings: list[FindingRow], masker: Masker) -> dict[str, Any]:
    target = session.get(Message, alert.subject_id)
    if target is None:
        return {"messages": [], "conversation": ""}
    same = Message.conversation == target.conversation
    key = tuple_(Message.time, Message.id)
    before = list(session.scalars(select(Message).where(same, key < (target.time, target.id))
                                  .order_by(Message.time.desc(), Message.id.desc()).limit(CONTEXT)))
    after = list(session.scalars(select(Message).where(same, key > (target.time, target.id))
                                 .order_by(Message.time, Message.id).limit(CONTEXT)))
    spans = [(f.start, f.end) for f in findings if f.start is not None and f.end is not None]
    group_names = {g.group_id: g.name for g in session.scalars(select(Group).where(Group.group_id == target.conversation))}
    rows = [message_dict(m, masker) for m in reversed(before)]
    rows.append({**message_dict(target, masker, spans), "target": True})
    rows += [message_dict(m, masker) for m in after]
    return {"messages": rows, "conversation": conversation_label(target.conversation, masker, group_names)}


def _payment_context(session: Session, alert: Alert, masker: Masker) -> dict[str, Any]:
    target = session.get(Payment, alert.subject_id)
    if target is None:
        return {"payment": None, "related": []}
    pair = select(Payment).where(Payment.payer == target.payer, Payment.payee == target.payee,
                                 Payment.payment_id != target.payment_id)
    related = session.scalars(pair.order_by(Payment.time.desc()).limit(CONTEXT))
    return {"payment": payment_dict(target, masker), "related": [payment_dict(p, masker) for p in related]}


def _group_context(session: Session, alert: Alert, masker: Masker) -> dict[str, Any]:
    group = session.get(Group, alert.subject_id)
    if group is None:
        return {"group": None, "members": [], "messages": []}
    members = session.scalars(select(Membership).where(Membership.group_id == group.group_id).limit(200))
    recent = session.scalars(select(Message).where(Message.conversation == group.group_id)
                             .order_by(Message.time.desc()).limit(CONTEXT))
    return {
        "group": {"id": masker.mask(group.group_id), "name": masker.mask(group.name), "type": group.type,
                  "owner": masker.pseudonym(group.owner_id), "registered": group.registered,
                  "classification": group.classification, "daily_report": group.daily_report},
        "members": [{"person": masker.pseudonym(m.person_id), "display_name": masker.mask(display_shape(m.display_name)),
                     "joined": str(m.joined or ""), "left": str(m.left or "")} for m in members],
        "messages": [message_dict(m, masker) for m in reversed(list(recent))],
    }


def display_shape(display_name: str) -> str:
    """What a 备注 looks like without whose it is: the 单位 part kept, the rest one ＊ per
    character (县委办-＊＊), so a reviewer can judge whether it follows 单位-姓名; a name without
    a separator is all ＊ (its length and that it has no 单位 part are what matter)."""
    for sep in ("-", "—", "－", "_", " "):
        unit, found, rest = display_name.partition(sep)
        if found and unit:
            return f"{unit}{sep}{'＊' * len(rest)}"
    return "＊" * len(display_name)


def _person_context(session: Session, alert: Alert, masker: Masker) -> dict[str, Any]:
    person = session.get(Person, alert.subject_id)
    out: dict[str, Any] = {
        "person": {"pseudonym": masker.pseudonym(alert.subject_id), "unit": person.unit if person else "",
                   "post": masker.mask(person.post) if person else ""},
        "payments": [], "memberships": [],
    }
    if alert.category == "governance":
        # a member's governance lead is judged on the memberships, not on the person's money
        rows = session.execute(select(Membership, Group.name, Group.type).join(Group, Group.group_id == Membership.group_id)
                               .where(Membership.person_id == alert.subject_id).limit(CONTEXT))
        out["memberships"] = [{"group": masker.mask(name), "type": kind, "display_shape": masker.mask(display_shape(m.display_name)),
                               "joined": str(m.joined or ""), "left": str(m.left or "")} for m, name, kind in rows]
        return out
    payments = session.scalars(select(Payment).where(Payment.payee == alert.subject_id)
                               .order_by(Payment.time.desc()).limit(CONTEXT))
    out["payments"] = [payment_dict(p, masker) for p in payments]
    return out


def alert_detail(session: Session, alert: Alert, masker: Masker, lang: str) -> dict[str, Any]:
    """An alert with its findings and the context of its subject."""
    findings = findings_of(session, alert)
    detail: dict[str, Any] = {
        **alert_row(alert, masker, (findings[0].reason_en or findings[0].reason) if findings and lang == "en"
                    else (findings[0].reason if findings else "")),
        "findings": [finding_dict(f, masker) for f in findings],
        "attachments": attachment_views(session, findings, masker),
    }
    if alert.subject == "message":
        detail["context"] = _message_context(session, alert, findings, masker)
    elif alert.subject == "payment":
        detail["context"] = _payment_context(session, alert, masker)
    elif alert.subject == "group":
        detail["context"] = _group_context(session, alert, masker)
    elif alert.subject == "person":
        detail["context"] = _person_context(session, alert, masker)
    else:
        detail["context"] = {}
    return detail
