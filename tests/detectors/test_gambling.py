"""gambling: red-packet games and betting talk with stakes; 接龙 sign-ups are not gambling."""

from __future__ import annotations

import pytest

from redline.detectors.gambling import GamblingDetector

CASES = [
    ("群里玩红包接龙，最小的接着发", ["红包接龙，最小的接着发"]),
    ("发包扫雷，尾数6踩雷赔1.5倍", ["发包扫雷，尾数6踩雷赔"]),
    ("牛牛抢庄，一把五十", ["牛牛抢庄，一把"]),
    ("今晚押大小，来的扣1", ["押大小"]),
    ("六合彩这期买几注", ["六合彩"]),
    # evasions: spaced, traditional, full width, symbol-split
    ("六 合 彩这期买几注", ["六 合 彩"]),
    ("紅包接龍，踩雷賠雙倍", ["紅包接龍，踩雷賠雙倍"]),
    ("押*大*小，一百起押", ["押*大*小，一百起押"]),
    # counter-examples
    ("工作群接龙：收到请回复", []),
    ("请把会议纪要接龙确认收到", []),
    ("排雷作业安全培训", []),
    ("抢到红包了，谢谢领导", []),
    ("今天下午开展禁赌宣传", []),
    ("周末玩扫雷游戏放松一下", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gambling(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(GamblingDetector, text)] == expected


def test_window_bounds_the_stake(detect) -> None:
    text = "牛牛" + "今天天气不错我们去公园走走吧" * 2 + "赔"
    assert detect(GamblingDetector, text, {"window": 5}) == []
    assert [ev for ev, _ in detect(GamblingDetector, text, {"window": 40})] == [text]
