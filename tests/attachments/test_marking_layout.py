"""A bare 密级 box is a marking by its place on the page, not by its word (issue 21 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.attachments.documents import marking_first
from redline.attachments.extract import ocr_page
from redline.attachments.ocr import OcrLine
from redline.attachments.specimens import like_a_phone, render_document


def _line(text: str, x: float, y: float, width: float = 300.0) -> OcrLine:
    return OcrLine(text, ((x, y), (x + width, y), (x + width, y + 40), (x, y + 40)), 0.9)


# a page as OCR returns it: 份号 and issuer first, the bare level somewhere in the top band
HEAD = [_line("000123", 150, 60, 120), _line("中共某某县委办公室文件", 150, 220, 900)]
BODY = [_line("关于做好某项工作的通知", 200, 480, 800), _line("各乡镇党委、县直各单位：", 150, 600, 700),
        _line("现将有关事项通知如下：", 150, 670, 700), _line("一、严格执行有关纪律。", 150, 740, 700),
        _line("二、名单尚未公开。", 150, 810, 600)]
NUMBER = _line("县委办〔2026〕12号", 470, 350, 420)


@pytest.mark.parametrize("word", ["机密", "绝密", "秘密", " 机密 ", "机密1年", "机密★", "机密 ★ 长期", "绝蜜"])
@pytest.mark.parametrize(("where", "red", "number"), [
    ((150, 120), True, False),   # top left, red header
    ((150, 120), False, True),   # top left, 文号 only
    ((950, 90), True, True),     # top right (older templates)
    ((150, 120), False, False),  # top left, plain page: the title and body below it decide
], ids=["left-red", "left-number", "right", "left-plain"])
def test_bare_level_in_the_marking_position_reads_first(word: str, where: tuple[int, int], red: bool,
                                                        number: bool) -> None:
    mark = _line(word, *where, width=120)
    lines = [*HEAD, mark, *([NUMBER] if number else []), *BODY]
    assert marking_first(lines, red)[0] is mark


@pytest.mark.parametrize("lines", [
    # the word inside a sentence of the body
    [*HEAD, NUMBER, *BODY, _line("本文件涉及机密事项的部分另行通知", 150, 880, 800)],
    # the word alone, but low on the page (a table cell, a signature block)
    [*HEAD, NUMBER, *BODY, _line("机密", 150, 1500, 120)],
    # the word alone in the top band, centred like a title
    [*HEAD, _line("机密", 560, 120, 120), NUMBER, *BODY],
    # an ordinary word that contains the level
    [*HEAD, _line("小秘密", 150, 120, 120), NUMBER, *BODY],
], ids=["in-sentence", "low-on-page", "centred", "ordinary-word"])
def test_the_same_word_elsewhere_is_not_moved(lines: list[OcrLine]) -> None:
    assert marking_first(lines, red=True) == lines


def test_two_lines_or_fewer_are_left_alone() -> None:
    mark = _line("机密", 150, 120, 120)
    assert marking_first([_line("通知", 150, 60), mark], red=True)[0].text == "通知"


@pytest.mark.parametrize(("marking", "degrade"), [
    ("机密", False),
    ("机密", True),
    ("绝密", True),
])
def test_rendered_photo_with_a_bare_level_top_left_leads(font_path: Path, marking: str, degrade: bool) -> None:
    """End to end through RapidOCR: the page text starts with the level when it is the marking."""
    page = render_document(font_path, marking=marking, marking_at=(150, 120))
    page = like_a_phone(page, angle=2.0, blur=1.0, light=0.7) if degrade else page
    read = ocr_page(page, None)
    assert read is not None
    assert read.text.split("\n")[0].strip() == marking


def test_rendered_page_with_the_word_in_its_body_does_not_lead(font_path: Path) -> None:
    lines = ["各乡镇党委、县直各单位：", "本通知不涉及机密事项，可公开张贴。", "现将有关事项通知如下："]
    read = ocr_page(render_document(font_path, marking=None, lines=lines), None)
    assert read is not None
    assert not read.text.startswith("机密")
