"""Character n-gram feature hashing over a whole batch, on UTF-32 code points with numpy.

No Python object is made per n-gram: the batch is joined once, encoded to UTF-32, folded
with a lookup table (offsets unchanged) and every n-gram becomes a bucket id by a rolling
multiply-add hash over uint64 arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.text.joined import JoinedText

BOS: Final = 0x02  # start-of-message marker, so "出" at the very start is its own feature
EOS: Final = 0x03
_PRIME: Final = np.uint64(0x100000001B3)  # FNV-64 prime: spreads code points across bits
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the high bits are well mixed
_BMP: Final = 0x10000

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


def _fold_table(fold_digits: bool) -> U32:
    """One-to-one folding of the Basic Multilingual Plane: full→half width, upper→lower."""
    lut = np.arange(_BMP, dtype=np.uint32)
    full = np.arange(0xFF01, 0xFF5F, dtype=np.uint32)
    lut[full] = full - 0xFEE0  # full-width ASCII (ＡＢＣ１２３) → ASCII
    lut[0x3000] = 0x20  # ideographic space
    upper = (lut >= ord("A")) & (lut <= ord("Z"))
    lut[upper] += 32
    if fold_digits:
        # A QQ number or price generalises better as "0000000000" than as itself.
        digits = (lut >= ord("0")) & (lut <= ord("9"))
        lut[digits] = ord("0")
    return lut


_FOLD: Final = {True: _fold_table(True), False: _fold_table(False)}


def _raw_codepoints(texts: Sequence[str], markers: bool) -> U32:
    """The batch's code points, each message wrapped in BOS/EOS when `markers`.

    A normalised batch already carries its code points (NUL between messages); they are
    reused rather than re-joined and re-encoded.
    """
    joined = getattr(texts, "joined", None)
    if isinstance(joined, JoinedText):
        raw = joined.codepoints
        if not markers:
            return raw[raw != 0] if raw.size else raw
        if not len(texts):
            return np.zeros(0, dtype=np.uint32)
        body = np.repeat(raw, 1 + (raw == 0))  # each NUL separator becomes an EOS, BOS pair
        seps = np.flatnonzero(body == 0)
        body[seps[0::2]] = EOS
        body[seps[1::2]] = BOS
        return np.concatenate(([BOS], body, [EOS])).astype(np.uint32)
    if markers:
        joined_str = "\x02" + "\x03\x02".join(texts) + "\x03" if texts else ""
    else:
        joined_str = "".join(texts)
    return np.frombuffer(joined_str.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def encode_batch(texts: Sequence[str], *, fold_digits: bool, markers: bool) -> tuple[U32, I64]:
    """Join a batch into one folded code-point array; return it and each message's start.

    With `markers`, every message is wrapped in BOS/EOS. Message k occupies
    `cps[starts[k]:starts[k + 1]]` (the last one runs to the end).
    """
    raw = _raw_codepoints(texts, markers)
    lut = _FOLD[fold_digits]
    cps = np.where(raw < _BMP, lut[raw & 0xFFFF], raw).astype(np.uint32, copy=False)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + (2 if markers else 0)
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return cps, starts


@dataclass(frozen=True, slots=True)
class HashedBatch:
    """The n-grams of a batch: row (message index) and bucket of each, and counts per row."""

    rows: I64
    buckets: I64
    counts: I64  # number of n-grams per message (for length normalisation)


@dataclass(frozen=True, slots=True)
class NgramHasher:
    """Hashes character n-grams of lengths n_min..n_max into 2**bits buckets."""

    n_min: int = 1
    n_max: int = 4
    bits: int = 20
    fold_digits: bool = True
    markers: bool = True

    def hash_batch(self, texts: Sequence[str]) -> HashedBatch:
        """Bucket ids of every n-gram of every message; n-grams never cross messages."""
        n_rows = len(texts)
        cps, starts = encode_batch(texts, fold_digits=self.fold_digits, markers=self.markers)
        total = cps.size
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return HashedBatch(empty, empty, np.zeros(n_rows, dtype=np.int64))
        lengths = np.diff(np.append(starts, total))
        row_of = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        end_of = np.repeat(starts + lengths, lengths)  # exclusive end of each position's message
        pos = np.arange(total, dtype=np.int64)
        shift = np.uint64(64 - self.bits)
        h = np.zeros(total, dtype=np.uint64)
        rows: list[I64] = []
        buckets: list[I64] = []
        for n in range(1, self.n_max + 1):
            span = total - n + 1
            if span <= 0:
                break
            # h[i] holds the hash of cps[i : i + n] after this step (wrapping uint64 arithmetic).
            h = h[:span] * _PRIME + cps[n - 1 :].astype(np.uint64)
            if n < self.n_min:
                continue
            valid = pos[:span] + n <= end_of[:span]
            mixed = (h[valid] ^ np.uint64(n)) * _MIX
            buckets.append((mixed >> shift).astype(np.int64))
            rows.append(row_of[:span][valid])
        all_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        all_buckets = np.concatenate(buckets) if buckets else np.zeros(0, dtype=np.int64)
        counts = np.bincount(all_rows, minlength=n_rows).astype(np.int64)
        return HashedBatch(all_rows, all_buckets, counts)

    def row_scale(self, batch: HashedBatch) -> npt.NDArray[np.float64]:
        """Per-message feature scale: 1/sqrt(number of n-grams), so long texts do not dominate."""
        return 1.0 / np.sqrt(np.maximum(batch.counts, 1))

    def weight_sums(
        self, texts: Sequence[str], weights: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.float64], I64]:
        """Per message: sum of `weights[bucket]` over its n-grams, and its n-gram count.

        The inference path: no masks and no per-n-gram row ids. Every window of the joined
        array is hashed, and a running sum per n turns each message's range of windows
        into one subtraction; windows that cross a message boundary fall outside every
        range. Equal to summing over `hash_batch` (a test holds them together).
        """
        n_rows = len(texts)
        cps, starts = encode_batch(texts, fold_digits=self.fold_digits, markers=self.markers)
        total = cps.size
        sums = np.zeros(n_rows)
        counts = np.zeros(n_rows, dtype=np.int64)
        if total == 0:
            return sums, counts
        lengths = np.diff(np.append(starts, total))
        cps64 = cps.astype(np.uint64)
        shift = np.uint64(64 - self.bits)
        h = np.zeros(total, dtype=np.uint64)
        running = np.zeros(total + 1)
        for n in range(1, self.n_max + 1):
            span = total - n + 1
            if span <= 0:
                break
            h = h[:span] * _PRIME + cps64[n - 1 :]
            if n < self.n_min:
                continue
            buckets = ((h ^ np.uint64(n)) * _MIX) >> shift
            np.cumsum(weights[buckets], dtype=np.float64, out=running[1 : span + 1])
            windows = np.maximum(lengths - n + 1, 0)
            sums += running[starts + windows] - running[starts]
            counts += windows
        return sums, counts
