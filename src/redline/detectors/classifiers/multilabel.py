"""A multi-label linear n-gram model with a cheap first stage and n-gram evidence spans.

One hasher, one weight column per category: a message's logit for category k is
`b[k] + sum(W[bucket, k]) / sqrt(n-grams)`, all categories from one pass over the batch.
Most chat breaks no rule, so a first stage (a one-output model over character 1–2-grams, the
"gate") decides which messages the full model sees at all; its threshold is chosen on
held-out violations for high recall, and what that recall costs is written on the model card.

Evidence: for a flagged (message, category), the n-grams with the largest weight in that
category are mapped back to their character offsets, so the reviewer sees what drove the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.hashing import _BMP, _FOLD, BOS, EOS, NgramHasher, encode_batch

_PRIME: Final = np.uint64(0x100000001B3)  # the same constants as hashing.NgramHasher
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


def _window_sums(
    hasher: NgramHasher, texts: Sequence[str], weights: F32
) -> tuple[F64, npt.NDArray[np.int64]]:
    """Per message and column: the sum of `weights[bucket]` over its n-grams; and n-gram counts.

    `weights` is (buckets,) or (buckets, K). As in NgramHasher.weight_sums, every window of
    the joined batch is hashed and a running sum turns each message's range into one subtraction.
    """
    n_rows = len(texts)
    cols = 1 if weights.ndim == 1 else weights.shape[1]
    sums = np.zeros((n_rows, cols))
    counts = np.zeros(n_rows, dtype=np.int64)
    cps, starts = encode_batch(texts, fold_digits=hasher.fold_digits, markers=hasher.markers)
    total = cps.size
    if total == 0:
        return sums, counts
    lengths = np.diff(np.append(starts, total))
    cps64 = cps.astype(np.uint64)
    shift = np.uint64(64 - hasher.bits)
    h = np.zeros(total, dtype=np.uint64)
    running = np.zeros((total + 1, cols))
    w2 = weights.reshape(weights.shape[0], cols)
    for n in range(1, hasher.n_max + 1):
        span = total - n + 1
        if span <= 0:
            break
        h = h[:span] * _PRIME + cps64[n - 1 :]
        if n < hasher.n_min:
            continue
        buckets = ((h ^ np.uint64(n)) * _MIX) >> shift
        np.cumsum(w2[buckets], axis=0, dtype=np.float64, out=running[1 : span + 1])
        windows = np.maximum(lengths - n + 1, 0)
        sums += running[starts + windows] - running[starts]
        counts += windows
    return sums, counts


@dataclass(frozen=True, slots=True)
class Evidence:
    """The n-grams that pushed one category's score up most, as spans of the normalised text."""

    spans: tuple[tuple[int, int, float], ...]  # (start, end, weight), strongest first

    @property
    def main(self) -> tuple[int, int]:
        """The strongest n-gram grown by every other top n-gram that overlaps or touches it."""
        start, end, _ = self.spans[0]
        for s, e, _ in self.spans[1:]:
            if s <= end and e >= start:
                start, end = min(start, s), max(end, e)
        return start, end


@dataclass(frozen=True, slots=True)
class MultiLabelModel:
    """Scores for every category of a batch; the gate picks the rows worth scoring."""

    categories: tuple[str, ...]
    hasher: NgramHasher
    weights: F32  # (2**bits, K)
    bias: F64  # (K,)
    gate_hasher: NgramHasher
    gate_weights: F32  # (2**gate_bits,)
    gate_bias: float
    gate_threshold: float  # a logit: rows below it are not scored (their scores stay 0)
    min_chars: int = 4  # shorter messages (好的, 收到) carry no act to judge

    def gate_logits(self, texts: Sequence[str]) -> F64:
        """The first stage's logit per message (cheap: 1–2-grams, one output)."""
        sums, counts = _window_sums(self.gate_hasher, texts, self.gate_weights)
        out: F64 = self.gate_bias + sums[:, 0] / np.sqrt(np.maximum(counts, 1))
        return out

    def passing(self, texts: Sequence[str]) -> npt.NDArray[np.int64]:
        """Rows the full model should see: long enough and above the gate's threshold."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        long_enough = np.flatnonzero(lengths >= self.min_chars)
        if not long_enough.size:
            return long_enough
        subset = [texts[i] for i in long_enough.tolist()]
        return long_enough[self.gate_logits(subset) >= self.gate_threshold]

    def full_scores(self, texts: Sequence[str]) -> F64:
        """(n, K) probabilities from the full model for every text (no gate)."""
        sums, counts = _window_sums(self.hasher, texts, self.weights)
        logits = self.bias + sums / np.sqrt(np.maximum(counts, 1))[:, None]
        out: F64 = 1.0 / (1.0 + np.exp(-logits))
        return out

    def scores(self, texts: Sequence[str]) -> F64:
        """(n, K) probabilities; rows the gate stops score 0 in every category."""
        out = np.zeros((len(texts), len(self.categories)))
        rows = self.passing(texts)
        if rows.size:
            out[rows] = self.full_scores([texts[i] for i in rows.tolist()])
        return out

    def evidence(self, text: str, category: int, top: int = 3) -> Evidence:
        """The `top` n-grams of `text` with the largest positive weight for `category`.

        Offsets are in `text` (the normalised message); the start/end markers are not text,
        so an n-gram that includes one is clipped to the characters it covers.
        """
        hasher = self.hasher
        # one message: its folded code points directly (encode_batch's batch set-up costs
        # more than the hashing here, and this runs once per lead)
        raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        lut = _FOLD[hasher.fold_digits]
        body = np.where(raw < _BMP, lut[raw & 0xFFFF], raw)
        lead = 1 if hasher.markers else 0
        cps64 = (np.concatenate(([BOS], body, [EOS])) if lead else body).astype(np.uint64)
        shift = np.uint64(64 - hasher.bits)
        h = np.zeros(cps64.size, dtype=np.uint64)
        found: list[tuple[float, int, int]] = []
        for n in range(1, hasher.n_max + 1):
            span = cps64.size - n + 1
            if span <= 0:
                break
            h = h[:span] * _PRIME + cps64[n - 1 :]
            if n < hasher.n_min:
                continue
            weights = self.weights[(((h ^ np.uint64(n)) * _MIX) >> shift).astype(np.int64), category]
            best_pos = np.argpartition(-weights, top)[:top] if weights.size > top else np.arange(weights.size)
            for pos in best_pos.tolist():
                start = max(pos - lead, 0)
                end = min(pos - lead + n, len(text))
                if end > start and weights[pos] > 0:
                    found.append((float(weights[pos]), start, end))
        found.sort(key=lambda f: (-f[0], f[1], f[2]))
        best: list[tuple[int, int, float]] = []
        for weight, start, end in found:
            # a 3-gram and the 2-gram inside it are one piece of evidence, not two
            if any(s <= start and end <= e for s, e, _ in best):
                continue
            best.append((start, end, weight))
            if len(best) == top:
                break
        if not best:
            best = [(0, len(text), 0.0)]
        return Evidence(tuple(best))
