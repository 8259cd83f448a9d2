"""A linear-chain CRF over characters, run on whole batches with numpy.

Features are hashed character-window templates computed for every position of the batch
at once; the same bucket ids (as strings) are what python-crfsuite trains on, so the
exported weights apply unchanged. Inference is forward-backward over length-sorted chunks
of messages, vectorised across the chunk, giving per-character tag marginals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.hashing import BOS, EOS, encode_batch

_PRIME: Final = np.uint64(0x100000001B3)
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
TAGS: Final = ("O", "B", "I")  # BIO over person names (人名)
# Templates as character offsets around the current position: unigrams in a ±2 window,
# bigrams across it and the centred trigram, the usual set for Chinese character NER.
TEMPLATES: Final[tuple[tuple[int, ...], ...]] = (
    (-2,), (-1,), (0,), (1,), (2,),
    (-2, -1), (-1, 0), (0, 1), (1, 2),
    (-1, 0, 1),
)
_CHUNK: Final = 4096  # segments per forward-backward chunk: amortises numpy call overhead
_SEGMENT: Final = 128  # longest chain run at once; chat messages are far shorter

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
# (P(tag) per character of the batch, flattened; message starts; message lengths)
Marginals = tuple[npt.NDArray[np.float64], I64, I64]


@dataclass(frozen=True, slots=True)
class CharFeatures:
    """Bucket ids of every template at every character of a batch."""

    buckets: I64  # shape (positions, templates)
    starts: I64  # first position of each message
    lengths: I64


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """Name knowledge as arrays: surname and given-name character classes, known full names.

    Built at training time from jieba's dictionary (words tagged nr, 人名); stored in the
    model file, so nothing is read from jieba at run time.
    """

    surname: npt.NDArray[np.uint8]  # per BMP code point: 1 if a one-character surname (姓)
    given: npt.NDArray[np.uint8]  # per BMP code point: 0..3, how often it ends a full name
    names2: npt.NDArray[np.uint64]  # sorted hashes of two-character names
    names3: npt.NDArray[np.uint64]  # sorted hashes of three-character names


def window_hashes(cps: npt.NDArray[np.uint32], n: int) -> npt.NDArray[np.uint64]:
    """Hash of cps[i : i + n] for every i with a full window (the names' hash function)."""
    span = cps.size - n + 1
    h = np.zeros(max(span, 0), dtype=np.uint64)
    for k in range(n):
        h = h * _PRIME + cps[k : k + span].astype(np.uint64)
    return h


def _lut(table: npt.NDArray[np.uint8], values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    inside = values < table.size
    return np.where(inside, table[np.minimum(values, table.size - 1)], 0).astype(np.uint64)


def char_features(texts: Sequence[str], bits: int, lexicon: NameLexicon) -> CharFeatures:
    """Hash every template at every character; positions are message characters, in order."""
    cps, starts = encode_batch(texts, fold_digits=True, markers=False)
    total = cps.size
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    msg_start = np.repeat(starts, lengths)
    msg_end = msg_start + np.repeat(lengths, lengths)
    pos = np.arange(total, dtype=np.int64)
    shift = np.uint64(64 - bits)
    last = max(total - 1, 0)
    windows: dict[int, npt.NDArray[np.uint64]] = {}
    inside: dict[int, npt.NDArray[np.bool_]] = {}
    for offset in range(-2, 3):
        q = pos + offset
        inside[offset] = (q >= msg_start) & (q < msg_end)
        pad = BOS if offset < 0 else EOS
        windows[offset] = np.where(inside[offset], cps[np.clip(q, 0, last)], pad).astype(np.uint64)
    # lexical values: surname / given-name class of nearby characters, and whether a known
    # two- or three-character name starts at, or covers, this character
    sur = {o: _lut(lexicon.surname, windows[o].astype(np.uint32)) for o in (-1, 0, 1)}
    giv = {o: _lut(lexicon.given, windows[o].astype(np.uint32)) for o in (-1, 0, 1, 2)}
    starts_name = {}
    for n, known in ((2, lexicon.names2), (3, lexicon.names3)):
        found = np.zeros(total, dtype=np.uint64)
        h = window_hashes(cps, n)
        if h.size and known.size:
            hit = np.isin(h, known) & (pos[: h.size] + n <= msg_end[: h.size])
            found[: h.size] = hit
        starts_name[n] = found
    def back(a: npt.NDArray[np.uint64], k: int) -> npt.NDArray[np.uint64]:
        out = np.zeros_like(a)
        out[k:] = a[:-k] if k else a
        return np.where(inside[-k], out, 0).astype(np.uint64)
    in_name = starts_name[3] * 1 + back(starts_name[3], 1) * 2 + back(starts_name[3], 2) * 4
    in_name = in_name + starts_name[2] * 8 + back(starts_name[2], 1) * 16
    lexical = (
        (sur[-1],), (sur[0],), (sur[1],), (giv[0],), (giv[1],), (giv[-1],),
        (sur[0], giv[1], giv[2]), (sur[-1], giv[0], giv[1]), (in_name,),
        (in_name, windows[0]),
    )
    columns = [tuple(windows[o] for o in template) for template in TEMPLATES] + list(lexical)
    out = np.empty((total, len(columns)), dtype=np.int64)
    for t, values in enumerate(columns):
        h = np.full(total, np.uint64(t + 1), dtype=np.uint64)
        for value in values:
            h = h * _PRIME + value
        out[:, t] = ((h * _MIX) >> shift).astype(np.int64)
    return CharFeatures(out, starts, lengths)


@dataclass(frozen=True, slots=True)
class CharCRF:
    """Emission weights per (bucket, tag) and tag-transition weights of a trained CRF."""

    bits: int
    lexicon: NameLexicon
    emissions: F32  # shape (2**bits, len(TAGS))
    transitions: F32  # shape (len(TAGS), len(TAGS)), from → to
    # L1 leaves a few thousand non-zero buckets of 2**20: a bucket → row map plus a small
    # table that stays in cache gathers ~2.5× faster than the dense 12 MB table.
    _rows: npt.NDArray[np.int32] = field(init=False, repr=False, compare=False)
    _table: npt.NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        used = np.flatnonzero(np.any(self.emissions != 0, axis=1))
        rows = np.zeros(self.emissions.shape[0], dtype=np.int32)
        rows[used] = np.arange(1, used.size + 1, dtype=np.int32)
        table = np.vstack([np.zeros((1, len(TAGS))), self.emissions[used].astype(np.float64)])
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_table", table)

    def emission_scores(self, buckets: I64) -> npt.NDArray[np.float64]:
        """Sum over templates of the emission weights: (positions, tags)."""
        rows = self._rows[buckets]
        scores = np.zeros((buckets.shape[0], len(TAGS)))
        for t in range(buckets.shape[1]):
            scores += self._table[rows[:, t]]
        return scores

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> CharCRF:
        """Rebuild from a model file's arrays (sparse emissions are made dense once)."""
        bits = int(arrays["bits"][0])
        emissions = np.zeros((1 << bits) * len(TAGS), dtype=np.float32)
        emissions[arrays["emission_index"].astype(np.int64)] = arrays["emission_weight"]
        lexicon = NameLexicon(
            surname=arrays["surname"].astype(np.uint8),
            given=arrays["given"].astype(np.uint8),
            names2=arrays["names2"].astype(np.uint64),
            names3=arrays["names3"].astype(np.uint64),
        )
        return cls(bits, lexicon, emissions.reshape(1 << bits, len(TAGS)),
                   arrays["transitions"].astype(np.float32))

    def marginals(self, texts: Sequence[str]) -> Marginals:
        """P(tag) for every character of the batch (flattened), with message starts and lengths.

        Forward-backward runs in probability space with per-step scaling, vectorised over
        chunks of length-sorted segments. Messages longer than `_SEGMENT` characters are
        cut into segments for the chain only (features still see the whole message), so
        one long message cannot pad a whole chunk; marginals right at a cut are approximate.
        """
        feats = char_features(texts, self.bits, self.lexicon)
        scores = self.emission_scores(feats.buckets)  # (positions, tags)
        # per-position scale does not change marginals: keep exp() in range
        weights = np.exp(scores - scores.max(axis=1, keepdims=True)) if scores.size else scores
        out = np.zeros_like(scores)
        seg_starts, seg_lens = _segments(feats.starts, feats.lengths)
        order = np.argsort(seg_lens, kind="stable")
        trans = np.exp(self.transitions.astype(np.float64))
        for lo in range(0, order.size, _CHUNK):
            rows = order[lo : lo + _CHUNK]
            lens = seg_lens[rows]
            width = int(lens.max())
            idx = seg_starts[rows][:, None] + np.arange(width)[None, :]
            live = np.arange(width)[None, :] < lens[:, None]
            emit = np.where(live[:, :, None], weights[np.where(live, idx, 0)], 1.0)
            alpha = np.empty_like(emit)
            beta = np.ones_like(emit)
            first = emit[:, 0]
            alpha[:, 0] = first / first.sum(axis=1, keepdims=True)
            for t in range(1, width):
                step = (alpha[:, t - 1] @ trans) * emit[:, t]
                step /= step.sum(axis=1, keepdims=True)
                alpha[:, t] = np.where(live[:, t, None], step, alpha[:, t - 1])
            for t in range(width - 2, -1, -1):
                step = (emit[:, t + 1] * beta[:, t + 1]) @ trans.T
                step /= step.sum(axis=1, keepdims=True)
                beta[:, t] = np.where(live[:, t + 1, None], step, 1.0)
            post = alpha * beta
            post /= post.sum(axis=2, keepdims=True)
            out[idx[live]] = post[live]
        return out, feats.starts, feats.lengths


def _segments(starts: I64, lengths: I64) -> tuple[I64, I64]:
    """Chain segments: each non-empty message cut into pieces of at most `_SEGMENT` characters."""
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    pieces = (lengths + _SEGMENT - 1) // _SEGMENT
    owner = np.repeat(np.arange(lengths.size), pieces)
    first_piece = np.repeat(np.cumsum(pieces) - pieces, pieces)
    k = np.arange(owner.size) - first_piece
    seg_starts = starts[owner] + k * _SEGMENT
    seg_lens = np.minimum(lengths[owner] - k * _SEGMENT, _SEGMENT)
    return seg_starts, seg_lens


@dataclass(frozen=True, slots=True)
class Span:
    """A decoded name: message row, character offsets (end exclusive) and confidence."""

    row: int
    start: int
    end: int
    score: float


def decode_spans(
    marginals: npt.NDArray[np.float64], starts: I64, lengths: I64, floor: float = 0.5
) -> list[Span]:
    """Name spans at a confidence `floor`, from per-character tag marginals.

    A character belongs to a name when P(B) + P(I) >= `floor`; a span opens where P(B)
    beats P(I) or the previous character is outside. Its score is the lowest P(B) + P(I)
    inside it, so a span is only as confident as its least certain character. The floor is
    the operating threshold: lowering it lengthens spans as well as adding new ones.
    """
    if marginals.shape[0] == 0:
        return []
    inside_p = 1.0 - marginals[:, 0]
    is_name = inside_p >= floor
    msg_of = np.repeat(np.arange(lengths.size), lengths)
    first = np.zeros(is_name.size, dtype=bool)
    first[starts[lengths > 0]] = True
    prev_name = np.r_[False, is_name[:-1]] & ~first
    opens = is_name & ((marginals[:, 1] > marginals[:, 2]) | ~prev_name)
    members = np.flatnonzero(is_name)
    if members.size == 0:
        return []
    ids = (np.cumsum(opens) - 1)[members]
    n_spans = int(opens.sum())
    begin = np.full(n_spans, np.iinfo(np.int64).max)
    end = np.zeros(n_spans, dtype=np.int64)
    low = np.ones(n_spans)
    np.minimum.at(begin, ids, members)
    np.maximum.at(end, ids, members + 1)
    np.minimum.at(low, ids, inside_p[members])
    rows = msg_of[begin]
    return [
        Span(int(r), int(b - starts[r]), int(e - starts[r]), float(s))
        for r, b, e, s in zip(rows, begin, end, low, strict=True)
    ]
