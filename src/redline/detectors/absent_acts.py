"""Checks that a message's own content shows the act a model suspects is absent.

A model reads "昨晚吃饭一共360，6个人每人60，转我" as a gambling settlement: money, last night, a
share per person, "transfer to me". The arithmetic says otherwise: 360 shared by 6 is 60 each, a
bill split evenly (AA制, a legitimate money flow); a stake is won and lost, not divided. A pack
names such checks in a model rule's `unless_checks:`; a message a check holds for gets no lead
of that rule. Each check is cheap and runs only on the few messages a model would lead on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

_DIGITS: Final = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_NUMBER: Final = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_TOTAL: Final = re.compile(r"(?:一共|总共|合计|共计|总计|总额|总价|买单)(?:花了|花|是|消费|用了)?" + _NUMBER)
_PEOPLE: Final = re.compile(_NUMBER + r"个?(?:人|位)")
_EACH: Final = re.compile(r"(?:每人|每个人|人均|一人|每位)(?:是|摊|出|分摊|转)?" + _NUMBER)
# words of a game or a stake: with one of them the split may be a pot, not a bill
_STAKE: Final = re.compile(r"输|赢|庄家|坐庄|底分|打底|番|胡了|炸弹|[一这上下每]把|[一这上下每]局|[一这每]圈|筹码|带彩|押注|"
                           r"下注|抽水|台费|点炮|自摸|扫雷|雷号|彩票|双色球")


def chinese_number(text: str) -> float | None:
    """A small number in Arabic or Chinese numerals (三百六 = 360, 十二 = 12, 45.00 = 45)."""
    if text[0].isdigit():
        try:
            return float(text)
        except ValueError:
            return None
    total, digit, last_unit = 0, None, 1
    for ch in text:
        if ch in "零〇":  # 两千零五: the digit after 零 counts as units
            digit, last_unit = None, 10
        elif ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            last_unit, digit = _UNITS[ch], None
        else:
            return None
    if digit is not None:  # 三百六: a trailing digit after a unit counts one unit lower
        total += digit * (last_unit // 10 if last_unit >= 10 else 1)
    return float(total)


def bill_split(text: str) -> bool:
    """A total, a number of people and a share per person that agree (total ÷ people ≈ share),
    with no word of a game or a stake in the message."""
    if _STAKE.search(text):
        return False
    total, people, each = _TOTAL.search(text), _PEOPLE.search(text), _EACH.search(text)
    if not (total and people and each):
        return False
    t, n, e = (chinese_number(m.group(1)) for m in (total, people, each))
    if not t or not n or not e or n < 2 or n > 100:
        return False
    return abs(t / n - e) <= max(1.0, 0.02 * e)  # rounded up to the yuan, or to the cent




def act_absent(text: str, phrases: tuple[str, ...], checks: tuple[str, ...]) -> bool:
    """Whether the message says the act is absent: an `unless` phrase, or a named check."""
    return any(phrase in text for phrase in phrases) or any(CHECKS[name](text) for name in checks)


_NOT_ISSUED: Final = re.compile(r"(?:还没|尚未|还未|没有?)(?:正式)?(?:发文|下文|印发|出文|下发文件|下文件|出台|公布)")
_MEANWHILE: Final = re.compile(r"先按|先照|先用|暂按|暂时按|按原来|按原|按老|照老|等文件|等正式|等通知|以正式文件为准|以文件为准")
# what could be leaked: a draft, a list, a photo, an attachment, or a word of keeping it in
_LEAKABLE: Final = re.compile(r"稿|名单|截图|照片|拍|附件|清单|纪要|试题|考题|底数|内部|外传|别传|不要传|别发|保密|先看|给你们看|发给|发群|转给")


def interim_before_issue(text: str) -> bool:
    """A document not issued yet, and what to do meanwhile ("省上还没发文，先按市场价收"): the
    message says the material does not exist yet, and shares none of it."""
    return bool(_NOT_ISSUED.search(text) and _MEANWHILE.search(text) and not _LEAKABLE.search(text))


# a file's name and nothing else (normalisation drops the dot: 督查督办培训课件pptx)
_FILE_NAME: Final = re.compile(r"[^\s]{1,60}?(?:pptx?|docx?|xlsx?|pdf|wps|et|dps|ofd|zip|rar|7z|txt|jpe?g|png)")


def file_name_only(text: str) -> bool:
    """The message is a file's name alone ("督查督办培训课件.pptx"): a title says what the file is
    about, not how its sender behaves."""
    return _FILE_NAME.fullmatch(text) is not None


CHECKS: Final[Mapping[str, Callable[[str], bool]]] = {"bill_split": bill_split,
                                                       "interim_before_issue": interim_before_issue,
                                                       "file_name_only": file_name_only}
