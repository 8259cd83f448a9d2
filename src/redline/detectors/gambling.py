"""The gambling detector: red-packet games and betting talk (红包赌博), with stakes nearby.

奉新 rule: 严禁以微信红包的形式进行赌博. Game names that also have innocent meanings
(接龙 sign-up lists, 扫雷 the computer game, 牛牛 a nickname) count only next to a stake.
"""

from __future__ import annotations

from typing import ClassVar

from redline.detectors.cues import CueDetector, CueVocabulary


class GamblingDetector(CueDetector):
    """押大小, 六合彩, 红包扫雷/牛牛/接龙 with stakes (赔, 倍, 庄, 押 …)."""

    name: ClassVar[str] = "gambling"
    VOCABULARY: ClassVar[CueVocabulary] = CueVocabulary(
        strong=(
            "押大小", "六合彩", "时时彩", "百家乐", "赌球", "下注", "赌资", "特码", "买码",
            "红包接龙", "红包扫雷", "扫雷红包", "红包牛牛", "牛牛红包", "抢庄", "踩雷赔", "赔率",
        ),
        weak=("牛牛", "踩雷", "扫雷", "中雷", "接龙", "押注", "坐庄", "庄家", "尾数"),
        context=(
            "赔", "倍", "庄", "押", "输", "赢", "雷", "尾数", "发包", "一把", "一局",
            "最小的接着发", "最大的接着发", "手气最差", "起押", "赌",
        ),
        context_name="stake",
    )
