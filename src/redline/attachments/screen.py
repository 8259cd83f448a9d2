"""Screening attachments with the same packs as messages: all pages of all files in one batch
through the engine, findings with `file` and `page`, and the OCR boxes of the evidence."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from redline.attachments.extract import Extracted, Page, extract
from redline.contracts import Finding
from redline.rules.plan import ScanPlan
from redline.scan.engine import scan_batch

UNREADABLE_RULE: Final = "ATTACHMENT-UNREADABLE"
MARKING_DETECTORS: Final = frozenset({"secret_marks"})
CORROBORATING_DETECTORS: Final = frozenset({"doc_number"})


@dataclass(frozen=True, slots=True)
class FileReport:
    """One file: what was read, and its findings as output records."""

    extracted: Extracted
    records: list[dict[str, Any]]


def boxes_for(page: Page, start: int, end: int) -> list[list[list[float]]]:
    """The OCR boxes of the lines that the evidence span [start, end) touches."""
    out = []
    for line, line_start in zip(page.lines, page.line_starts, strict=True):
        if line_start < end and start < line_start + len(line.text):
            out.append([list(point) for point in line.box])
    return out


def _record(finding: Finding, extracted: Extracted, page: Page) -> dict[str, Any]:
    start, end = finding.start or 0, finding.end or 0
    return {
        "message_id": None, "rule_id": finding.rule_id, "category": finding.category,
        "detector": finding.detector, "label": finding.label, "start": start, "end": end,
        "evidence": finding.evidence, "severity": finding.severity,
        # the engine words its reasons for messages; here the text came from a file
        "reason": finding.reason.replace("消息中", "附件中", 1).replace("the message", "the attachment", 1),
        "file": str(extracted.path), "page": page.number, "sha256": extracted.sha256, "kind": extracted.kind,
        "red_header": page.red_header, "boxes": boxes_for(page, start, end), "pack": finding.pack,
    }


def _unreadable(extracted: Extracted) -> dict[str, Any]:
    problem = extracted.problem or ""
    return {
        "message_id": None, "rule_id": UNREADABLE_RULE, "category": "secrets", "detector": "attachments",
        "label": "unreadable", "start": None, "end": None, "evidence": "", "severity": "low",
        "reason": f"附件无法读取，内容未能检查：{problem}。请人工核看该文件（加密或损坏的文件也可能含涉密内容）。"
                  f" / The attachment could not be read ({problem}); please look at it by hand.",
        "file": str(extracted.path), "page": None, "sha256": extracted.sha256, "kind": extracted.kind,
        "red_header": False, "boxes": [], "pack": "",
    }


def screen_extracted(plan: ScanPlan, files: Sequence[Extracted]) -> list[FileReport]:
    """Findings for already extracted files: one engine call for all their pages."""
    pages = [(i, page) for i, extracted in enumerate(files) for page in extracted.pages]
    findings = scan_batch(plan, [page.text for _, page in pages], ids=[str(n) for n in range(len(pages))])
    records: list[list[dict[str, Any]]] = [[] for _ in files]
    marked = {f.subject_id for f in findings if f.detector in MARKING_DETECTORS}
    for finding in findings:
        # a red-header notice with its 文号 is shared openly every day; in a document the
        # number only corroborates a secrecy marking on the same page
        if finding.detector in CORROBORATING_DETECTORS and finding.subject_id not in marked:
            continue
        index, page = pages[int(finding.subject_id)]
        records[index].append(_record(finding, files[index], page))
    for index, extracted in enumerate(files):
        if extracted.problem:
            records[index].append(_unreadable(extracted))
    return [FileReport(extracted, rows) for extracted, rows in zip(files, records, strict=True)]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and every file under folders named (sorted; hidden files skipped)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            out.append(path)
    return out


def screen_files(plan: ScanPlan, paths: Iterable[Path], *, on_file: Callable[[Path], None] | None = None,
                 batch_files: int = 32) -> list[FileReport]:
    """Extract and screen files; each distinct content (sha256) is read and OCRed once."""
    first: dict[str, FileReport] = {}
    order: list[tuple[Path, str]] = []
    pending: list[Extracted] = []

    def flush() -> None:
        for report in screen_extracted(plan, pending):
            first[report.extracted.sha256 or str(report.extracted.path)] = report
        pending.clear()

    queued: set[str] = set()
    for path in expand(paths):
        if on_file:
            on_file(path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        order.append((path, digest or str(path)))
        if digest and digest in queued:
            continue
        queued.add(digest or str(path))
        pending.append(extract(path))
        if len(pending) >= batch_files:
            flush()
    flush()
    reports = []
    for path, key in order:
        report = first[key]
        if report.extracted.path == path:
            reports.append(report)
        else:  # the same content under another name: same findings, this file's name
            reports.append(FileReport(report.extracted, [{**r, "file": str(path)} for r in report.records]))
    return reports


def inside(root: Path, raw: str) -> Path | None:
    """`raw` (an `attachment.path`) resolved under `root`, or None when it would leave it.

    Absolute paths, `..` and symbolic links that point out of the folder are refused: a
    bundle is untrusted input and must not make the scanner read, or the console later
    serve, a file of the machine it runs on.
    """
    candidate = Path(raw.replace("\\", os.sep))
    if candidate.is_absolute() or candidate.drive:
        return None
    base = root.resolve()
    path = (base / candidate).resolve()
    return path if path.is_relative_to(base) else None


@dataclass(frozen=True, slots=True)
class RefusedPath:
    """An attachment path that points outside the files folder: quarantined, never read."""

    message_id: str
    path: str


def attachment_paths(bundle_root: Path, attachments: Iterable[dict[str, Any] | None]) -> list[Path]:
    """Existing files inside `bundle_root` that bundle messages point to (`attachment.path`)."""
    out = []
    for attachment in attachments:
        if not attachment or not attachment.get("path"):
            continue
        path = inside(bundle_root, str(attachment["path"]))
        if path is not None and path.is_file():
            out.append(path)
    return out


def refused_paths(root: Path, attachments: Sequence[tuple[str, dict[str, Any] | None]]) -> list[RefusedPath]:
    """The messages whose `attachment.path` leaves `root` (absolute, `..`, or a link out of it)."""
    return [RefusedPath(mid, str(att["path"])) for mid, att in attachments
            if att and att.get("path") and inside(root, str(att["path"])) is None]


def message_attachment_findings(plan: ScanPlan, attachments: Sequence[tuple[str, dict[str, Any] | None]],
                                root: Path) -> list[Finding]:
    """Findings for the files that messages point to (`attachment.path`, relative to `root`).

    Each distinct file content is read once, however many messages share it; every message
    that carries it gets the findings, with the file, page and OCR boxes in `facts`.
    """
    by_path: dict[Path, list[str]] = {}
    for message_id, attachment in attachments:
        for path in attachment_paths(root, [attachment]):
            by_path.setdefault(path, []).append(message_id)
    if not by_path:
        return []
    records = [record for report in screen_files(plan, list(by_path)) for record in report.records]
    return [
        Finding(rule_id=record["rule_id"], category=record["category"], detector=record["detector"],
                subject="message", subject_id=message_id, severity=record["severity"], reason=record["reason"],
                label=record["label"], start=record["start"], end=record["end"], evidence=record["evidence"],
                score=1.0, pack=record["pack"], facts={k: record[k] for k in ("file", "page", "sha256", "kind", "red_header", "boxes")})
        for record in records for message_id in by_path.get(Path(record["file"]), [])
    ]
