"""A term quoted by a rule reminder or a topic name is not the thing itself.

"严禁在微信群传送机密文件" and "关于加强涉密文件管理的通知" name a term to forbid it or to name a
field of work; "这是机密文件" uses it. Work groups are full of such reminders, and a lead on
each would teach reviewers to ignore the rule. Hits of the term detectors (lexicon,
secret_marks) are dropped when, in the same clause, a prohibition word of a notice (严禁,
禁止, 不得, 请勿 …) comes shortly before the term, or a topic word (管理, 培训, 检查 …) follows
it directly. Everyday 不要 / 别 do not count: "不要告诉别人，这是机密文件" is a leak, and so is
"别外传这份机密文件" (the marker 外传 words are terms of their own). Punctuation between two
汉字 is gone in the normalised text (so that 机。密 reads 机密), so a clause break is seen only
next to other characters; otherwise the distance (REACH) decides.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.contracts import HitColumns
from redline.detectors.matchers import LiteralMatcher
from redline.text.joined import JoinedText

PROHIBITIONS: Final = (
    "严禁", "禁止", "不得", "不准", "请勿", "切勿", "杜绝", "警惕", "谨防", "防范", "抵制", "严防", "打击",
)
TOPICS: Final = (
    "管理", "工作", "培训", "检查", "制度", "规定", "办法", "知识", "教育", "宣传", "专项", "整治", "诈骗",
)
REACH: Final = 12  # characters from the end of a prohibition word to the term
TOPIC_GAP: Final = 1  # characters allowed between a term and its topic word (涉密文件的管理)
_CLAUSE_BREAKS: Final = frozenset(".!?;,:。！？；，：\n")


@functools.cache
def _matcher() -> LiteralMatcher:
    return LiteralMatcher(PROHIBITIONS + TOPICS)


def drop_notice_hits(columns: HitColumns, texts: Sequence[str], joined: JoinedText) -> HitColumns:
    """`columns` without the hits that a notice quotes (offsets in the normalised `texts`)."""
    if not len(columns):
        return columns
    found = _matcher().scan(joined)
    if not len(found):
        return columns
    cues: dict[int, list[tuple[bool, int, int]]] = defaultdict(list)
    n_prohibitions = len(PROHIBITIONS)
    for pid, row, start, end in zip(found.ids.tolist(), found.rows.tolist(), found.starts.tolist(),
                                    found.ends.tolist(), strict=True):
        cues[row].append((pid < n_prohibitions, start, end))
    candidates = np.flatnonzero(np.isin(columns.rows, np.fromiter(cues, dtype=np.int64, count=len(cues))))
    if not len(candidates):
        return columns
    keep = np.ones(len(columns), dtype=np.bool_)
    for i, row, start, end in zip(candidates.tolist(), columns.rows[candidates].tolist(),
                                  columns.starts[candidates].tolist(), columns.ends[candidates].tolist(),
                                  strict=True):
        keep[i] = not quoted_by_notice(texts[row], start, end, cues[row])
    return _take(columns, keep)


def quoted_by_notice(text: str, start: int, end: int, cues: list[tuple[bool, int, int]]) -> bool:
    """True if the term at [start, end) follows a prohibition word in its clause, or is
    followed by a topic word; `cues` are (is_prohibition, start, end) in `text`."""
    for prohibition, c_start, c_end in cues:
        if prohibition:
            gap = text[c_end:start] if c_end <= start and start - c_end <= REACH else None
        else:
            gap = text[end:c_start] if end <= c_start <= end + TOPIC_GAP else None
        if gap is not None and not _CLAUSE_BREAKS.intersection(gap):
            return True
    return False


def _take(columns: HitColumns, keep: npt.NDArray[np.bool_]) -> HitColumns:
    if keep.all():
        return columns
    return HitColumns(
        columns.detector, columns.labels, columns.whys, columns.rows[keep], columns.starts[keep],
        columns.ends[keep], columns.label_ids[keep], columns.why_ids[keep], columns.scores[keep],
    )
