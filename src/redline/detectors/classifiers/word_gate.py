"""A word-n-gram second opinion on the messages a character n-gram model is unsure of.

A model over jieba's words (分词) sees what characters miss (an insult as one word, a word
boundary that changes the sense), and the mean of the two models' probabilities beat either
alone on COLD's dev rows. But jieba segments about 8k messages a second, far too slow for
every message of a screen (the target is 200k msgs/s): so the character model scores every
message, and only those whose score falls inside the gate `[lo, hi]` are segmented and get
the mean of both. Outside the gate the character score stands; there the word model would
seldom move a decision across any threshold a rule uses (the band is chosen so that, on the
dev rows, gating changes no decision at the card's threshold).

Words are hashed like the character n-grams: unigrams and bigrams (with start/end markers)
into 2**bits buckets by CRC-32, no vocabulary; one weight per bucket, counts scaled by
1/sqrt(n-grams). The weights ride in the same `model.npz` as `word_weights`/`word_bias`, and
`model.json` says `"words": {"bits", "gate"}`; a model file without them is a character-only
model, as before.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import ModelFiles
from redline.errors import ConfigError

START: Final = "\x02"
END: Final = "\x03"
I64 = npt.NDArray[np.int64]


@cache
def _jieba() -> Any:
    """jieba, imported and its dictionary loaded on first use (about half a second)."""
    import jieba

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not the user's business
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """jieba's words of a (normalised) message, whitespace dropped."""
    return [w for w in _jieba().lcut(text) if not w.isspace()]


def word_buckets(text: str, bits: int) -> list[int]:
    """Buckets of the message's word unigrams and bigrams (bigrams include the markers)."""
    mask = (1 << bits) - 1
    tokens = [START, *words(text), END]
    out = [zlib.crc32(f"1\x1f{w}".encode()) & mask for w in tokens[1:-1]]
    out += [zlib.crc32(f"2\x1f{a}\x1f{b}".encode()) & mask for a, b in pairwise(tokens)]
    return out


def bucket_rows(texts: Sequence[str], bits: int) -> tuple[I64, I64, I64]:
    """(row, bucket) of every word n-gram of a batch, and the n-gram count of each row."""
    per_row = [word_buckets(t, bits) for t in texts]
    counts = np.fromiter(map(len, per_row), dtype=np.int64, count=len(per_row))
    rows = np.repeat(np.arange(len(per_row), dtype=np.int64), counts)
    buckets = np.fromiter((b for row in per_row for b in row), dtype=np.int64, count=int(counts.sum()))
    return rows, buckets, counts


@dataclass(frozen=True, slots=True)
class WordModel:
    """Logistic model over hashed word n-grams: p = sigmoid(b + sum w[bucket] / sqrt(n))."""

    bits: int
    weights: npt.NDArray[np.float32]
    bias: float

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        rows, buckets, counts = bucket_rows(texts, self.bits)
        sums = np.bincount(rows, weights=self.weights[buckets].astype(np.float64), minlength=len(texts))
        logits = self.bias + sums / np.sqrt(np.maximum(counts, 1))
        return 1.0 / (1.0 + np.exp(-logits))

    def scores_of(self, matrix: Any) -> npt.NDArray[np.float64]:
        """Scores from an already scaled bucket matrix (training's), without segmenting again."""
        logits = self.bias + matrix @ self.weights.astype(np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class WordGate:
    """The word model and the band of character scores in which it is asked."""

    model: WordModel
    lo: float
    hi: float

    def rescore(self, texts: Sequence[str], char_scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Character scores, with the mean of both models inside the gate."""
        inside = np.flatnonzero((char_scores >= self.lo) & (char_scores <= self.hi))
        out = np.array(char_scores, dtype=np.float64)
        if inside.size:
            word_scores = self.model.scores([texts[i] for i in inside.tolist()])
            out[inside] = (out[inside] + word_scores) / 2
        return out


def word_gate(files: ModelFiles) -> WordGate | None:
    """The model file's word gate, or None for a character-only model."""
    spec = files.meta.get("words")
    if spec is None:
        return None
    bits = int(spec["bits"])
    weights = files.arrays["word_weights"].astype(np.float32)
    if weights.shape != (1 << bits,):
        raise ConfigError(f"{files.path}: word weights shape {weights.shape} does not fit bits={bits}")
    lo, hi = (float(x) for x in spec["gate"])
    return WordGate(WordModel(bits, weights, float(files.arrays["word_bias"][0])), lo, hi)
