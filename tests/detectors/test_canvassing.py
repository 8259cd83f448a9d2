"""canvassing: asking for votes near an election word; photo-contest votes are not leads."""

from __future__ import annotations

import pytest

from redline.detectors.canvassing import CanvassingDetector

CASES = [
    ("换届选举的时候请大家投我一票", ["选举的时候请大家投我一票"]),
    ("民主推荐时记得帮我拉票", ["推荐时记得帮我拉票"]),
    ("选举那天记得写我的名字", ["选举那天记得写我的名字"]),
    ("严禁拉票贿选", []),  # a reminder (notices)
    ("民主测评请给我打优秀", ["测评请给我打优秀"]),
    ("推荐干部时帮我说句好话", ["推荐干部时帮我说句好话"]),
    # votes asked for someone else: a slot for the name
    ("明天换届选举，请大家投老王一票", ["选举，请大家投老王一票"]),
    ("村委选举请支持张三当选", ["选举请支持张三当选"]),
    ("选举那天写上李四的名字", ["选举那天写上李四的名字"]),
    ("換屆選舉時，請投給老王一票", ["選舉時，請投給老王一票"]),
    # evasions
    ("換屆時請投我一票", ["換屆時請投我一票"]),
    ("换届时请投·我·一·票", ["换届时请投·我·一·票"]),
    # counter-examples
    ("换届选举工作领导小组会议通知", []),
    ("请各位代表明天上午准时参加投票", []),
    ("帮我家宝宝拉票，谢谢", []),
    ("投我一票，宝宝摄影大赛", []),
    ("我在选举中投了一票", []),  # a vote cast, not asked for
    ("干部考察实行一票否决", []),
    ("投老王一票", []),  # no election word near
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_canvassing(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(CanvassingDetector, text)] == expected
