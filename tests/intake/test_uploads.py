"""Uploads: limits, content sniffing against declared type and name, EXIF removal."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from redline.intake.uploads import MAX_FILE_BYTES, Upload, UploadError, check_all, clean


def _pdf(author: str = "", pages: int = 1) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.set_author(author)
    document.set_creator("RedlineTestWriter")
    for n in range(pages):
        document.add_page()
        document.set_font("helvetica", size=14)
        document.cell(text=f"page {n + 1}")
    return bytes(document.output())


PDF = _pdf()


def test_photo_loses_exif_and_gps(photo: bytes) -> None:
    cleaned = clean(Upload("DSC_0001.JPG", "image/jpeg", photo))
    assert cleaned.mime == "image/jpeg"
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (120, 90)
    assert b"RedlineTestCam" not in cleaned.data


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.mark.parametrize(("upload", "status"), [
    (Upload("notes.txt", "text/plain", b"just some words"), 415),
    (Upload("photo.jpg", "image/jpeg", PDF), 415),  # a PDF claiming to be a photo
    (Upload("scan.pdf", "application/pdf", JPEG), 415),  # a photo claiming to be a PDF
    (Upload("x.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 100), 415),
    (Upload("empty.jpg", "image/jpeg", b""), 400),
    (Upload("big.jpg", "image/jpeg", b"\xff\xd8\xff" + b"\x00" * MAX_FILE_BYTES), 413),
], ids=["text", "pdf-as-jpeg", "jpeg-as-pdf", "executable", "empty", "oversized"])
def test_refused(upload: Upload, status: int) -> None:
    with pytest.raises(UploadError) as refused:
        check_all([upload])
    assert refused.value.status == status


def _mp4_with_gps() -> bytes:
    """The smallest MP4 filetype and Pillow-free code recognise, with a GPS atom (©xyz) in udta."""
    def atom(kind: bytes, body: bytes) -> bytes:
        return (8 + len(body)).to_bytes(4, "big") + kind + body

    gps = atom(b"\xa9xyz", (18).to_bytes(2, "big") + b"\x15\xc7" + b"+39.9075+116.3972/")
    return atom(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + atom(b"moov", atom(b"udta", gps)) + atom(b"mdat", b"\x00" * 64)


def test_pdf_metadata_is_removed() -> None:
    """Issue 15 item 6: a PDF kept its author. Its pages are re-drawn as images: no author, no
    producer, no XMP, no embedded files or scripts survive."""
    cleaned = clean(Upload("scan.pdf", "application/pdf", _pdf(author="Zhang San", pages=2)))
    assert cleaned.mime == "application/pdf"
    assert b"Zhang San" not in cleaned.data
    assert b"RedlineTestWriter" not in cleaned.data
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(cleaned.data)
    try:
        assert len(document) == 2
        kept = document.get_metadata_dict()
        assert {k: v for k, v in kept.items() if v and not k.endswith("Date")} == {}
        assert {kept.get("CreationDate"), kept.get("ModDate")} <= {"", "D:19700101000000Z"}
    finally:
        document.close()


@pytest.mark.parametrize("upload", [
    Upload("clip.mp4", "video/mp4", _mp4_with_gps()),
    Upload("voice.m4a", "audio/mp4", _mp4_with_gps()),
], ids=["video", "audio"])
def test_files_that_cannot_be_cleaned_are_refused(upload: Upload) -> None:
    """An MP4 kept its GPS atom: video and audio cannot be cleaned here, so they are refused."""
    with pytest.raises(UploadError, match="cannot be cleaned") as refused:
        check_all([upload])
    assert refused.value.status == 415


def test_names_are_not_trusted() -> None:
    cleaned = clean(Upload("../../etc/\x00passwd.pdf", "", PDF))
    assert cleaned.display_name == "passwd.pdf"
    assert cleaned.mime == "application/pdf"


def test_too_many_files() -> None:
    with pytest.raises(UploadError) as refused:
        check_all([Upload(f"{n}.pdf", "application/pdf", PDF) for n in range(7)])
    assert refused.value.status == 413


def _jpeg(size: tuple[int, int], **save: object) -> bytes:
    image = Image.new("RGB", size, (200, 60, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", **save)
    return out.getvalue()


def _exif(orientation: int) -> Image.Exif:
    exif = Image.new("RGB", (1, 1)).getexif()
    exif[0x0112] = orientation
    exif[0x010F] = "RedlineTestCam"
    return exif


@pytest.mark.parametrize(("data", "size"), [
    (_jpeg((40, 20), comment=b"RedlineTestCam comment"), (40, 20)),
    (_jpeg((40, 20), exif=_exif(6)), (20, 40)),  # rotated by the EXIF: the pixels are turned instead
    (_jpeg((40, 20), exif=_exif(1), comment=b"RedlineTestCam"), (40, 20)),
], ids=["comment", "orientation-6", "upright-with-exif"])
def test_photo_keeps_nothing_but_upright_pixels(data: bytes, size: tuple[int, int]) -> None:
    cleaned = clean(Upload("p.jpg", "image/jpeg", data))
    assert b"RedlineTestCam" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert dict(image.getexif()) == {}
        assert "comment" not in image.info
        assert image.size == size


def _png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Software", "RedlineTestCam")
    out = io.BytesIO()
    Image.new("RGBA", (30, 10), (1, 2, 3, 128)).save(out, format="PNG", pnginfo=info, exif=_exif(1),
                                                     icc_profile=b"RedlineTestCam profile")
    return out.getvalue()


def _webp_with_exif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (1, 2, 3)).save(out, format="WEBP", exif=_exif(1), xmp=b"<x>RedlineTestCam</x>")
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "mime"), [
    ("p.png", _png_with_text(), "image/png"),
    ("p.webp", _webp_with_exif(), "image/webp"),
], ids=["png-text-exif-icc", "webp-exif-xmp"])
def test_other_photo_formats_lose_their_metadata(name: str, data: bytes, mime: str) -> None:
    assert b"RedlineTestCam" in data
    cleaned = clean(Upload(name, mime, data))
    assert cleaned.mime == mime
    assert b"RedlineTestCam" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert dict(image.getexif()) == {}
        assert "icc_profile" not in image.info
