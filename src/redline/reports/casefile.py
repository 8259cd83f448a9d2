"""The case file: what a case report and an evidence table contain, gathered once and masked.

Both the .docx report and the .xlsx table are built from this one value, so the two
exports never disagree and neither can show an unmasked name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from redline.bundle.schema import CHINA
from redline.review.alerts import findings_of
from redline.review.cases import (
    DISPOSITIONS_EN,
    case_evidence,
    case_view,
    counterparty_graph,
    timeline,
)
from redline.review.pseudonyms import Masker


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One finding of one alert of the case."""

    alert_id: int
    finding_id: int
    time: str
    rule_id: str
    pack: str
    category: str
    severity: str
    subject: str
    subject_id: str
    evidence: str
    reason: str
    status: str


@dataclass(frozen=True, slots=True)
class CaseFile:
    """A case, ready to print: all people as pseudonyms, all numbers masked."""

    case_id: int
    title: str
    person: str
    status: str
    outcome: str
    disposition: str
    disposition_en: str
    owner: str
    opened: str
    evidence: list[EvidenceRow]
    # every message and payment the case's alerts cite, oldest first, never cut (the timeline
    # after them is context and may be)
    messages: list[tuple[str, str, str, str]]  # time, conversation, sender, text
    payments: list[tuple[str, str, str, str, str, str, str]]  # time, payer, payee, yuan, kind, memo, status
    timeline: list[tuple[str, str, str, str, str]]  # time, kind, counterparty, amount (yuan), text
    counterparties: list[tuple[str, int, int, int, int]]  # pseudonym, n in, fen in, n out, fen out
    notes: list[tuple[str, str, str]]  # time, author, text
    decisions: list[tuple[str, str, str, str]]  # time, actor, action, value


def gather(engine: Engine, case_id: int, masker: Masker) -> CaseFile:
    """Read the case, its alerts' findings, timeline and counterparties, masked."""
    with Session(engine) as session:
        view = case_view(session, case_id)
        case = view.case
        rows: list[EvidenceRow] = []
        for alert in view.alerts:
            for f in findings_of(session, alert):
                subject_id = masker.pseudonym(f.subject_id) if f.subject == "person" else masker.mask(f.subject_id)
                rows.append(EvidenceRow(
                    alert.id, f.id, _when(f.time or alert.time), f.rule_id, f.pack, f.category, f.severity,
                    f.subject, subject_id, masker.mask(f.evidence), masker.mask(f.reason), alert.status,
                ))
        proof = case_evidence(session, case_id)
        items = timeline(session, case.person_id) if case.person_id else []
        edges = counterparty_graph(session, case.person_id) if case.person_id else []
        return CaseFile(
            case_id=case.id, title=masker.mask(case.title), person=masker.pseudonym(case.person_id),
            status=case.status, outcome=case.outcome or "", disposition=case.disposition or "",
            disposition_en=DISPOSITIONS_EN.get(case.disposition or "", ""), owner=case.owner or "",
            opened=_when(case.created_at), evidence=rows,
            messages=[(_when(m.time), _conversation(m.conversation, masker), masker.pseudonym(m.sender),
                       masker.mask(m.text)) for m in proof.messages],
            payments=[(_when(p.time), masker.pseudonym(p.payer), masker.pseudonym(p.payee),
                       "" if p.amount_fen is None else f"{p.amount_fen / 100:,.2f}", p.kind, masker.mask(p.memo),
                       p.status) for p in proof.payments],
            timeline=[
                (_when(i.time), i.kind,
                 masker.pseudonym(i.counterparty) if i.kind == "payment" else _conversation(i.counterparty, masker),
                 "" if i.amount_fen is None else f"{i.amount_fen / 100:,.2f}", masker.mask(i.text))
                for i in items
            ],
            counterparties=[(masker.pseudonym(e.counterparty), e.n_in, e.fen_in, e.n_out, e.fen_out) for e in edges],
            notes=[(_when(n.created_at), n.author, masker.mask(n.text)) for n in view.notes],
            decisions=[(_when(d.created_at), d.actor, d.action, masker.mask(d.value)) for d in view.decisions],
        )


def _conversation(conversation: str, masker: Masker) -> str:
    if conversation.startswith("dm:"):
        a, _, b = conversation[3:].partition("|")
        return f"{masker.pseudonym(a)} ↔ {masker.pseudonym(b)}"
    return masker.mask(conversation)
