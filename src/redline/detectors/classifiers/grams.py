"""The hashed character n-grams of a batch, computed once and shared by every classifier.

clf.offensive, clf.promotion and clf.conduct (its gate and its full model) hash the same
windows of the same folded code points with the same constants; they differ only in how many
high bits of the mixed hash they keep (`bits`) and which n they use. So the mixed hash of every
window (`BatchGrams.mixed(n)`) is made once per batch and per folding, and each model only
shifts it, gathers its weights and sums them per message.

Summing: the weights of all n are added into one float64 value per window start (a window that
would cross into the next message adds nothing), then one `np.add.reduceat` over the batch
gives each message's sum. That is one pass where a running sum per n took four (numpy's
cumsum costs several times a gather). The sums equal the per-n running sums up to float64
rounding (a test holds them to the window-by-window definition). Two one-column tables of
the same size (clf.offensive, clf.promotion) are gathered together (`_pair_of`).

A subset of the batch's rows (the messages a gate let through) is a `Rows` view: the windows
of those rows are gathered from the batch's hashes, never re-joined and re-hashed.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.hashing import _BMP, _FOLD, BOS, EOS, NgramHasher, encode_batch
from redline.text.joined import JoinedText

_PRIME: Final = np.uint64(0x100000001B3)  # the constants of hashing.NgramHasher
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]


class Rows(Sequence[str]):
    """Some rows of a batch, as a `Sequence[str]` that remembers where they came from."""

    __slots__ = ("parent", "rows")

    def __init__(self, parent: Sequence[str], rows: I64) -> None:
        self.parent = parent
        self.rows = np.asarray(rows, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self.parent[int(r)] for r in self.rows[index].tolist()]
        return self.parent[int(self.rows[index])]

    def __iter__(self) -> Iterator[str]:
        parent = self.parent
        return (parent[r] for r in self.rows.tolist())


@dataclass(slots=True)
class BatchGrams:
    """A batch's folded code points (BOS/EOS around each message) and window hashes by n."""

    cps: U64
    starts: I64  # where each message (its BOS) starts in `cps`
    lengths: I64  # code points of each message, markers included
    _mixed: list[U64] = field(default_factory=list)  # _mixed[n - 1]: every window of length n
    _state: U64 | None = None  # the rolling hash of the longest n made so far
    _buckets: dict[tuple[int, int], I64] = field(default_factory=dict)
    _paired: dict[tuple[int, int, int], npt.NDArray[np.float32]] = field(default_factory=dict)

    def paired(self, n: int, bits: int, table: npt.NDArray[np.uint64]) -> npt.NDArray[np.float32]:
        """(windows, 2) weights of a paired table (`_pair_of`) for every window of length n,
        the windows that run past their message's end set to 0; made once per batch."""
        key = (n, bits, id(table))
        found = self._paired.get(key)
        if found is None:
            found = table.take(self.buckets(n, bits)).view(np.float32).reshape(-1, 2)
            _zero_crossing(found, self.starts + self.lengths - 1, n)
            self._paired[key] = found
        return found

    def buckets(self, n: int, bits: int) -> I64:
        """The `bits`-bit bucket of every window of length n (models with the same hasher
        share them: clf.offensive and clf.promotion)."""
        found = self._buckets.get((n, bits))
        if found is None:
            # below 2**bits, so the same number read as a signed index (a view: no copy)
            found = self._buckets[(n, bits)] = (self.mixed(n) >> np.uint64(64 - bits)).view(np.int64)
        return found

    def mixed(self, n: int) -> U64:
        """The mixed 64-bit hash of every window of length n (`len(cps) - n + 1` of them)."""
        while len(self._mixed) < n:
            k = len(self._mixed) + 1
            span = max(len(self.cps) - k + 1, 0)
            prev = self._state if self._state is not None else np.zeros(len(self.cps), dtype=np.uint64)
            state = prev[:span] * _PRIME  # new arrays only where needed: the rest in place
            state += self.cps[k - 1 : k - 1 + span]
            self._state = state
            mixed = state ^ np.uint64(k)
            mixed *= _MIX
            self._mixed.append(mixed)
        return self._mixed[n - 1]


# The classifiers of a plan all ask about the same batch: one entry per folding, compared by
# identity with the batch's JoinedText (it holds the batch, so the id cannot be reused).
_last: tuple[JoinedText, dict[tuple[bool, bool], BatchGrams]] | None = None


@functools.cache
def _full_fold(fold_digits: bool) -> npt.NDArray[np.uint32]:
    """hashing's folding of the BMP as a table over every code point (one gather, no `where`)."""
    table = np.arange(0x110000, dtype=np.uint32)
    table[:_BMP] = _FOLD[fold_digits]
    return table


