"""Person names from two models: Baidu LAC proposes, the name shape and the CRF dispose.

On held-out Weibo NER rows LAC finds about seven names in ten but half of what it calls a
name is not one (single characters, nicknames glued to the next word, English words). A
LAC name is kept when it has the shape of a Chinese name (2–3 characters starting with a
surname from the CRF's jieba lexicon, 老/小/阿 + two characters, or a compound surname +
two characters) or when the character CRF agrees (mean P(name) over its characters ≥
`CRF_SUPPORT`), or when it follows @ or 叫. LAC is slow (~100 sentences/s on a busy core), so it only reads rows
where the CRF gives some character P(name) ≥ `LAC_PREFILTER`; the figures and what the
prefilter costs are in the model card. Constants were chosen on the tuning half of the
held-out rows only (training/name_fusion.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.crf import Marginals
from redline.detectors.classifiers.lac import person_spans
from redline.detectors.names import COMPOUND_SURNAMES

# both chosen on Weibo NER's dev rows (grid 0.001/0.01/0.05 × 0.5–0.9, best exact-span F1 0.813);
# its test rows only report (training/name_fusion.py)
LAC_PREFILTER: Final = 0.05  # rows whose highest CRF P(name) is below this never reach LAC
CRF_SUPPORT: Final = 0.8  # a LAC name without a name's shape is kept when the CRF agrees this much
SHAPE_BASE: Final = 0.6  # score of a name-shaped LAC span: 0.6 + 0.4 × the CRF's mean P(name)
FUSED_THRESHOLD: Final = 0.5  # default operating threshold of the fused score
_PREFIXES: Final = "老小阿"  # 老王, 小李, 阿明 (称谓 forms in Weibo names)
# words right before a name that say it is one: @朴信惠, 叫孙建彬 (on Weibo NER's train+dev
# rows, which only LAC's side of this rule reads: 14 of 21 such LAC names were names)
CUES: Final = ("@", "叫")


@dataclass(frozen=True, slots=True)
class FusedSpan:
    """A model name: row, characters [start, end), fused score and the reason."""

    row: int
    start: int
    end: int
    score: float
    why: str


def name_shaped(word: str, surnames: npt.NDArray[np.uint8]) -> bool:
    """Whether a word has the shape of a Chinese personal name."""
    if not all("\u4e00" <= c <= "\u9fff" for c in word):
        return False
    if len(word) == 4:
        return word[:2] in COMPOUND_SURNAMES
    if len(word) not in (2, 3):
        return False
    first = ord(word[0])
    return bool(first < surnames.size and surnames[first]) or (len(word) == 3 and word[0] in _PREFIXES)


def lac_rows(marginals: Marginals) -> list[int]:
    """Rows worth LAC's time: some character with P(name) ≥ LAC_PREFILTER."""
    probs, starts, lengths = marginals
    if not len(lengths):
        return []
    inside = 1.0 - probs[:, 0]
    out = []
    for row, (start, length) in enumerate(zip(starts.tolist(), lengths.tolist(), strict=True)):
        if length and float(inside[start:start + length].max()) >= LAC_PREFILTER:
            out.append(row)
    return out


def fuse(texts: Sequence[str], marginals: Marginals, surnames: npt.NDArray[np.uint8],
         threshold: float = FUSED_THRESHOLD, prefilter: bool = True) -> list[FusedSpan]:
    """Kept LAC names of a batch with their fused scores (≥ threshold), sorted."""
    probs, starts, _ = marginals
    inside = 1.0 - probs[:, 0]
    rows = lac_rows(marginals) if prefilter else [r for r, t in enumerate(texts) if t]
    out: list[FusedSpan] = []
    for row, spans in zip(rows, person_spans([texts[r] for r in rows]), strict=True):
        base = int(starts[row])
        for start, end in spans:
            word = texts[row][start:end]
            agree = float(inside[base + start:base + end].mean())
            if name_shaped(word, surnames):
                score, why = SHAPE_BASE + (1 - SHAPE_BASE) * agree, "LAC PER, name shape"
            elif 2 <= len(word) <= 4 and agree >= CRF_SUPPORT and not any("a" <= c <= "z" for c in word):
                score, why = agree, "LAC PER, CRF agrees"
            elif 2 <= len(word) <= 3 and texts[row][:start].endswith(CUES) and not any(c.isascii() for c in word):
                score, why = SHAPE_BASE + (1 - SHAPE_BASE) * agree, "LAC PER after @ or 叫"
            else:
                continue
            if score >= threshold:
                out.append(FusedSpan(row, start, end, score, f"{why} (CRF P(name) {agree:.2f})"))
    out.sort(key=lambda s: (s.row, s.start))
    return out
