"""Messages made only of courtesy formulas (客套话) carry no act for the conduct model to read.

"恭喜发财，大吉大利" (the wish WeChat writes on a red packet), "谢谢老板" (thanks for a grabbed
packet), "站长辛苦了", "节日快乐": a character model scores them in some category because their
n-grams co-occur with violations (a packet's wish next to a bribe, 领导 next to flattery), yet
the message says nothing a reviewer could act on. What matters about such a message is the
money or the group around it, which the payment and group analyses judge with the relation and
the amount. So the model gives no lead on a message that is courtesy formulas from end to end;
term-list rules still see it. A formula with any added word ("谢谢老板关照，项目的事费心了")
is no longer courtesy only, and is screened as usual.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

# whom thanks or 辛苦了 address: a title (a surname of one character may precede it: 王总, 李老师,
# 戴站长), a kinship term, everyone
_VOCATIVE: Final = (
    r"(?:[\u4e00-\u9fff]?(?:老板|领导|[总局]|[站所科处局县镇乡村校院部组社家队]长|主任|书记|老师|师傅|经理|医生|大夫|警官)"
    r"|哥|姐|叔|姨|老铁|兄弟|姐妹|大家|各位|你们|你|您|亲)"
)
_ADDRESSEE: Final = f"{_VOCATIVE}?"
_FORMULAS: Final = (
    # thanks, for the wishes too (谢谢大家的祝福), not for a favour (关照: 谢谢老板关照 is screened)
    rf"(?:谢谢|感谢|多谢|谢啦|谢了|谢)++{_ADDRESSEE}(?:的?(?:祝福|问候))?(?:了|啦|哈|呀|哦)?",
    # the occasion the wishes were for; who gave what on it is the payment analyses' to judge
    r"(?:今天|今儿|明天)?(?:是我的?)?生日",
    rf"{_ADDRESSEE}(?:辛苦了|辛苦啦|辛苦)",
    r"(?:恭喜发财|大吉大利|万事如意|心想事成|身体健康|吉祥如意|阖家幸福|阖家欢乐|幸福安康|步步高升|财源滚滚)",
    # 手气最佳: WeChat's label for the largest share of a grabbed packet, said back as banter; a
    # 接龙 (the next packet) or a stake after it is not courtesy only and is screened as usual
    r"(?:手气最佳|手气王)",
    r"(?:新年|新春|春节|节日|中秋|端午|元宵|国庆|生日|周末|元旦)(?:快乐|愉快)",
    r"(?:收到|好的|好嘞|好滴|明白|知道了|嗯++|哈++|ok|OK|赞|点赞)",
    _VOCATIVE,  # a name alone: "好的，李书记"
)
_SEPARATORS: Final = r"[\s!！,，.。~～、…:：;；?？]*+"
_COURTESY_ONLY: Final = re.compile(rf"(?:{_SEPARATORS}(?:{'|'.join(_FORMULAS)}){_SEPARATORS})+")


MAX_CHARS: Final = 40  # a longer message is never courtesy only (and the match stays cheap)


def courtesy_only(texts: Sequence[str]) -> npt.NDArray[np.bool_]:
    """For each text: is it courtesy formulas and punctuation only (and not empty)?"""
    return np.fromiter((0 < len(t) <= MAX_CHARS and t.strip() != "" and _COURTESY_ONLY.fullmatch(t) is not None
                        for t in texts),
                       dtype=np.bool_, count=len(texts))