def _make(texts: Sequence[str], fold_digits: bool, markers: bool) -> BatchGrams:
    joined = getattr(texts, "joined", None)
    if markers and isinstance(joined, JoinedText) and len(joined):
        # encode_batch's result, from the batch's code points: each NUL between two messages
        # becomes EOS, BOS; the lengths are the rows' own (no string is built to count them)
        raw = joined.codepoints
        body = np.repeat(raw, 1 + (raw == 0))
        seps = np.flatnonzero(body == 0)
        body[seps[0::2]] = EOS
        body[seps[1::2]] = BOS
        cps = np.concatenate(([BOS], _full_fold(fold_digits).take(body), [EOS])).astype(np.uint64)
        lengths = joined.row_ends - joined.row_starts + 2
        return BatchGrams(cps, np.cumsum(lengths) - lengths, lengths)
    cps32, starts = encode_batch(texts, fold_digits=fold_digits, markers=markers)
    lengths = np.diff(np.append(starts, cps32.size))
    return BatchGrams(cps32.astype(np.uint64), starts, lengths)


def batch_grams(texts: Sequence[str], hasher: NgramHasher) -> BatchGrams:
    """The n-gram hashes of `texts` under `hasher`'s folding, shared across one batch."""
    global _last
    key = (hasher.fold_digits, hasher.markers)
    joined = getattr(texts, "joined", None)
    if not isinstance(joined, JoinedText):
        return _make(texts, *key)
    last = _last
    if last is None or last[0] is not joined:
        last = _last = (joined, {})
    found = last[1].get(key)
    if found is None:
        found = last[1][key] = _make(texts, *key)
    return found


@dataclass(frozen=True, slots=True)
class Windows:
    """The windows of some messages of a batch, laid end to end: message k's windows start
    at `seg_starts[k]` and there are `seg_lengths[k]` start positions (markers included)."""

    grams: BatchGrams
    seg_starts: I64
    seg_lengths: I64
    positions: I64 | None  # where each laid-out position is in the batch; None: the whole batch

    def __len__(self) -> int:
        return len(self.grams.cps) if self.positions is None else len(self.positions)

    def buckets(self, n: int, bits: int) -> I64:
        """The bucket of every window of length n, by laid-out start position (near the end
        of the batch there are fewer: `len(cps) - n + 1`)."""
        if self.positions is None:
            return self.grams.buckets(n, bits)
        mixed = self.grams.mixed(n)
        if len(mixed):
            mixed = mixed.take(np.minimum(self.positions, len(mixed) - 1))
        out: I64 = (mixed >> np.uint64(64 - bits)).view(np.int64)
        return out


def windows(hasher: NgramHasher, texts: Sequence[str], rows: I64 | None = None) -> Windows:
    """The windows of `texts` (all of them, or only `rows`) under `hasher`'s folding."""
    grams = batch_grams(texts, hasher)
    if rows is None:
        lengths = grams.lengths
        return Windows(grams, np.cumsum(lengths) - lengths, lengths, None)
    lengths = grams.lengths[rows]
    ends = np.cumsum(lengths)
    # every code point of the chosen rows, in row order: a running index per segment
    positions = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    positions += np.repeat(grams.starts[rows] - (ends - lengths), lengths)
    return Windows(grams, ends - lengths, lengths, positions)


def _zero_crossing(vals: npt.NDArray[np.generic], last: I64, n: int) -> None:
    """Set to 0 the n - 1 windows before each message's last position: they run past its end.

    (A message shorter than n - 1 at the very start gives a negative index: the last window
    of the batch, which is not to be touched.)
    """
    crossing = (last[:, None] - np.arange(n - 1, dtype=np.int64)[None, :]).ravel()
    vals[crossing[(crossing >= 0) & (crossing < len(vals))]] = 0


# Two one-column tables with the same buckets (clf.offensive and clf.promotion: 2**20 float32
# each) are gathered as one table of 8-byte records: a bucket's two weights share a cache
# line, and one random read serves both models (about half the cost of two gathers).
_SEEN: dict[int, weakref.ref[npt.NDArray[np.float32]]] = {}  # bits → the first table, unpaired
_PAIRED: dict[int, tuple[weakref.ref[npt.NDArray[np.float32]], weakref.ref[npt.NDArray[np.float32]],
                         npt.NDArray[np.uint64]]] = {}


