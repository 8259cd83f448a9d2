"""The detectors' evidence notes (`why`) in Chinese, for the Chinese sentence of a finding.

Detectors write their `why` in a small fixed English vocabulary ("weak cue 牛牛; stake 一把",
"resident_id: GB 11643 checksum ok", "term 红包 (pinyin)"). A reviewer reads the Chinese
sentence, so each part is put into Chinese here; a part this module does not know is kept as
written (a new detector's note is shown rather than lost). Notes repeat a lot: the
translation is cached.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from redline.reasons.words import CATEGORY_ZH

_KEYWORD_ZH: Final = {  # "<keyword> <value>" parts: cues and their context words
    "strong cue": "强线索",
    "weak cue": "弱线索",
    "election word": "附近有选举用语",
    "stake": "附近有赌注用语",
    "favour": "附近有请托用语",
    "addressee": "称呼对象",
    "issuer": "发文机关",
    # the frames detector: "frame <title>; act 拍照; object 红头文件; state 还没印发"
    "frame": "行为框架",
    "act": "行为",
    "object": "对象",
    "state": "状态",
    "recipient": "收受人",
    "game": "牌局",
    "tool": "工具",
    "occasion": "场合",
    "bond": "关系",
    "purpose": "用途",
    "party": "对方",
    "gift": "礼品",
    "vote": "选票",
    "info": "个人信息",
    "target": "涉及人",
}
_FIXED_ZH: Final = {  # whole parts
    "resident_id: GB 11643 checksum ok": "身份证号（GB 11643 校验位正确）",
    "mobile: valid number plan": "手机号码（号段有效）",
    "bank_card: Luhn ok": "银行卡号（Luhn 校验通过）",
    "UnionPay prefix": "银联卡号段",
    "card context": "有卡号语境",
    "home_address: building, unit/room": "住址（楼栋、单元或房号）",
    "home_address: street number after a residence word": "住址（居住用语后的门牌号）",
    "residence word": "有居住用语",
    "document number": "文号",
    "document word": "有“文件/通知”等字样",
    "level with ★": "密级加★标志",
    "bracketed level": "括号中的密级",
    "marking": "涉密提示语",
    "密级 field": "“密级”栏",
    # clf.conduct's alongside leads (detectors/classifiers/conduct_alongside.py)
    "second category beside a lead in another": "该消息已有其他类别的线索，此为同一消息的第二个类别（阈值按规则设定的比例降低）",
}
_TERM: Final = re.compile(r"^term (?P<term>.+?)(?P<form> \((?:pinyin|initials)\))?(?P<stutter> \(repeated characters\))?$")
_FORM_ZH: Final = {" (pinyin)": "的拼音或拼音混写", " (initials)": "的拼音首字母"}
_NEAR: Final = re.compile(r"^(?P<a>.+) near (?P<b>.+)$")
# the category-model note of clf.conduct, e.g. model clf.conduct v1.0.0, gifts score 0.873 over 0.420
_CATEGORY_MODEL: Final = re.compile(
    r"^model (?P<name>\S+) (?P<version>v\S+): (?P<category>[a-z_]+) score (?P<score>[\d.]+) "
    r"≥ threshold (?P<threshold>[\d.]+)$")
_EVIDENCE_GRAMS: Final = "evidence n-grams "
_MODEL: Final = re.compile(r"^model (?P<name>\S+) (?P<version>v\S+): score (?P<score>[\d.]+) ≥ threshold (?P<threshold>[\d.]+)$")


@functools.lru_cache(maxsize=65536)
def why_zh(why: str) -> str:
    """The Chinese of one `why` (parts separated by "; " become "，")."""
    return "，".join(_part_zh(part) for part in why.split("; ")) if why else ""


def _part_zh(part: str) -> str:
    fixed = _FIXED_ZH.get(part)
    if fixed is not None:
        return fixed
    term = _TERM.match(part)
    if term:
        stutter = "（叠字写法）" if term["stutter"] else ""
        return f"词条“{term['term']}”{_FORM_ZH.get(term['form'] or '', '')}{stutter}"
    for keyword, zh in _KEYWORD_ZH.items():
        if part.startswith(keyword + " "):
            return f"{zh}“{part[len(keyword) + 1:].strip()}”"
    if part.startswith(_EVIDENCE_GRAMS):
        return f"起主要作用的字词{part[len(_EVIDENCE_GRAMS):]}"
    category_model = _CATEGORY_MODEL.match(part)
    if category_model:
        cat = CATEGORY_ZH.get(category_model["category"], category_model["category"])
        return (f"模型 {category_model['name']} {category_model['version']} 判断“{cat}”的评分 "
                f"{category_model['score']}，达到阈值 {category_model['threshold']}")
    model = _MODEL.match(part)
    if model:
        return (f"模型 {model['name']} {model['version']} 评分 {model['score']}，"
                f"达到阈值 {model['threshold']}")
    near = _NEAR.match(part)
    if near:
        return f"“{near['a']}”附近有“{near['b']}”"
    return part
