"""Text out of files: photos (OCR), PDF (text layer first, OCR of page renders when there is
none), DOCX, XLSX and plain text, within limits on size, pages and decompression.

A file that cannot be read (encrypted, corrupt, a zip bomb, too large) comes back with a
`problem` instead of text, so the caller raises a finding rather than skipping it silently.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import filetype
from PIL import Image, UnidentifiedImageError

from redline.attachments import documents, ocr

MAX_BYTES: Final = 50 * 1024 * 1024
MAX_PAGES: Final = 200
MAX_PIXELS: Final = 80_000_000
MAX_UNZIPPED: Final = 200 * 1024 * 1024  # DOCX/XLSX are zips: refuse bombs before opening
MAX_ZIP_RATIO: Final = 100
MIN_LAYER_CHARS: Final = 10  # fewer characters on a PDF page means a scan: OCR it
IMAGE_MIMES: Final = {"image/jpeg", "image/png", "image/webp", "image/bmp", "image/tiff", "image/gif"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # set once: larger claims raise DecompressionBombError
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Page:
    """Text of one page (or the whole file), with OCR lines and where each starts in `text`."""

    number: int | None
    text: str
    lines: tuple[ocr.OcrLine, ...] = ()
    line_starts: tuple[int, ...] = ()
    red_header: bool = False


@dataclass(frozen=True, slots=True)
class Extracted:
    """What could be read from one file."""

    path: Path
    kind: str  # image, pdf, docx, xlsx, text, other
    sha256: str
    pages: tuple[Page, ...] = ()
    problem: str | None = None  # the file could not be read: encrypted, corrupt, too large …
    skipped: str | None = None  # nothing to read, by design: a photo without text, a video
    ocr_pages: int = 0
    notes: list[str] = field(default_factory=list)


def extract(path: Path) -> Extracted:
    """Read one file; never raises for a bad file (see `problem`)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Extracted(path, "other", "", problem=f"larger than {MAX_BYTES // 2**20} MB: not read")
        data = path.read_bytes()
    except OSError as exc:
        return Extracted(path, "other", "", problem=f"cannot open the file: {exc.strerror}")
    digest = hashlib.sha256(data).hexdigest()
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime in IMAGE_MIMES:
        return _image(path, digest, data)
    if mime == "application/pdf" or data[:5] == b"%PDF-":
        return _pdf(path, digest, data)
    if mime in (DOCX, XLSX, "application/zip") or data[:4] == b"PK\x03\x04":
        return _office(path, digest, data)
    text = _plain_text(data)
    if text is not None:
        return Extracted(path, "text", digest, (Page(None, text),))
    return Extracted(path, "other", digest, skipped=f"not a document Redline reads ({mime or 'unknown type'})")


def _plain_text(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return ocr.prepare(image)


def ocr_page(image: Image.Image, number: int | None) -> Page | None:
    """OCR one page image, or None when the probe finds no text on it."""
    if not ocr.has_text(image):
        return None
    red = documents.red_header(image)
    lines = documents.marking_first(ocr.read_lines(image), red)
    starts, parts, offset = [], [], 0
    for line in lines:
        starts.append(offset)
        parts.append(line.text)
        offset += len(line.text) + 1
    text = documents.repair("\n".join(parts))
    return Page(number, text, tuple(lines), tuple(starts), red)


def _image(path: Path, digest: str, data: bytes) -> Extracted:
    try:
        image = _open_image(data)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        return Extracted(path, "image", digest, problem=f"a corrupt or unreadable image ({exc})")
    page = ocr_page(image, None)
    if page is None:
        return Extracted(path, "image", digest, skipped="no text in the photo")
    return Extracted(path, "image", digest, (page,), ocr_pages=1)


def _pdf(path: Path, digest: str, data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return Extracted(path, "pdf", digest, problem="an encrypted PDF: its contents cannot be checked")
        count = len(reader.pages)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        return Extracted(path, "pdf", digest, problem=f"a corrupt PDF ({type(exc).__name__}: {exc})")
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a broken or encrypted file
        reason = "an encrypted PDF" if "crypt" in str(exc).lower() else "an unreadable PDF"
        return Extracted(path, "pdf", digest, problem=f"{reason} ({type(exc).__name__}: {exc})")
    pages: list[Page] = []
    notes = [f"only the first {MAX_PAGES} of {count} pages were read"] if count > MAX_PAGES else []
    scanned = 0
    for number in range(min(count, MAX_PAGES)):
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception:  # noqa: BLE001 - one bad page must not hide the others
            text = ""
        if len(text.strip()) >= MIN_LAYER_CHARS:
            pages.append(Page(number + 1, text))
            continue
        page = _ocr_pdf_page(data, number)
        if page is not None:
            scanned += 1
            pages.append(page)
    return Extracted(path, "pdf", digest, tuple(pages), ocr_pages=scanned, notes=notes)


def _ocr_pdf_page(data: bytes, number: int) -> Page | None:
    """Render a page without a text layer (a scan) and OCR it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        image = document[number].render(scale=1.5).to_pil().convert("RGB")
    finally:
        document.close()
    return ocr_page(image, number + 1)


def _office(path: Path, digest: str, data: bytes) -> Extracted:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return Extracted(path, "other", digest, problem=f"a corrupt Office file ({exc})")
    unzipped = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_ZIP_RATIO:
        return Extracted(path, "other", digest, problem=f"refused: it would unpack to {unzipped:,} bytes (zip bomb?)")
    names = {e.filename for e in entries}
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        return Extracted(path, "other", digest, problem="an encrypted Office file: its contents cannot be checked")
    try:
        if "word/document.xml" in names:
            return Extracted(path, "docx", digest, (Page(None, _docx_text(data)),))
        if "xl/workbook.xml" in names:
            return Extracted(path, "xlsx", digest, (Page(None, _xlsx_text(data)),))
    except Exception as exc:  # noqa: BLE001 - python-docx/openpyxl raise many kinds for a broken file
        return Extracted(path, "other", digest, problem=f"a corrupt Office file ({type(exc).__name__}: {exc})")
    return Extracted(path, "other", digest, skipped="a zip archive, not a Word or Excel document")


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts: list[str] = []
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs if p.text.strip()]
    parts += [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines: list[str] = []
        for sheet in book.worksheets:
            lines.append(str(sheet.title))
            lines += ["\t".join("" if v is None else str(v) for v in row) for row in _rows(sheet.iter_rows(values_only=True))]
        return "\n".join(lines)
    finally:
        book.close()


def _rows(rows: Iterable[tuple[object, ...]], limit: int = 100_000) -> Iterable[tuple[object, ...]]:
    for number, row in enumerate(rows):
        if number >= limit:
            return
        yield row
