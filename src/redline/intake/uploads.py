"""Files from the public: size and type limits, type sniffed from content, names never trusted,
and no metadata kept: photos are re-encoded without EXIF/GPS, PDF pages are re-drawn as
images (no author, producer, XMP, attachments or scripts survive), and video and audio,
whose containers carry place and device atoms this code cannot remove reliably, are refused.
The form says which types are taken and what is done to them."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from redline.errors import InputError

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
MAX_FILES: Final = 6
MAX_TOTAL_BYTES: Final = 30 * 1024 * 1024
MAX_PIXELS: Final = 60_000_000  # decompression bombs: a 1 MB PNG can claim gigapixels
IMAGE_TYPES: Final = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
OTHER_TYPES: Final = {"application/pdf"}
MAX_PDF_PAGES: Final = 30
PDF_SCALE: Final = 2.0  # 144 dpi: a scanned letter stays readable
EXTENSIONS: Final = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
                     ".pdf": "application/pdf", ".mp4": "video/mp4", ".mp3": "audio/mpeg", ".m4a": "audio/mp4"}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
_ORIENTATION: Final = 0x0112
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # set once: Pillow raises DecompressionBombError past 2x this


class UploadError(InputError):
    """An upload the portal will not take; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as received: its claimed name and type are only hints."""

    name: str
    declared_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CleanFile:
    """A file ready to seal: content-sniffed type, display name, metadata-free bytes."""

    display_name: str
    mime: str
    data: bytes


def check_all(uploads: list[Upload]) -> list[CleanFile]:
    """Every upload checked and cleaned, or UploadError for the first bad one."""
    uploads = [u for u in uploads if u.data or u.name]
    if len(uploads) > MAX_FILES:
        raise UploadError(f"at most {MAX_FILES} files per report", 413)
    if sum(len(u.data) for u in uploads) > MAX_TOTAL_BYTES:
        raise UploadError(f"at most {MAX_TOTAL_BYTES // 2**20} MB of files per report", 413)
    return [clean(u) for u in uploads]


def clean(upload: Upload) -> CleanFile:
    """One upload: limits, sniffed type consistent with what was claimed, EXIF removed."""
    if not upload.data:
        raise UploadError("an empty file", 400)
    if len(upload.data) > MAX_FILE_BYTES:
        raise UploadError(f"a file is larger than {MAX_FILE_BYTES // 2**20} MB", 413)
    kind = filetype.guess(upload.data)
    mime = kind.mime if kind else ""
    if mime.startswith(("video/", "audio/")):
        raise UploadError("video and audio files cannot be cleaned of the place and device they record, so they "
                          "are not accepted: send photos or a PDF, or describe what they show", 415)
    if mime not in IMAGE_TYPES and mime not in OTHER_TYPES:
        raise UploadError("this kind of file is not accepted (photos and PDF are)", 415)
    declared = upload.declared_type.split(";")[0].strip().lower()
    if declared not in ("", "application/octet-stream") and declared.split("/")[0] != mime.split("/")[0] \
            and declared != mime:
        raise UploadError("the file's content does not match its declared type", 415)
    by_name = EXTENSIONS.get(PurePath(upload.name).suffix.lower())
    if by_name is not None and by_name.split("/")[0] != mime.split("/")[0]:
        raise UploadError("the file's content does not match its name", 415)
    data = _strip_metadata(upload.data, mime) if mime in IMAGE_TYPES else _redraw_pdf(upload.data)
    return CleanFile(display_name=safe_name(upload.name), mime=mime, data=data)


def safe_name(name: str) -> str:
    """A display name with no path, no control characters, at most 80 characters."""
    base = _UNSAFE.sub("", PurePath(name.replace("\\", "/")).name).strip(" .") or "file"
    return base[:80]


def _strip_metadata(data: bytes, mime: str) -> bytes:
    """Re-encode the pixels only: EXIF (GPS, camera, time) and other chunks are dropped."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # keep the orientation the EXIF asked for (exif_transpose copies even when upright)
            upright = ImageOps.exif_transpose(image) if image.getexif().get(_ORIENTATION, 1) != 1 else image
            fmt = IMAGE_TYPES[mime]
            mode = "RGB" if fmt == "JPEG" or upright.mode not in ("RGBA", "LA", "P") else "RGBA"
            pixels = upright if upright.mode == mode else upright.convert(mode)
            # a plain image with an empty info dict (Pillow would carry a JPEG comment or a PNG
            # ICC profile over); the decoded file object itself is copied once, never saved.
            # Re-encoding rather than cutting segments out also drops the camera's quantisation
            # tables (a device fingerprint) and anything crafted inside the compressed data.
            if pixels is image:
                pixels = image.copy()
            pixels.info = {}
            out = io.BytesIO()
            options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            pixels.save(out, format=fmt, **options)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise UploadError("a photo that cannot be read", 415) from exc


def _redraw_pdf(data: bytes) -> bytes:
    """The PDF's pages drawn as images into a new PDF: nothing but the pixels carries over."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UploadError("a PDF that cannot be read (or is password-protected)", 415) from exc
    try:
        if not 1 <= len(document) <= MAX_PDF_PAGES:
            raise UploadError(f"a PDF must have 1 to {MAX_PDF_PAGES} pages", 413)
        pages = [document[i].render(scale=PDF_SCALE).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()
    out = io.BytesIO()
    # Pillow writes no author or producer unless asked, but stamps the time of writing: a fixed
    # date instead, so not even the moment of cleaning is kept. Pages are JPEG-compressed.
    epoch = time.gmtime(0)
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=72 * PDF_SCALE, quality=85,
                  creationDate=epoch, modDate=epoch)
    return out.getvalue()
