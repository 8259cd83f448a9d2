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
    # the party's leadership is no leader addressed (not_context)
    ("坚持党的领导是我们伟大事业取得成功的根本保证", []),
    ("在党的坚强领导下，全县人民团结奋斗，取得了伟大成就", []),
    ("领导干部要带头，伟大的时代需要伟大的精神", []),
    ("书记伟大，在书记的领导下我们前途无量", ["书记伟大", "书记的领导下我们前途无量"]),  # 书记 still addresses
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_flattery(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(FlatteryDetector, text)] == expected
