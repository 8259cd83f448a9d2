"""The secret-marks detector: 密级 markings (绝密/机密/秘密 ★ 保密期限) and weaker markings.

上网不涉密、涉密不上网: a classified marking in a chat is a lead. 秘密 and 机密 are also
ordinary words (小秘密, 保密工作会议, 机密性), so a level counts only in a marking context:
★/☆ with or without a period (机密★1年), 密级: …, brackets (【绝密】), a document noun
(绝密文件) or alone at the head of a message. 内部资料, 注意保存, 不得外传 … count as weaker
markings. Evasions (機密, 绝 密, 机.密, full width) are folded by normalisation first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar, Final

import numpy as np
from pydantic import BaseModel, ConfigDict

from redline.contracts import BuildContext, Hit, HitColumns, Trigger, config_as
from redline.detectors.matchers import HitColumnsBuilder, LiteralMatcher
from redline.detectors.notices import drop_notice_hits
from redline.text.joined import joined_view

_LEVEL: Final = r"(?P<level>绝密|机密|秘密)"
# what evaders put between the parts of a marking (机密·★·1·年): non-word characters
_GAP: Final = r"[^0-9a-z\u4e00-\u9fff★☆]{0,3}"
_NUM: Final = rf"[0-9一二三四五六七八九十两〇壹贰叁](?:{_GAP}[0-9一二三四五六七八九十两〇壹贰叁])*"
_PERIOD: Final = rf"(?:{_NUM}{_GAP}(?:年|个月|月)|长期|启用前|解密前)"
# (pattern, score, note) — checked in this order; later patterns skip spans already taken
_MARKINGS: Final = (
    (rf"{_LEVEL}{_GAP}[★☆✩✭⭐*]{_GAP}(?:{_PERIOD})?", 0.95, "level with ★"),
    (rf"密级{_GAP}{_LEVEL}", 0.9, "密级 field"),
    # the closing bracket may have been dropped as a separator before the next 汉字
    (rf"[\[【(〔<《]{_GAP}{_LEVEL}(?:{_GAP}[\]】)〕>》])?", 0.85, "bracketed level"),
    (rf"{_LEVEL}(?:文件|材料|资料|文档|件|级)", 0.75, "level with a document noun"),
    (rf"^\s*{_LEVEL}(?=$|[\s:,.;!?])", 0.7, "level heading the message"),
    (r"内部资料|内部文件|注意保存|不得外传|严禁外传|请勿外传|禁止外传|仅限内部|内部传阅|"
     r"不得转发|严禁转发|请勿转发|不得扩散|请勿扩散", 0.6, "marking"),
)
_NAMED: Final = ("marking", "level with a document noun")  # what a notice may mention, not mark
_PREFILTER: Final = (
    "绝密", "机密", "秘密", "内部资料", "内部文件", "注意保存", "外传", "仅限内部", "内部传阅",
    "不得转发", "严禁转发", "请勿转发", "不得扩散", "请勿扩散",
)


class SecretMarksConfig(BaseModel):
    """`- secret_marks: {}`; `weak: false` keeps only the 密级 levels."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weak: bool = True


class SecretMarksDetector:
    """密级 markings in context; one literal prefilter pass, exact patterns on candidate rows."""

    name: ClassVar[str] = "secret_marks"
    Config: ClassVar[type[BaseModel]] = SecretMarksConfig

    def __init__(self, labels: list[tuple[str, bool]]) -> None:
        self._labels = labels
        self._prefilter = LiteralMatcher(_PREFILTER)
        self._patterns = [(re.compile(p), s, n) for p, s, n in _MARKINGS]

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> SecretMarksDetector:
        """One detector for every secret_marks trigger."""
        return cls([(t.label, config_as(t, SecretMarksConfig).weak) for t in triggers])

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per trigger; offsets in the normalised texts."""
        return self.scan_columns(texts).to_hits()

    def scan_columns(self, texts: Sequence[str]) -> HitColumns:
        """`scan` as columns (no Hit object per hit)."""
        joined = joined_view(texts)
        found = self._prefilter.scan(joined)
        out = HitColumnsBuilder()
        for row in sorted(set(found.rows.tolist())):
            for start, end, score, note in self.marks(texts[row]):
                weak = note == "marking"
                for index, (_, allow_weak) in enumerate(self._labels):
                    if allow_weak or not weak:
                        out.add(row, index, start, end, score, note)
        # a level (机密★1年) is the document's own, even in a report of a case handled; a
        # weak marking (内部文件) or a level named in words (秘密文件请机要员到县委办签收) in a
        # notice is not
        columns = out.build(self.name, [label for label, _ in self._labels])
        weak_why = np.array([why in _NAMED for why in columns.whys], dtype=np.bool_)
        return drop_notice_hits(columns, joined, genres=weak_why[columns.why_ids] if len(weak_why) else False)

    def marks(self, text: str) -> list[tuple[int, int, float, str]]:
        """Every marking in one normalised text: (start, end, score, note), no overlaps."""
        taken: list[tuple[int, int, float, str]] = []
        for pattern, score, note in self._patterns:
            for m in pattern.finditer(text):
                start, end = m.span("level") if note == "level heading the message" else m.span()
                if any(s < end and start < e for s, e, _, _ in taken):
                    continue
                taken.append((start, end, score, note))
        return sorted(taken)
