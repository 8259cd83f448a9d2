"""secret_marks: 密级 markings in context, their evasions, and ordinary words that are not."""

from __future__ import annotations

import pytest

from redline.detectors.secret_marks import SecretMarksDetector

CASES = [
    ("机密★1年 市委常委会会议纪要", ["机密★1年"]),
    ("秘密★5年 请各单位传达", ["秘密★5年"]),
    ("绝密★长期", ["绝密★长期"]),
    ("绝密☆", ["绝密☆"]),
    # evasions: traditional, spaced, symbol-split, full width, Chinese numerals
    ("機密★壹年", ["機密★壹年"]),
    ("绝 密 ★ 长期", ["绝 密 ★ 长期"]),
    ("机.密★5年", ["机.密★5年"]),
    ("机*密★10年", ["机*密★10年"]),
    ("机密★１０年", ["机密★１０年"]),
    ("密级：机密", ["密级：机密"]),
    ("【秘密】关于干部调整的请示", ["【秘密"]),
    ("绝密文件，请勿外传", ["绝密文件", "请勿外传"]),
    ("机密", ["机密"]),
    ("内部资料，注意保存", ["内部资料", "注意保存"]),
    ("不 得 外 传", ["不 得 外 传"]),
    # counter-examples: 秘密/机密 as ordinary words, 保密 is not a marking
    ("保密工作会议明天召开", []),
    ("这是我们的小秘密", []),
    ("秘密花园很好看", []),
    ("注意保密", []),
    ("数据机密性要求", []),
    ("ＪＩ密", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_markings(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(SecretMarksDetector, text)] == expected


def test_levels_only_config_drops_weak_markings(detect) -> None:
    hits = detect(SecretMarksDetector, "绝密文件，请勿外传", {"weak": False})
    assert hits == [("绝密文件", "level with a document noun")]
