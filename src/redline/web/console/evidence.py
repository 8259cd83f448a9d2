"""Attachment evidence for the alert page: where on a photo or page the evidence is (from the
OCR boxes kept in the finding's facts), and the file itself for those allowed to see it.

A photo of a document can show anybody's name, so the picture is for investigators only and
every view is audited; analysts see where the evidence sits (the boxes on a blank page).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Final

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from redline.errors import NotFound, UnsupportedMedia
from redline.review.pseudonyms import Masker
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.org import Person

PDF_SCALE: Final = 1.5  # the scale pages are rendered at for OCR (attachments.extract)


def _size(path: Path, page: int | None) -> tuple[int, int] | None:
    try:
        if path.suffix.lower() == ".pdf" or path.read_bytes()[:5] == b"%PDF-":
            import pypdfium2 as pdfium

            document = pdfium.PdfDocument(str(path))
            try:
                width, height = document[(page or 1) - 1].get_size()
            finally:
                document.close()
            return round(width * PDF_SCALE), round(height * PDF_SCALE)
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError, IndexError):
        return None


def _sender(session: Session, finding: FindingRow, masker: Masker) -> dict[str, str]:
    """Who sent the file, their unit and when: the message the finding is about."""
    from redline.web.console.present import when  # present builds on this module

    message = session.get(Message, finding.subject_id) if finding.subject == "message" else None
    if message is None:
        return {"sender": "", "unit": "", "time": ""}
    person = session.get(Person, message.sender)
    return {"sender": masker.pseudonym(message.sender), "unit": person.unit if person else "", "time": when(message.time)}


def attachment_views(session: Session, findings: list[FindingRow], masker: Masker) -> list[dict[str, Any]]:
    """One view per page of a file that evidence was found on (a photo, or a page of a PDF).

    Several packs cite the same marking (TJ-07, ZJ-02, WH-02, XY-06) and a marking and its 文号
    are two findings on one page: the reviewer sees the page once, every evidence box on it
    once, each with the rules it breaks.
    """
    views: dict[tuple[str, int | None], dict[str, Any]] = {}
    for finding in findings:
        facts = finding.facts or {}
        boxes = facts.get("boxes") or []
        file = facts.get("file")
        if not file or not boxes:
            continue
        page = facts.get("page")
        key = (str(file), page)
        if key not in views:
            size = _size(Path(str(file)), page)
            if size is None:
                continue
            views[key] = {
                "finding_id": finding.id, "name": masker.mask(Path(str(file)).name), "page": page,
                "width": size[0], "height": size[1], "red_header": bool(facts.get("red_header")),
                "stroke": max(2.0, round(size[0] / 250, 1)), "boxes": {}, **_sender(session, finding, masker),
            }
        view = views[key]
        for box in boxes:
            points = " ".join(f"{x:.0f},{y:.0f}" for x, y in box)
            mark = view["boxes"].setdefault(points, {"points": points, "evidence": [], "rules": []})
            evidence = masker.mask(" ".join(finding.evidence.split()))
            if evidence not in mark["evidence"]:
                mark["evidence"].append(evidence)
            if finding.rule_id not in mark["rules"]:
                mark["rules"].append(finding.rule_id)
    out = []
    for view in views.values():
        marks = list(view.pop("boxes").values())
        for number, mark in enumerate(marks, 1):
            mark["number"] = number
            xs = [float(p.split(",")[0]) for p in mark["points"].split()]
            ys = [float(p.split(",")[1]) for p in mark["points"].split()]
            mark["label_x"], mark["label_y"] = round(min(xs)), round(max(min(ys) - view["stroke"] * 2, view["stroke"] * 6))
            mark["rules"].sort()
        out.append({**view, "marks": marks})
    return out


def file_bytes(finding: FindingRow) -> tuple[bytes, str]:
    """The picture the boxes refer to: the photo itself, or the PDF page rendered as PNG."""
    facts = finding.facts or {}
    path = Path(str(facts.get("file") or ""))
    if not facts.get("file") or not path.is_file():
        raise NotFound("the attachment is not at the path the scan saw")
    data = path.read_bytes()
    if data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise UnsupportedMedia("the PDF attachment cannot be opened") from exc
        try:
            page = int(facts.get("page") or 1)
            if not 1 <= page <= len(document):
                raise NotFound(f"the PDF attachment has no page {page}")
            image = document[page - 1].render(scale=PDF_SCALE).to_pil()
        finally:
            document.close()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue(), "image/png"
    try:
        with Image.open(io.BytesIO(data)) as image:
            mime = Image.MIME.get(image.format or "", "")
    except (UnidentifiedImageError, OSError) as exc:
        raise UnsupportedMedia("the attachment is neither a picture nor a PDF: open it from the case file") from exc
    if not mime.startswith("image/"):
        raise UnsupportedMedia("the attachment is not a picture the browser can show")
    return data, mime
