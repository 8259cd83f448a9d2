"""pii: resident IDs (GB 11643), mobiles (number plan), bank cards (Luhn + context), home addresses."""

from __future__ import annotations

import pytest

from redline.detectors.pii import PiiDetector

CASES = [
    ("我的身份证11010519491231002X", [("11010519491231002X", "resident_id")]),
    ("身份证号 110105 19491231 002X", [("110105 19491231 002X", "resident_id")]),
    ("１１０１０５１９４９１２３１００２Ｘ", [("１１０１０５１９４９１２３１００２Ｘ", "resident_id")]),
    ("11010519491231002x。", [("11010519491231002x", "resident_id")]),
    ("110105194912310021", []),  # checksum fails
    ("110105194913310021", []),  # checksum ok, no 13th month
    ("99999919800101002X", [("99999919800101002X", "resident_id")]),  # place unknown: confidence only
    ("电话13812345678", [("13812345678", "mobile")]),
    ("电话 138 1234 5678", [("138 1234 5678", "mobile")]),
    ("电话138-1234-5678", [("138-1234-5678", "mobile")]),
    ("+86 13812345678", [("+86 13812345678", "mobile")]),
    ("手机一三八一二三四五六七八", [("一三八一二三四五六七八", "mobile")]),
    ("手机１３８１２３４５６７８", [("１３８１２３４５６７８", "mobile")]),
    ("电话12345678901", []),  # not a mobile number plan
    ("联系人：王科长，电话13812345678", []),  # a number given to be called: a notice
    ("报名请联系小李 13900001111", []),
    ("老王老婆的电话是13712345678", [("13712345678", "mobile")]),
    ("138123456789", []),  # 12 digits: not a mobile
    ("卡号6222 0212 3456 7890 128", [("6222 0212 3456 7890 128", "bank_card")]),
    ("6222021234567890128", [("6222021234567890128", "bank_card")]),  # UnionPay prefix
    ("编号1234567890123456", []),  # Luhn fails
    ("订单号4539148803436467", []),  # Luhn ok, but no context and no UnionPay prefix
    ("转账到4539148803436467", [("4539148803436467", "bank_card")]),
    ("会议定于2024年3月5日召开，预计200人", []),
    # home addresses: building + unit/room, or a street number after a residence word
    ("他家住幸福小区3栋2单元501", [("家住幸福小区3栋2单元501", "home_address")]),
    ("锦绣花园12幢1单元302室", [("锦绣花园12幢1单元302室", "home_address")]),
    ("幸福小区三栋二单元五零一", [("幸福小区三栋二单元五零一", "home_address")]),  # numerals
    ("家住人民路12号", [("家住人民路12号", "home_address")]),
    ("3栋501是她家", [("3栋501", "home_address")]),
    ("会议在5号楼302召开", []),  # an office as often as a flat
    ("5号楼302会议室", []),
    ("会议地点：人民路12号", []),  # a street address without a residence word
    ("第三单元复习", []),
    ("住址：幸福小区3栋2单元501，电话13812345678",
     [("住址：幸福小区3栋2单元501", "home_address"), ("13812345678", "mobile")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_pii(detect, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(ev, why.split(":")[0]) for ev, why in detect(PiiDetector, text)] == expected


def test_addresses_only_for_triggers_that_want_them(detect) -> None:
    text = "他家住幸福小区3栋2单元501"
    assert detect(PiiDetector, text, {"kinds": ["mobile", "resident_id"]}) == []
    assert [ev for ev, _ in detect(PiiDetector, text, {"kinds": ["home_address"]})] == ["家住幸福小区3栋2单元501"]


def test_kinds_narrow_a_trigger(detect) -> None:
    text = "身份证11010519491231002X 电话13812345678"
    assert [ev for ev, _ in detect(PiiDetector, text, {"kinds": ["mobile"]})] == ["13812345678"]


def test_batch_digit_folding_equals_translating_each_row() -> None:
    import numpy as np

    from redline.detectors.pii import _TO_DIGITS, _digit_folded
    from redline.text.normalize import normalize_batch

    texts = ["电话一三八一二三四五六七八", "", "幺三九 零零零 勾拐两", "１３８-1234-5678", "没有数字"]
    batch = normalize_batch(texts)
    rows = np.array([0, 2, 3], dtype=np.int64)
    folded = _digit_folded(batch.texts, batch.texts.joined, rows)
    assert folded == [batch.texts[r].translate(_TO_DIGITS) for r in (0, 2, 3)]
    assert folded[0] == "电话13812345678"
    assert _digit_folded(texts, batch.texts.joined, rows) == [texts[r].translate(_TO_DIGITS) for r in (0, 2, 3)]
