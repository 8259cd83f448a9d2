"""The evasion test set: real cues in evasive spellings, and near-misses that must stay quiet.

Every positive base text is expanded into variants (traditional, full width, spaced,
symbol-split, zero-width; pinyin and mixed 汉字/pinyin spellings of lexicon terms); every near-miss gets the
same variants and must stay negative. `evaluate()` gives precision and recall per detector;
`bench/bench_evasion.py` writes them to bench/results/evasion.json, and the test module
guards them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import opencc

from redline.contracts import BuildContext, TextDetectorFactory, Trigger
from redline.registry import TEXT_DETECTORS
from redline.scan.engine import scan_hits

LEXICONS = {"evasion-terms": ("红包|pinyin", "购物卡", "不得外传", "示例违规术语|pinyin|initials")}
CONFIGS: dict[str, dict[str, Any]] = {"lexicon": {"lexicon": "evasion-terms"}}

POSITIVE: dict[str, list[str]] = {
    "lexicon": ["给你发了个红包", "这张购物卡收好", "材料不得外传", "转发示例违规术语的文章"],
    "secret_marks": ["机密★1年 市委常委会会议纪要", "绝密★长期", "秘密★5年 请各单位传达",
                     "密级：机密", "【绝密】关于人事调整的请示", "内部资料，注意保存"],
    "doc_number": ["请学习市政办发〔2017〕12号文件", "某政〔2019〕3号已印发", "按照市委发[2020]8号通知执行"],
    "pii": ["身份证号110105194912310 02X", "我的身份证11010519491231002X", "电话13812345678",
            "手机一三八一二三四五六七八", "卡号6222021234567890128"],
    "gambling": ["今晚群里押大小，一百起押", "六合彩这期买几注", "发个红包接龙，踩雷的赔双倍",
                 "牛牛抢庄，一把五十"],
    "canvassing": ["换届选举的时候请大家投我一票", "民主推荐时记得帮我拉票", "选举那天记得写我的名字",
                   "换届选举时请大家投老王一票", "村委选举请支持张三当选"],
    "gift_offer": ["王老板发来一个红包，以后多关照", "这张购物卡您收下吧，招标的事还请费心",
                   "一点心意，审批的事麻烦您了", "这是好处费，事成之后还有"],
    "flattery": ["书记高瞻远瞩，我们深受教育", "群主英明！", "领导讲得太好了，字字珠玑", "领导辛苦了"],
}
NEAR_MISS: dict[str, list[str]] = {
    "lexicon": ["红色的包装盒", "购物中心打卡", "外传球很漂亮"],
    "secret_marks": ["保密工作会议明天召开", "这是我们的小秘密", "秘密花园很好看", "注意保密",
                     "数据机密性要求高", "保守国家秘密是每个公民的义务", "严禁在微信群传送机密文件",
                     "秘密文件管理办法学习"],
    "doc_number": ["会议室在3号楼", "(2023)5号", "（2023）京0105民初12号", "2017年12号开会"],
    "pii": ["身份证号110105194912310021", "电话12345678901", "编号1234567890123456",
            "订单号4539148803436467", "会议定于2024年3月5日召开，预计200人"],
    "gambling": ["工作群接龙：收到请回复", "请把会议纪要接龙确认收到", "排雷作业安全培训",
                 "抢到红包了，谢谢领导", "今天下午开展禁赌宣传"],
    "canvassing": ["换届选举工作领导小组会议通知", "请各位代表明天上午准时参加投票", "帮我家宝宝拉票，谢谢",
                   "我在选举中投了一票", "干部考察实行一票否决"],
    "gift_offer": ["给外婆发了个生日红包", "过年给孩子们发了压岁红包", "单位团拜会通知", "审批材料已经提交"],
    "flattery": ["收到，马上落实", "这个方案讲得很清楚，我们照办", "大家辛苦了", "领导，材料明天交"],
}

_S2T = opencc.OpenCC("s2t")
_FULL = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}


def _split(text: str, sep: str) -> str:
    return sep.join(text)


VARIANTS: dict[str, Callable[[str], str]] = {
    "plain": lambda t: t,
    "traditional": _S2T.convert,
    "full_width": lambda t: "".join(_FULL.get(c, c) for c in t),
    "spaced": lambda t: _split(t, " "),
    "symbol_split": lambda t: _split(t, "·"),
    "emoji_split": lambda t: _split(t, "🧧"),
    "zero_width": lambda t: _split(t, "\u200b"),
}
PINYIN = {"lexicon": ["给你发了个hongbao", "转发shiliweiguishuyu的文章", "转发slwgsy的文章",
                      "这张gouwu ka收好", "材料bu de wai chuan", "材料不de外chuan", "给你发了个hong包",
                      "这张购wu卡收好", "材料 bu de 外传", "给你发了个 hong 包"]}
PINYIN_NEAR_MISS = {"lexicon": ["买了shanghongbaoxian", "gouwukaka", "bude"]}


@dataclass(frozen=True, slots=True)
class Case:
    """One text for one detector, and whether it should raise a hit."""

    detector: str
    variant: str
    text: str
    positive: bool


def cases() -> list[Case]:
    """Every base text in every variant, plus the pinyin cases."""
    out: list[Case] = []
    for positive, table in ((True, POSITIVE), (False, NEAR_MISS)):
        for detector, texts in table.items():
            for text in texts:
                out.extend(Case(detector, name, fn(text), positive) for name, fn in VARIANTS.items())
    out.extend(Case(d, "pinyin", t, True) for d, texts in PINYIN.items() for t in texts)
    out.extend(Case(d, "pinyin", t, False) for d, texts in PINYIN_NEAR_MISS.items() for t in texts)
    return out


def build(key: str) -> Any:
    """The registered detector `key` with its default (or evasion-set) config."""
    factory: type[TextDetectorFactory] = TEXT_DETECTORS[key]
    config = factory.Config.model_validate(CONFIGS.get(key, {}))
    return factory.build([Trigger("E", "E#0", config)], BuildContext(lexicons=LEXICONS))


def evaluate() -> dict[str, Any]:
    """Precision, recall and the misses per detector, over every case."""
    by_detector: dict[str, list[Case]] = {}
    for case in cases():
        by_detector.setdefault(case.detector, []).append(case)
    report: dict[str, Any] = {}
    for key, items in sorted(by_detector.items()):
        hits = scan_hits([build(key)], [c.text for c in items])
        flagged = {h.row for h in hits}
        tp = sum(1 for i, c in enumerate(items) if c.positive and i in flagged)
        fp = sum(1 for i, c in enumerate(items) if not c.positive and i in flagged)
        fn = sum(1 for i, c in enumerate(items) if c.positive and i not in flagged)
        report[key] = {
            "cases": len(items),
            "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
            "false_positives": [f"{c.variant}: {c.text}" for i, c in enumerate(items) if not c.positive and i in flagged],
            "misses": [f"{c.variant}: {c.text}" for i, c in enumerate(items) if c.positive and i not in flagged],
        }
    return report
