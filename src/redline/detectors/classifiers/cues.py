"""Selling cues (推销线索) that carry across chat sources: prices, contact handles, quantities,
buy/sell verbs, links; added to a character n-gram model's logit.

Character n-grams learn the goods and slang of the groups they were trained on (gaming cheats,
大闸蟹); an ad in another group shares little of that, but it still names a price, a way to
reach the seller, an amount, a call to buy or a link. One weight per kind of cue (and for two
and for three kinds together), fitted on top of the n-gram model's out-of-fold logit, is what
carried to the groups a model had not seen (issue 21 item 7; figures in the promotion card).

Matching five regexes costs about as much as the whole n-gram model, so cues are looked for
only in messages that could reach `floor` with every cue present; elsewhere the score is the
n-gram model's alone (lower, and below `floor` either way). A rule threshold at or above the
floor therefore decides exactly as if every message had been searched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import ModelFiles
from redline.detectors.classifiers.grams import sigmoid
from redline.errors import ConfigError

_NUMBER: Final = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
# the text is the scan engine's normalised form: lower case, half width, 繁→简
CUES: Final[dict[str, re.Pattern[str]]] = {
    # 68元, 八十一斤 … 20r (gaming slang for 元), ¥39, 10/斤, 价, 包邮, 特价
    "price": re.compile(rf"{_NUMBER}[ \t]*(?:元|块|r\b|rmb|米\b|w\b|k\b|亓)|[¥$][ \t]*\d|\d+[ \t]*/[ \t]*(?:斤|个|盒|件|只|月|年)"
                        r"|价|包邮|特价"),
    # a way to reach the seller: QQ / WeChat in their spellings, 私聊 (sl, siliao), a long number
    "contact": re.compile(r"qq|vx|wx|v信|微信|薇信|威信|加我|私聊|私信|\bsl\b|siliao|联系|电话|手机|\d{6,}|\*{3,}"),
    "quantity": re.compile(rf"{_NUMBER}[ \t]*(?:斤|盒|件|瓶|箱|袋|包|张|只|套|份|罐|支|条|克|g\b|ml\b)"),
    # calls to buy or sell; 出/收 followed by a number is the trade of goods in chat
    "buy": re.compile(r"购买|下单|拍下|拍\d|抢购|订购|团购|代购|出售|批发|零售|代理|加盟|扫码|领取|优惠|打折|\d折|折扣|秒杀"
                      r"|上新|新到|有需要|需要的|要的|欢迎.{0,4}(?:购|订|选)|支持一下|出\d|收\d|卖"),
    "link": re.compile(r"https?:|www\.|\.(?:com|cn|top|shop|net|run|fun|xyz|cc|me|vip)\b|淘口令|链接|复制|点击"),
}
COLUMNS: Final = (*CUES, "two_kinds", "three_kinds")


# The characters a match of each cue can start with (one per alternative: 包 of 包邮, s of
# sl and siliao, \d of \d{6,} …), as a lookahead before it: `re` then tries the many
# alternatives only where one of them could start (the same matches, a third faster on ads).
_FIRST: Final = {
    "price": r"\d一二两三四五六七八九十百千万¥$价包特",
    "contact": r"qvw微薇威加私s联电手\d*",
    "quantity": r"\d一二两三四五六七八九十百千万",
    "buy": r"购下拍抢订团代出批零加扫领优打\d折秒上新有需要欢支收卖",
}
_GUARDED: Final[dict[str, re.Pattern[str]]] = {
    name: re.compile(f"(?=[{_FIRST[name]}])(?:{pattern.pattern})") if name in _FIRST else pattern
    for name, pattern in CUES.items()
}


def cue_matrix(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """(n, len(COLUMNS)) 0/1: which kinds of cue each message holds, and whether two / three.

    Each cue is searched in each message on its own, stopping at its first match: the
    messages asked are few (a detector asks only where the cues could lift a score to a
    threshold: 3.5 % of the conduct bench's chat) and mostly ads, where `finditer` over the
    messages joined spent its time finding every price and number (17 µs → 11 µs a message asked).
    """
    out = np.zeros((len(texts), len(COLUMNS)))
    searches = [pattern.search for pattern in _GUARDED.values()]
    for k, text in enumerate(texts):
        for col, search in enumerate(searches):
            if search(text) is not None:
                out[k, col] = 1.0
    kinds = out[:, : len(CUES)].sum(axis=1)
    out[:, len(CUES)] = kinds >= 2
    out[:, len(CUES) + 1] = kinds >= 3
    return out


@dataclass(frozen=True, slots=True)
class CueWeights:
    """One weight per cue column, added to the n-gram model's logit where it could matter."""

    weights: npt.NDArray[np.float64]
    floor: float  # scores below it are not worth a regex

    @property
    def best_case(self) -> float:
        """The most the cues can add to a logit (every positive weight at once)."""
        return float(np.clip(self.weights, 0.0, None).sum())

    def scores(self, texts: Sequence[str], logits: npt.NDArray[np.float64],
               floor: float | None = None) -> npt.NDArray[np.float64]:
        """Probabilities: sigmoid(logit + cue weights), cues looked for only where they could
        reach `floor` (at least the model's own; a detector passes its lowest rule threshold)."""
        low = self.floor if floor is None else max(floor, self.floor)
        best_case = logits + self.best_case
        ask = np.flatnonzero(best_case >= np.log(low / (1.0 - low)) if low < 1.0 else np.zeros(len(texts), dtype=bool))
        out = np.array(logits, dtype=np.float64)
        if ask.size:
            out[ask] += cue_matrix([texts[i] for i in ask.tolist()]) @ self.weights
        return sigmoid(out)


def cue_weights(files: ModelFiles) -> CueWeights | None:
    """The model file's cue weights, or None for an n-gram-only model."""
    spec = files.meta.get("cues")
    if spec is None:
        return None
    if tuple(spec["columns"]) != COLUMNS:
        raise ConfigError(f"{files.path}: cue columns {spec['columns']} are not this version's {list(COLUMNS)}")
    weights = files.arrays["cue_weights"].astype(np.float64)
    if weights.shape != (len(COLUMNS),):
        raise ConfigError(f"{files.path}: cue weights shape {weights.shape}, expected ({len(COLUMNS)},)")
    return CueWeights(weights, float(spec["floor"]))
