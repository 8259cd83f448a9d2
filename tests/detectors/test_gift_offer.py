"""gift_offer: gifts offered for a favour; family red packets are not leads."""

from __future__ import annotations

import pytest

from redline.detectors.gift_offer import GiftOfferDetector

CASES = [
    ("王老板发来一个红包:节日快乐,以后多关照", ["红包:节日快乐,以后多关照"]),
    ("连发了十个红包，土地审批的事麻烦您关照", ["红包，土地审批"]),
    ("这是好处费，事成之后还有", ["好处费，事成"]),
    ("钱不多，就是一点心意，验收的事您费心了", ["一点心意，验收"]),
    ("这张购物卡您收下吧，招标的事还请费心", ["购物卡您收下"]),
    # evasions: traditional, symbol-split, full width
    ("发个紅包，以後還望關照", ["紅包，以後還望關照"]),
    ("加.油.卡给您放桌上了，审批的事多关照", ["加.油.卡给您放桌上了，审批"]),
    ("红🧧包收下，项目的事您多费心", ["红🧧包收下"]),
    # counter-examples
    ("给外婆发了个生日红包", []),
    ("过年给孩子们发了压岁红包", []),
    ("单位团拜会通知", []),
    ("审批材料已经提交", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gift_offer(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(GiftOfferDetector, text)] == expected


def test_why_records_cue_and_context(detect) -> None:
    assert detect(GiftOfferDetector, "红包收下，多关照") == [("红包收下", "weak cue 红包; favour 收下")]
