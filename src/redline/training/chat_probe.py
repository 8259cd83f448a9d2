"""Hand-written work-chat probe for `clf.promotion`: never trained on, only reported.

Written for Redline (not from any data set) to test generalisation to chat the model never
saw: 微商-style selling in work groups (other trades than the QQ gaming ads it learnt from)
and ordinary work messages that share words with ads (出差, 收到, 价格, 联系).
"""

from __future__ import annotations

from typing import Final

ADS: Final[tuple[str, ...]] = (
    "本店新到一批阳澄湖大闸蟹，198元一盒包邮，需要的加微信13912345678",
    "代购韩国化妆品，正品保证，有意者私聊",
    "兼职刷单日结，加QQ 123456789",
    "点击链接领取优惠券 https://s.click.taobao.com/abc 券后39.9元",
    "各位领导，我家茶叶新上市，明前龙井，500一斤，欢迎品尝订购",
    "出售二手iPhone13，九成新，2800元，需要的联系我",
    "朋友圈卖的面膜今天特价，99元三盒，下单送小样",
    "招代理，零投资，月入过万，详情加微信",
    "自家果园脐橙上市了，10斤装68元包邮，欢迎团购",
    "淘宝店铺开业大酬宾，全场五折，链接在群公告",
    "低价出售演唱会门票两张，需要的私聊",
    "专业代办营业执照，价格优惠，电话13800000000",
)
WORK: Final[tuple[str, ...]] = (
    "收到，明天上午九点开会",
    "出差报销单已经交了",
    "王处长，材料已经报送，请审阅",
    "今天的会议纪要请大家查收",
    "下午三点去市场监管局核实价格投诉",
    "请各科室于周五前报送本月工作总结",
    "有事请联系办公室小李，电话在通讯录里",
    "关于招标文件的意见已经汇总，请领导审定",
    "明天降温，大家注意保暖",
    "群里的通知都看一下，周一检查考勤",
    "这个项目的预算还需要财务再核一下",
    "收到，马上安排人员去现场",
)


def probe() -> tuple[list[str], list[bool]]:
    """(texts, labels) of the probe: True = promotion."""
    return list(ADS) + list(WORK), [True] * len(ADS) + [False] * len(WORK)
