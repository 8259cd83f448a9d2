"""Rendered documents and photos through OCR and the packs: markings found (rotated, blurred,
darkened like phone photos), neutral documents and photos not flagged; recall and precision."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from redline.attachments.screen import UNREADABLE_RULE, screen_files
from redline.attachments.specimens import holiday_photo, like_a_phone, render_document
from redline.rules.build import build_plan
from redline.rules.plan import ScanPlan


@pytest.fixture(scope="module")
def plan() -> ScanPlan:
    return build_plan("all").plan


def _cases(font: Path) -> list[tuple[str, Image.Image, bool]]:
    """(name, image, holds a secrecy marking)."""
    return [
        ("red-header-photo", like_a_phone(render_document(font, marking="机密★1年")), True),
        ("dark-tilted-secret", like_a_phone(render_document(font, marking="秘密★6个月"), angle=-4, light=0.55), True),
        ("top-secret-scan", render_document(font, marking="绝密★长期", issuer="某某县人民政府文件", number="县政〔2026〕3号"), True),
        ("neutral-notice", like_a_phone(render_document(
            font, marking=None, number="县委办〔2026〕13号", title="关于开展秋季爱国卫生运动的通知",
            lines=["各单位：", "请于本周五前完成办公区域卫生清理。", "联系人：办公室 小王"])), False),
        ("security-meeting", render_document(font, marking=None, title="关于召开保密工作会议的通知",
                                              lines=["定于周三下午在三楼会议室召开保密工作会议。"]), False),
        ("holiday", holiday_photo(), False),
    ]


def test_markings_found_and_neutral_files_not_flagged(plan: ScanPlan, font_path: Path, tmp_path: Path) -> None:
    expected = {}
    for name, image, marked in _cases(font_path):
        image.save(tmp_path / f"{name}.jpg", quality=85)
        expected[f"{name}.jpg"] = marked
    reports = screen_files(plan, sorted(tmp_path.glob("*.jpg")))
    flagged = {Path(r.extracted.path).name: any(x["category"] == "secrets" for x in r.records) for r in reports}
    assert flagged == expected  # recall and precision 1.0 here; bench_attachments measures a larger set
    secret = next(r for r in reports if r.extracted.path.name == "red-header-photo.jpg")
    marking = next(x for x in secret.records if x["evidence"] == "机密★1年")
    assert marking["red_header"] is True
    assert len(marking["boxes"]) == 1  # the evidence region on the photo, for the console
    assert next(r for r in reports if r.extracted.path.name == "holiday.jpg").extracted.skipped == "no text in the photo"


def test_same_content_is_read_once_and_unreadable_files_are_findings(plan: ScanPlan, font_path: Path,
                                                                      tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("附件：机密★1年 请勿外传", encoding="utf-8")
    (tmp_path / "b.txt").write_text("附件：机密★1年 请勿外传", encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    reports = screen_files(plan, [tmp_path])
    by_name = {Path(r.records[0]["file"]).name: r for r in reports if r.records}
    assert "机密★1年" in {x["evidence"] for x in by_name["a.txt"].records}
    assert [x["evidence"] for x in by_name["a.txt"].records] == [x["evidence"] for x in by_name["b.txt"].records]
    assert by_name["a.txt"].extracted is by_name["b.txt"].extracted  # read once
    assert by_name["c.pdf"].records[0]["rule_id"] == UNREADABLE_RULE
