"""notices: a term quoted by a rule reminder or a topic name is no hit; a term used is."""

from __future__ import annotations

import pytest

from redline.detectors.lexicon import LexiconDetector
from redline.detectors.secret_marks import SecretMarksDetector

LEXICONS = {"secrets": ("机密文件", "涉密文件", "不得外传"), "gifts": ("红包", "购物卡")}

CASES = [
    ("这是县委的机密文件，大家看看", ["机密文件"]),
    ("严禁在微信群传送机密文件", []),  # a reminder
    ("关于加强涉密文件管理的通知", []),  # a topic (涉密文件管理)
    ("涉密文件的管理要加强", []),
    ("严禁收受红包", []),
    ("严禁转发!!!!这是机密文件", ["机密文件"]),  # the clause ended (a run of four stays in the text)
    # punctuation between two 汉字 is gone after normalisation (机。密 reads 机密), so there
    # only the distance counts; a marker such as 严禁外传 is a term of its own
    ("严禁外传。这是机密文件", []),
    ("不要告诉别人，这是机密文件", ["机密文件"]),  # everyday 不要 is not a notice
    ("别外传这份机密文件", ["机密文件"]),
    ("不得外传的机密文件发群里了", ["不得外传"]),  # the marker stays a hit of its own
    ("严禁在工作群里发与工作无关的内容，发个红包庆祝一下", ["红包"]),
    ("严禁" + "在" * 20 + "收购物卡", ["购物卡"]),  # too far from the prohibition
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_lexicon_hits_outside_notices(detect, text: str, expected: list[str]) -> None:
    found = detect(LexiconDetector, text, {"lexicon": ["secrets", "gifts"]}, LEXICONS)
    assert [ev for ev, _ in found] == expected


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("机密★1年 会议纪要", True), ("严禁在微信群传送机密文件", False), ("秘密文件管理办法学习", False)],
)
def test_secret_marks_outside_notices(detect, text: str, flagged: bool) -> None:
    assert bool(detect(SecretMarksDetector, text)) is flagged
