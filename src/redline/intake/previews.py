"""What an intake officer sees of a report's files without downloading them: photos and the
first pages of a PDF as small pictures on the report page, and the file's real extension.

The portal keeps only photos (JPEG, PNG, WebP) and PDFs redrawn from pictures; their type is
sniffed from the content (`filetype`), never taken from the reporter's name. Previews are
embedded in the page as data: URIs, because a report's files can only be decrypted with the
officer's passphrase inside the request that carries it: there is no later GET that could
fetch them, and nothing decrypted stays on the server.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Final

import filetype
from PIL import Image, UnidentifiedImageError

PREVIEW_SIDE: Final = 1000  # pixels on the long side: readable on screen, a small page
PREVIEW_PAGES: Final = 3  # a PDF's first pages; the rest by download
PDF_SCALE: Final = 1.0  # 72 dpi on A4 gives 595 x 842; thumbnailed to PREVIEW_SIDE anyway


@dataclass(frozen=True, slots=True)
class Preview:
    """Pictures of a file (data: URIs) and how many pages it has in all (1 for a photo)."""

    pictures: tuple[str, ...]
    pages: int


def sniffed(data: bytes) -> tuple[str, str]:
    """(MIME type, extension) by content; ("application/octet-stream", "bin") when unknown."""
    kind = filetype.guess(data)
    return (kind.mime, kind.extension) if kind else ("application/octet-stream", "bin")


def _data_uri(image: Image.Image) -> str:
    picture = image.convert("RGB")
    picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def preview(data: bytes) -> Preview | None:
    """Pictures of a photo or a PDF; None for anything else or a file that cannot be drawn."""
    mime, _ = sniffed(data)
    try:
        if mime.startswith("image/"):
            with Image.open(io.BytesIO(data)) as image:
                return Preview((_data_uri(image),), 1)
        if mime == "application/pdf":
            return _pdf(data)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return None


def _pdf(data: bytes) -> Preview | None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        count = len(document)
        pages = tuple(_data_uri(document[i].render(scale=PDF_SCALE).to_pil()) for i in range(min(count, PREVIEW_PAGES)))
    finally:
        document.close()
    return Preview(pages, count)
