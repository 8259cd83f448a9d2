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

from redline.detectors.classifiers.grams import Rows, sigmoid, window_sums, windows
from redline.detectors.classifiers.hashing import _BMP, _FOLD, BOS, EOS, NgramHasher

_PRIME: Final = np.uint64(0x100000001B3)  # the same constants as hashing.NgramHasher
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


def _window_sums(
    hasher: NgramHasher, texts: Sequence[str], weights: F32
) -> tuple[F64, npt.NDArray[np.int64]]:
    """Per message and column: the sum of `weights[bucket]` over its n-grams; and n-gram counts.

    `weights` is (buckets,) or (buckets, K); the sums are always (messages, K). The batch's
    window hashes are shared with the other classifiers (grams.py); a `Rows` view sums only
    its rows.
    """
    sums, counts = window_sums(hasher, texts, weights)
    return sums.reshape(len(counts), -1), counts


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
        return long_enough[self.gate_logits(Rows(texts, long_enough)) >= self.gate_threshold]

    def full_scores(self, texts: Sequence[str]) -> F64:
        """(n, K) probabilities from the full model for every text (no gate)."""
        sums, counts = _window_sums(self.hasher, texts, self.weights)
        logits = self.bias + sums / np.sqrt(np.maximum(counts, 1))[:, None]
        out: F64 = sigmoid(logits)
        return out

    def scores(self, texts: Sequence[str]) -> F64:
        """(n, K) probabilities; rows the gate stops score 0 in every category."""
        out = np.zeros((len(texts), len(self.categories)))
        rows = self.passing(texts)
        if rows.size:
            out[rows] = self.full_scores(Rows(texts, rows))
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
            _candidates(weights, n, lead, len(text), top, found)
        return _best(found, len(text), top)

    def evidence_rows(
        self, texts: Sequence[str], rows: Sequence[int], categories: Sequence[int], top: int = 3,
    ) -> list[Evidence]:
        """`evidence(texts[row], category)` for many (row, category) of one batch at once.

        The windows come from the batch's shared hashes (grams.py) and are weighed in one
        gather per n; only picking the top n-grams stays per lead. Same result as `evidence`
        (the same weights arrays reach the same selection).
        """
        if not len(rows):
            return []
        hasher = self.hasher
        uniq, local = np.unique(np.asarray(rows, dtype=np.int64), return_inverse=True)
        win = windows(hasher, texts, uniq)
        lead = 1 if hasher.markers else 0
        texts_of = [texts[int(r)] for r in uniq.tolist()]
        found: list[list[tuple[float, int, int]]] = [[] for _ in rows]
        seg_starts, seg_lengths = win.seg_starts[local], win.seg_lengths[local]
        cats = np.asarray(categories, dtype=np.int64)
        text_lens = np.array([len(t) for t in texts_of], dtype=np.int64)[local]
        for n in range(hasher.n_min, hasher.n_max + 1):
            weighed = self.weights.take(win.buckets(n, hasher.bits), axis=0)
            spans = seg_lengths - n + 1
            if int(spans.max(initial=0)) <= 0:
                break
            # leads of similar length together (one long message must not widen every row)
            size_class = np.ceil(np.log2(np.maximum(spans, 1))).astype(np.int64)
            for cls in np.unique(size_class).tolist():
                group = np.flatnonzero(size_class == cls)
                _rank(weighed, seg_starts[group], spans[group], cats[group], text_lens[group], n, lead, top,
                      [found[k] for k in group.tolist()])
        return [_best(f, len(texts_of[j]), top) for f, j in zip(found, local.tolist(), strict=True)]


def _rank(
    weighed: F32, starts: npt.NDArray[np.int64], spans: npt.NDArray[np.int64], cats: npt.NDArray[np.int64],
    text_lens: npt.NDArray[np.int64], n: int, lead: int, top: int, found: list[list[tuple[float, int, int]]],
) -> None:
    """`_candidates` for many leads' windows of length n at once (`weighed`: every window's
    weights by category; lead k's windows start at `starts[k]`, `spans[k]` of them).

    The leads' windows side by side (short rows padded with -inf), ranked by one stable sort.
    Where the top-th and the next weight are equal, which of the equal n-grams `evidence`
    keeps is argpartition's choice: those few rows are partitioned one by one as there, so
    the result is the same in every case.
    """
    width = int(spans.max(initial=0))
    if width <= 0:
        return
    offs = np.arange(width, dtype=np.int64)
    valid = offs[None, :] < spans[:, None]
    at = np.minimum(starts[:, None] + offs[None, :], len(weighed) - 1)
    vals = np.where(valid, weighed[at, cats[:, None]], np.float32(-np.inf))
    ranked = np.argsort(-vals, axis=1, kind="stable")[:, : top + 1]
    ranked_w = np.take_along_axis(vals, ranked, axis=1)
    if width > top:  # a row with `top` windows or fewer keeps them all: no choice to make
        tied = (spans > top) & (ranked_w[:, top - 1] == ranked_w[:, top])
    else:
        tied = np.zeros(len(spans), dtype=np.bool_)
    best, weight = ranked[:, :top], ranked_w[:, :top]
    start = np.maximum(best - lead, 0)
    end = np.minimum(best - lead + n, text_lens[:, None])
    ok = (end > start) & (weight > 0) & ~tied[:, None]
    for k, w, s, e in zip(np.nonzero(ok)[0].tolist(), weight[ok].tolist(), start[ok].tolist(), end[ok].tolist(),
                          strict=True):
        found[k].append((w, s, e))
    for k in np.flatnonzero(tied).tolist():
        a, span = int(starts[k]), int(spans[k])
        _candidates(weighed[a : a + span, cats[k]], n, lead, int(text_lens[k]), top, found[k])


def _candidates(
    weights: F32, n: int, lead: int, text_len: int, top: int, found: list[tuple[float, int, int]],
) -> None:
    """Add the `top` heaviest positive n-grams of one length to `found` as (weight, start, end)."""
    size = len(weights)
    best_pos = np.argpartition(-weights, top)[:top].tolist() if size > top else list(range(size))
    for pos, weight in zip(best_pos, weights[best_pos].tolist(), strict=True):
        start = max(pos - lead, 0)
        end = min(pos - lead + n, text_len)
        if end > start and weight > 0:
            found.append((weight, start, end))


def _best(found: list[tuple[float, int, int]], text_len: int, top: int) -> Evidence:
    """The strongest `top` candidates, a candidate inside a stronger one left out."""
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
        best = [(0, text_len, 0.0)]
    return Evidence(tuple(best))
