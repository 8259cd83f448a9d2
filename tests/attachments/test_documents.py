"""OCR confusions repaired in place, and the red header of 红头文件 seen in the layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.attachments.documents import red_header, repair
from redline.attachments.specimens import holiday_photo, render_document

REPAIRS = [
    ("机蜜☆1年", "机密★1年"),
    ("绝蜜★长期", "绝密★长期"),
    ("秘密*6个月", "秘密★6个月"),
    ("县委办【2026】12号", "县委办〔2026〕12号"),
    ("某政[2017]3号", "某政〔2017〕3号"),
    ("县委办〔2026】12号", "县委办〔2026〕12号"),
    ("（2019）第5号", "〔2019〕第5号"),
]
KEPT = ["蜜蜂养殖合作社", "【通知】明天开会", "2026年12号楼", "秘密花园电影票", "(2026)年度计划"]


@pytest.mark.parametrize(("ocr_text", "fixed"), REPAIRS, ids=[r[0] for r in REPAIRS])
def test_repairs(ocr_text: str, fixed: str) -> None:
    assert repair(ocr_text) == fixed
    assert len(repair(ocr_text)) == len(ocr_text)


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert repair(text) == text


def test_red_header(font_path: Path) -> None:
    assert red_header(render_document(font_path, marking=None))
    assert not red_header(render_document(font_path, marking=None, red=False))
    assert not red_header(holiday_photo())
