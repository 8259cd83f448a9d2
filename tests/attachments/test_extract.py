"""Text out of real files the tests write: PDF (text layer and scanned), DOCX, XLSX, text;
and clear problems for encrypted, corrupt and zip-bomb files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from pypdf import PdfWriter

from redline.attachments.extract import extract
from redline.attachments.specimens import render_document


def _text_pdf(path: Path, font: Path, lines: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("wqy", fname=str(font))
    pdf.set_font("wqy", size=14)
    for line in lines:
        pdf.cell(text=line)
        pdf.ln(10)
    pdf.output(str(path))
    return path


def test_pdf_text_layer(tmp_path: Path, font_path: Path) -> None:
    path = _text_pdf(tmp_path / "a.pdf", font_path, ["机密★1年", "县委办〔2026〕12号"])
    read = extract(path)
    assert (read.kind, read.problem, read.ocr_pages) == ("pdf", None, 0)
    assert "机密★1年" in read.pages[0].text
    assert read.pages[0].number == 1


def test_scanned_pdf_is_ocred(tmp_path: Path, font_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    render_document(font_path, marking="秘密★6个月").save(path, "PDF", resolution=150)
    read = extract(path)
    assert read.ocr_pages == 1
    assert "秘密★6个月" in read.pages[0].text


def test_docx_and_xlsx(tmp_path: Path) -> None:
    document = Document()
    document.sections[0].header.paragraphs[0].text = "内部资料 注意保存"
    document.add_paragraph("关于干部考察对象的情况说明")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "拟任职务"
    table.rows[0].cells[1].text = "副局长"
    document.save(tmp_path / "a.docx")
    read = extract(tmp_path / "a.docx")
    assert read.kind == "docx"
    assert read.pages[0].text.splitlines() == ["内部资料 注意保存", "关于干部考察对象的情况说明", "拟任职务\t副局长"]
    book = Workbook()
    book.active.append(["姓名", "密级"])
    book.active.append(["张三", "机密★5年"])
    book.save(tmp_path / "a.xlsx")
    read = extract(tmp_path / "a.xlsx")
    assert read.kind == "xlsx"
    assert "张三\t机密★5年" in read.pages[0].text


def test_gbk_text_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("会议纪要：绝密★长期".encode("gb18030"))
    assert extract(tmp_path / "a.txt").pages[0].text == "会议纪要：绝密★长期"


def test_encrypted_pdf_is_a_problem_not_a_skip(tmp_path: Path, font_path: Path) -> None:
    plain = _text_pdf(tmp_path / "p.pdf", font_path, ["机密★1年"])
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt("a secret password")
    writer.write(str(tmp_path / "enc.pdf"))
    read = extract(tmp_path / "enc.pdf")
    assert read.problem is not None
    assert "encrypted" in read.problem
    assert read.pages == ()


@pytest.mark.parametrize(("name", "data"), [
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 40),
    ("broken.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13" * 50),
], ids=["pdf", "docx", "jpeg"])
def test_corrupt_files_are_problems(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    assert extract(tmp_path / name).problem is not None


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (300 * 1024 * 1024))
    (tmp_path / "bomb.docx").write_bytes(buffer.getvalue())
    read = extract(tmp_path / "bomb.docx")
    assert read.problem is not None
    assert "zip bomb" in read.problem
