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

from redline.errors import NotFound, UnsupportedMedia
from redline.review.pseudonyms import Masker
from redline.store.tables.findings import FindingRow

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


def attachment_views(findings: list[FindingRow], masker: Masker) -> list[dict[str, Any]]:
    """One view per finding that came from a file and has OCR boxes."""
    views = []
    for finding in findings:
        facts = finding.facts or {}
        boxes = facts.get("boxes") or []
        file = facts.get("file")
        if not file or not boxes:
            continue
        size = _size(Path(str(file)), facts.get("page"))
        if size is None:
            continue
        views.append({
            "finding_id": finding.id, "name": Path(str(file)).name, "page": facts.get("page"),
            "evidence": masker.mask(finding.evidence), "width": size[0], "height": size[1],
            "polygons": [" ".join(f"{x:.0f},{y:.0f}" for x, y in box) for box in boxes],
            "red_header": bool(facts.get("red_header")),
        })
    return views


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
