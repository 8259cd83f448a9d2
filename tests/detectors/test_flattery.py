"""flattery: praise addressed to a leader or the group owner; plain praise is not a lead."""

from __future__ import annotations

import pytest

from redline.detectors.flattery import FlatteryDetector

CASES = [
    ("书记高瞻远瞩，我们深受教育", ["书记高瞻远瞩，我们深受教育"]),
    ("群主英明！", ["群主英明"]),
    ("领导讲得太好了，字字珠玑", ["领导讲得太好了，字字珠玑"]),
    ("领导辛苦了", ["领导辛苦了"]),
    ("跟着局长干，前途无量", ["局长干，前途无量"]),
    # evasions
    ("領導英明", ["領導英明"]),
    ("群 主 英 明", ["群 主 英 明"]),
    # counter-examples
    ("前途无量的事业需要大家共同努力", []),
    ("收到，马上落实", []),
    ("这个方案讲得很清楚，我们照办", []),
    ("大家辛苦了", []),
    ("领导，材料明天交", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_flattery(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(FlatteryDetector, text)] == expected
