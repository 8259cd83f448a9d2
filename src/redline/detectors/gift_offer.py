"""The gift-offer detector: red packets, cards and vouchers offered for a favour (送礼).

天津 rule 6: 严禁利用微信接受或赠送可能影响公正执行公务的微信红包或电子礼券. A red packet
alone is family life (压岁红包); next to 关照, 审批, 招标, 费心 … it is a lead.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from redline.detectors.cues import CueConfig, CueDetector, CueVocabulary


class GiftOfferConfig(CueConfig):
    """Gift and favour may sit in different clauses: a wider default window."""

    window: int = 24


class GiftOfferDetector(CueDetector):
    """红包/购物卡/礼券/加油卡 … with 关照/心意/审批/招标 nearby; 好处费 on its own."""

    name: ClassVar[str] = "gift_offer"
    Config: ClassVar[type[BaseModel]] = GiftOfferConfig
    VOCABULARY: ClassVar[CueVocabulary] = CueVocabulary(
        strong=("好处费", "回扣"),
        weak=(
            "红包", "购物卡", "礼券", "电子礼券", "加油卡", "礼品卡", "充值卡", "消费卡",
            "代金券", "提货券", "提货卡", "礼金", "辛苦费", "一点心意", "小意思", "意思意思",
            "好茶", "两盒茶", "好酒", "两瓶酒", "茅台", "两条烟", "一条烟",
        ),
        context=(
            "关照", "照顾", "审批", "招标", "投标", "中标", "项目", "费心", "收下", "笑纳",
            "办事", "验收", "签字", "手续", "高抬贵手", "事成", "打点", "心意", "辛苦您",
            "麻烦您", "批一下",
        ),
        context_name="favour",
    )