def _pair_of(weights: npt.NDArray[np.float32], bits: int) -> tuple[npt.NDArray[np.uint64], int] | None:
    """(interleaved table, column of `weights` in it), once a second table of `bits` is seen."""
    pair = _PAIRED.get(bits)
    if pair is not None:
        first, second = pair[0](), pair[1]()
        if first is weights or second is weights:
            return pair[2], 0 if first is weights else 1
        if first is not None and second is not None:
            return None  # a third table of the same size: it gathers alone
    seen = _SEEN.get(bits)
    other = seen() if seen is not None else None
    if other is None or other is weights or other.shape != weights.shape:
        _SEEN[bits] = weakref.ref(weights)
        return None
    interleaved = np.ascontiguousarray(np.stack([other, weights], axis=1)).view(np.uint64).ravel()
    _PAIRED[bits] = (weakref.ref(other), weakref.ref(weights), interleaved)
    _SEEN.pop(bits, None)  # (another thread may have paired it meanwhile: pairing twice is harmless)
    return interleaved, 1


def window_sums(hasher: NgramHasher, texts: Sequence[str], weights: npt.NDArray[np.float32]) -> tuple[F64, I64]:
    """Per message: the sum of `weights[bucket]` over its n-grams (n_min..n_max); n-gram counts.

    `weights` is (2**bits,) or (2**bits, K); the sums are (messages,) or (messages, K).
    `texts` may be a `Rows` view of a batch: only those rows are summed.
    """
    rows: I64 | None = None
    if isinstance(texts, Rows):
        if 2 * len(texts.rows) > len(texts.parent):
            # most of the batch (a gate's long-enough rows): summing every row and picking
            # is cheaper than gathering the rows' windows, and gives the same sums
            every, every_count = window_sums(hasher, texts.parent, weights)
            return every[texts.rows], every_count[texts.rows]
        rows, texts = texts.rows, texts.parent
    win = windows(hasher, texts, rows)
    seg_starts, seg_lengths, size = win.seg_starts, win.seg_lengths, len(win)
    n_rows = len(seg_lengths)
    shape = (n_rows,) if weights.ndim == 1 else (n_rows, weights.shape[1])
    counts = np.zeros(n_rows, dtype=np.int64)
    if size == 0 or n_rows == 0:
        return np.zeros(shape), counts
    for n in range(hasher.n_min, hasher.n_max + 1):
        counts += np.maximum(seg_lengths - n + 1, 0)
    acc = np.zeros((size, *shape[1:]))
    whole = rows is None and weights.ndim == 1 and weights.dtype == np.float32
    paired = _pair_of(weights, hasher.bits) if whole else None
    add_grams(acc, win, weights, hasher.bits, range(hasher.n_min, hasher.n_max + 1), paired)
    return reduce_windows(acc, seg_starts, seg_lengths), counts


def add_grams(acc: npt.NDArray[np.float64], win: Windows, weights: npt.NDArray[np.floating[Any]], bits: int,
              ns: range, paired: tuple[npt.NDArray[np.uint64], int] | None = None) -> None:
    """Add to each window start's `acc` the weights of its n-grams, n in `ns` in that order (the
    order fixes the floating-point sums: ngram_gate adds the 3–4-grams later and must match
    window_sums bit for bit); windows that run past their message's end add nothing."""
    last = win.seg_starts + win.seg_lengths - 1  # each message's EOS (or last code point)
    for n in ns:
        buckets = win.buckets(n, bits)
        if not len(buckets):
            break  # no message of the batch is n long
        if paired is not None:
            vals = win.grams.paired(n, bits, paired[0])[:, paired[1]]  # crossing windows at 0
        else:
            vals = weights.take(buckets, axis=0)
            _zero_crossing(vals, last, n)
        acc[: len(vals)] += vals


def reduce_windows(acc: npt.NDArray[np.float64], starts: I64, lengths: I64) -> F64:
    """Per message, the sum of its window starts' `acc` rows.

    reduceat over the messages that have code points (only without markers can one have
    none): it sums each up to the next one's start, and an empty one would cut it short."""
    filled = lengths > 0
    if filled.all():
        sums: F64 = np.add.reduceat(acc, starts, axis=0)
        return sums
    sums = np.zeros((len(lengths), *acc.shape[1:]))
    sums[filled] = np.add.reduceat(acc, starts[filled], axis=0)
    return sums


def sigmoid(logits: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float64]:
    """The logistic function without overflow: beyond |40| a score is 0 or 1 to double precision
    anyway, and a model with a large intercept shift (class weighting's prior correction) would
    otherwise overflow `exp` on very long or very short messages."""
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(np.asarray(logits, dtype=np.float64), -40.0, 40.0)))
    return out
