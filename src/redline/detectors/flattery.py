"""The flattery detector: praise addressed to a leader or the group owner (吹捧, 对群主表扬).

武汉 group rule 3: 不能对群主进行表扬. Praise words count only with an addressee (领导,
书记, 群主 …) nearby, so a plain "讲得很清楚" is not a lead.
"""

from __future__ import annotations

from typing import ClassVar

from redline.detectors.cues import CueDetector, CueVocabulary


class FlatteryDetector(CueDetector):
    """高瞻远瞩, 英明, 讲得太好了, 辛苦了 … next to 领导/书记/群主."""

    name: ClassVar[str] = "flattery"
    VOCABULARY: ClassVar[CueVocabulary] = CueVocabulary(
        strong=("英明领导", "英明的领导", "领导英明", "群主英明"),
        weak=(
            "高瞻远瞩", "英明", "讲得太好了", "说得太好了", "讲得真好", "讲得好", "高屋建瓴",
            "醍醐灌顶", "字字珠玑", "掷地有声", "远见卓识", "雄才大略", "运筹帷幄", "领导有方",
            "辛苦了", "水平就是高", "水平真高", "太佩服", "深受教育", "受益匪浅", "伟大",
            "前途无量", "马首是瞻", "紧跟领导", "跟着您干", "您说了算", "唯命是从",
        ),
        context=(
            "领导", "书记", "局长", "县长", "市长", "省长", "区长", "镇长", "主任", "处长",
            "科长", "部长", "厅长", "主席", "群主", "首长", "老板",
        ),
        context_name="addressee",
        # the party's or an office's leadership, not a leader praised: 坚持党的领导是我们伟大事业…
        not_context=("党的领导", "党的坚强领导", "坚强领导", "领导下", "领导干部", "领导班子", "领导小组", "领导体制",
                     "领导核心", "集中统一领导", "组织领导", "领导作用"),
    )
