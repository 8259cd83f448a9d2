"""The canvassing detector: asking for votes (拉票) around elections and recommendations.

浙江 rule 8: 不以任何形式进行拉票贿选. 拉票 and 投我一票 are ordinary in photo contests,
so they count only near an election word (换届, 民主推荐, 选举, 测评 …). Asking for votes
for someone else (投老王一票) is a pattern with a slot for the name.
"""

from __future__ import annotations

from typing import ClassVar

from redline.detectors.cues import CueDetector, CueVocabulary


class CanvassingDetector(CueDetector):
    """拉票, 投我一票, 写我的名字 … within reach of 换届/推荐/选举."""

    name: ClassVar[str] = "canvassing"
    VOCABULARY: ClassVar[CueVocabulary] = CueVocabulary(
        strong=("拉票贿选", "贿选", "买票"),
        weak=(
            "拉票", "投我一票", "投我的票", "给我投票", "投票给我", "投他一票", "投她一票",
            "写我的名字", "选我", "推荐我", "支持我", "关键一票", "多投", "打招呼", "不会亏待",
            "给我打优秀", "打个优秀", "给我打高分", "说句好话", "美言几句", "多美言",
        ),
        context=(
            "换届", "推荐", "选举", "测评", "考察", "提拔", "候选人", "人大代表", "党代表",
            "选票", "票数", "竞聘", "村委", "投票",
        ),
        context_name="election word",
        # someone else's name in the slot (投老王一票, 选张三当村主任, 写李四的名字); 了/过
        # after 投 is a vote cast (投了一票), not a request
        weak_patterns=(
            ("一票", r"投(?:给)?(?![了过出入资])[\u4e00-\u9fff]{1,4}一票", "投…一票"),
            ("当选", r"(?:支持|投|选|推)(?![了过])[\u4e00-\u9fff]{1,4}当选", "支持…当选"),
            ("的名字", r"写(?:上)?(?![了过])[\u4e00-\u9fff]{1,4}的名字", "写…的名字"),
        ),
    )
