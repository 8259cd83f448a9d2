"""Evidence packages: one case as a signed .zip that anyone can check (`redline evidence export`).

Inside: the case report (report.docx) and the evidence table (evidence.xlsx) as the console
shows them (pseudonyms, masked numbers); the original rows the findings point to
(originals/messages.jsonl, payments.jsonl, findings.jsonl) and files (files/…); the chain of
custody (custody.jsonl); manifest.json with the SHA-256 and size of every one of those files;
and manifest.sig, the instance's Ed25519 signature of manifest.json's exact bytes. Because
the signature covers the manifest and the manifest covers every file, changing any byte
anywhere is caught by `cases.verify`.

The originals are original: the subject's and everyone's names stay, unless the export was
asked to redact third parties (`cases.redact`), which the manifest then says.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from nacl.signing import SigningKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.cases.custody import chain_head, custody
from redline.cases.redact import Redactor
from redline.cases.signing import public_hex
from redline.reports.casefile import gather
from redline.reports.docx import case_report
from redline.reports.xlsx import evidence_table
from redline.review import audit_log
from redline.review.alerts import evidence_ids, findings_of
from redline.review.cases import case_view
from redline.review.identity import load_masker
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.org import Membership, Person
from redline.store.tables.payments import Payment

FORMAT: Final = "redline-evidence/1"
MANIFEST: Final = "manifest.json"
SIGNATURE: Final = "manifest.sig"
REDACTION_NOTE: Final = (
    "第三方的姓名、证件号、手机号和银行卡号已遮盖（被调查人本人的除外）。"
    " Third parties' names, ID, mobile and card numbers are redacted (the subject's own are not)."
)


def _jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    return b"".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8") + b"\n" for r in rows)


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


@dataclass(frozen=True, slots=True)
class Originals:
    """The stored rows and files a case's findings point to."""

    findings: list[FindingRow]
    messages: list[Message]
    payments: list[Payment]
    files: list[Path]


def originals(session: Session, case_id: int) -> Originals:
    """The case's findings and the messages, payments and files they name (subject or related)."""
    view = case_view(session, case_id)
    findings = [f for alert in view.alerts for f in findings_of(session, alert)]
    ids = {f.subject_id for f in findings} | {str(r) for f in findings for r in (f.related_ids or [])}
    for alert in view.alerts:  # what each alert is about, by the source's own ids (alert_items)
        evidence = evidence_ids(session, alert.id)
        ids.update(evidence["message_ids"] + evidence["payment_ids"])
    ids_list = sorted(ids)
    messages = list(session.scalars(select(Message).where(Message.id.in_(ids_list)).order_by(Message.id)))
    payments = list(session.scalars(
        select(Payment).where(Payment.payment_id.in_(ids_list)).order_by(Payment.payment_id)))
    files = sorted({Path(str(f.facts["file"])) for f in findings
                    if (f.facts or {}).get("file") and Path(str(f.facts["file"])).is_file()})
    return Originals(findings, messages, payments, files)


def _redactor(engine: Engine, session: Session, key: bytes, subject: str) -> Redactor:
    people = [(pid, name) for pid, name in session.execute(select(Person.person_id, Person.name))]
    people += [(pid, name) for pid, name in session.execute(
        select(Membership.person_id, Membership.display_name).where(Membership.display_name != ""))]
    person = session.get(Person, subject) if subject else None
    return Redactor.build(key, people, subject, (person.extra or {}) if person else {})


def _original_files(found: Originals, redactor: Redactor | None) -> dict[str, bytes]:
    def text(value: str | None) -> str:
        return redactor.text(value) if redactor else value or ""

    def who(value: str | None) -> str:
        return redactor.person(value) if redactor else value or ""

    out = {
        "originals/messages.jsonl": _jsonl(
            {"id": m.id, "time": _when(m.time), "conversation": redactor.conversation(m.conversation)
             if redactor else m.conversation, "sender": who(m.sender), "type": m.type, "text": text(m.text),
             "attachment": m.attachment}
            for m in found.messages),
        "originals/payments.jsonl": _jsonl(
            {"payment_id": p.payment_id, "time": _when(p.time), "payer": who(p.payer), "payee": who(p.payee),
             "amount_fen": p.amount_fen, "kind": p.kind, "channel": p.channel,
             "conversation": redactor.conversation(p.conversation) if redactor else p.conversation,
             "memo": text(p.memo), "status": p.status, "packet_id": p.packet_id}
            for p in found.payments),
        "originals/findings.jsonl": _jsonl(
            {"id": f.id, "rule_id": f.rule_id, "pack": f.pack, "pack_version": f.pack_version,
             "category": f.category, "detector": f.detector, "subject": f.subject,
             "subject_id": who(f.subject_id) if f.subject == "person" else f.subject_id,
             "person_id": who(f.person_id), "severity": f.severity, "score": f.score,
             "reason": text(f.reason), "reason_en": text(f.reason_en), "evidence": text(f.evidence),
             "start": f.start, "end": f.end, "related_ids": f.related_ids, "time": _when(f.time)}
            for f in found.findings),
    }
    for path in found.files:
        # the digest prefix keeps two files of the same name apart
        data = path.read_bytes()
        out[f"files/{hashlib.sha256(data).hexdigest()[:12]}-{path.name}"] = data
    return out


@dataclass(frozen=True, slots=True)
class Exported:
    """What `export_package` wrote."""

    path: Path
    files: int
    bytes: int
    manifest_sha256: str
    custody_entries: int
    redacted: bool


def export_package(
    engine: Engine, case_id: int, output: Path, signing_key: SigningKey, pseudonym_key: bytes,
    *, actor: str = "cli", role: str = "", redact_third_parties: bool = False,
) -> Exported:
    """Write the signed package of one case to `output` (atomically) and audit the export."""
    masker = load_masker(engine, pseudonym_key)
    casefile = gather(engine, case_id, masker)
    with Session(engine) as session:
        view = case_view(session, case_id)
        subject = view.case.person_id or ""
        alert_ids = [a.id for a in view.alerts]
        found = originals(session, case_id)
        redactor = _redactor(engine, session, pseudonym_key, subject) if redact_third_parties else None
    files: dict[str, bytes] = {"report.docx": case_report(casefile), "evidence.xlsx": evidence_table(casefile)}
    files.update(_original_files(found, redactor))
    entries = custody(engine, case_id, alert_ids, subject or None)
    files["custody.jsonl"] = _jsonl(entries)
    manifest = {
        "format": FORMAT, "case": case_id, "subject": redactor.person(subject) if redactor else subject,
        "created_at": datetime.now(UTC).isoformat(), "exported_by": actor,
        "redacted_third_parties": redact_third_parties,
        "redaction": REDACTION_NOTE if redact_third_parties else "",
        "counts": {"findings": len(found.findings), "messages": len(found.messages),
                   "payments": len(found.payments), "files": len(found.files), "custody": len(entries)},
        "audit_chain_head": chain_head(engine),
        "signing": {"algorithm": "Ed25519", "public_key": public_hex(signing_key)},
        "files": [{"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in files.items()],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    signature = signing_key.sign(manifest_bytes).signature.hex().encode() + b"\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, signature)
    partial.replace(output)
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    audit_log.record(engine, actor, role, "case.export.package", f"case:{case_id}",
                     {"manifest_sha256": digest, "files": len(files), "redacted_third_parties": redact_third_parties})
    return Exported(output, len(files), output.stat().st_size, digest, len(entries), redact_third_parties)
