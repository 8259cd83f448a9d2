"""Official prose (公文语体): a sentence in the voice of a government report is no model's lead.

"持续开展禁毒人民战争，毒品违法犯罪案件数量持续下降" and "倡导婚事新办、丧事简办，坚决遏制大操大办"
share words with abuse, superstition or promotion, and a bag-of-n-grams model trained on chat
scores them so. Rules still read such text (a leak in formal words is a leak); only the
classifiers' guesses are held back, where a rule asks for it (`official_prose: false`).

A message is in the official register when it is written in the report's own voice and does
what reports do: at least MIN_POLICY policy verbs (加强, 推进, 坚持 …; a verb that occurs twice
counts twice) and none of the marks of a person talking — a first or second person (我, 你,
您, 咱, 俺; institutional 我县/我局/我们 are the report's own), a chat particle (吧, 呢, 啊, 哈
…), a question or exclamation mark, an emoji. On our corpus (`data/conduct/`) it fires on 97
of its written official-prose negatives and on none of its ~7,000 violations; on COLD's
social-media comments on 29 of 29,883. On the six-author corpus (52,922 rows) it fires on 456 of
1,287 official-prose negatives and on 7 of 30,181 violation rows (formal letters that offer a
gift or order the worship of a leader, which rules still read).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

POLICY_VERBS: Final = (
    "加强", "推进", "完善", "坚持", "持续", "切实", "深化", "健全", "落实", "强化", "提升", "推动", "开展",
    "规范", "倡导", "遏制", "保持", "加快", "统筹", "构建", "实施", "促进", "巩固", "扎实", "全面", "着力",
    "不断", "进一步", "建立", "优化", "压缩", "打造", "坚决", "大力", "积极", "有效", "稳步", "深入", "严格",
    "依法", "确保", "防范", "维护", "增强", "发挥", "引导", "支持", "培育", "聚焦", "围绕",
    "召开", "部署",  # a meeting reported: 县委召开常委会会议，研究部署… (no more lines of the corpus fire)
)
MIN_POLICY: Final = 2
# a person talking: 我 not followed by an institution's character (我县, 我局, 我们 are the
# report's own voice), 你/您/咱/俺, chat particles, ?/!, ~, emoji (the normaliser keeps them)
_PERSONAL: Final = re.compile(
    r"我(?![县市省国区局委院镇乡校行司部厅们])|[你您咱俺]|[吧呢啊哈嘛吗呀哦啦嘞噻撒咯哟]|[?？!！~～]"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
_POLICY: Final = re.compile("|".join(POLICY_VERBS))


def official_register(texts: Sequence[str]) -> npt.NDArray[np.bool_]:
    """For each text: True when it reads as official prose (see the module's doc)."""
    return np.array(
        [len(_POLICY.findall(t)) >= MIN_POLICY and _PERSONAL.search(t) is None for t in texts], dtype=np.bool_,
    )


def official_rows(texts: Sequence[str], rows: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """A mask over the whole batch: True for those of `rows` that read as official prose (the
    register is read only there, the few rows some model would lead on)."""
    mask = np.zeros(len(texts), dtype=np.bool_)
    rows = np.asarray(rows, dtype=np.int64)
    mask[rows[official_register([texts[i] for i in rows.tolist()])]] = True
    return mask
