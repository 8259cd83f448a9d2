"""Feature families tried for `clf.conduct` beside the shipped character n-grams (issue 20).

Each family turns a batch into (row, column) pairs; `matrix` stacks the families side by side
and scales every message by 1/sqrt(its number of features), as the shipped model does for
its n-grams, so a family adds evidence without changing how length is normalised.

- `char`: the shipped hasher's character n-grams (what `MultiLabelModel` scores at run time);
- `skip`: character skip-bigrams c1?c3 (两 characters with any one between: 发?群 covers
  发到群, 发工作群 does not), which survive a typo or inserted particle in the middle;
- `words`: jieba's words and word bigrams, hashed (jieba would put a segmenter on the
  screening path; its cost is measured in the card).
Only `char` has run-time code in the detector; the others are for measurement.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from redline.detectors.classifiers.hashing import NgramHasher, encode_batch

I64 = npt.NDArray[np.int64]
_PRIME: Final = np.uint64(0x100000001B3)  # the hashing module's constants
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_SKIP_TAG: Final = np.uint64(0x5C1F)  # keeps a skip-bigram's hash apart from the 2-gram's
FAMILY_BITS: Final = 18


def char_pairs(hasher: NgramHasher, texts: Sequence[str]) -> tuple[I64, I64]:
    batch = hasher.hash_batch(texts)
    return batch.rows, batch.buckets


def skip_pairs(texts: Sequence[str], bits: int = FAMILY_BITS) -> tuple[I64, I64]:
    """(row, bucket) of every skip-bigram (c[i], c[i+2]) inside one message, markers included."""
    cps, starts = encode_batch(texts, fold_digits=True, markers=True)
    total = cps.size
    if total < 3:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    lengths = np.diff(np.append(starts, total))
    row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    end_of = np.repeat(starts + lengths, lengths)
    pos = np.arange(total - 2, dtype=np.int64)
    valid = pos + 3 <= end_of[: total - 2]
    c64 = cps.astype(np.uint64)
    h = (c64[:-2] * _PRIME + _SKIP_TAG) * _PRIME + c64[2:]
    buckets = (((h ^ np.uint64(7)) * _MIX) >> np.uint64(64 - bits)).astype(np.int64)
    return row_of[: total - 2][valid], buckets[valid]


def word_pairs(texts: Sequence[str], bits: int = FAMILY_BITS) -> tuple[I64, I64]:
    """(row, bucket) of jieba's words and adjacent word pairs (crc32-hashed: stable across runs)."""
    import jieba

    jieba.setLogLevel(60)
    rows: list[int] = []
    buckets: list[int] = []
    mask = (1 << bits) - 1
    for i, text in enumerate(texts):
        words = [w for w in jieba.lcut(text) if w.strip()]
        grams = words + [f"{a}\x00{b}" for a, b in itertools.pairwise(words)]
        for gram in grams:
            rows.append(i)
            buckets.append(zlib.crc32(gram.encode()) & mask)
    return np.array(rows, dtype=np.int64), np.array(buckets, dtype=np.int64)


def matrix(texts: Sequence[str], hasher: NgramHasher, families: Sequence[str]) -> sp.csr_matrix:
    """The scaled feature matrix: `char` first (the hasher's buckets), then each family's block."""
    blocks: list[tuple[I64, I64, int]] = []
    width = 0
    for family in families:
        if family == "char":
            rows, cols = char_pairs(hasher, texts)
            size = 1 << hasher.bits
        elif family == "skip":
            rows, cols = skip_pairs(texts)
            size = 1 << FAMILY_BITS
        elif family == "words":
            rows, cols = word_pairs(texts)
            size = 1 << FAMILY_BITS
        else:
            raise ValueError(f"unknown feature family {family!r}")
        blocks.append((rows, cols + width, size))
        width += size
    all_rows = np.concatenate([b[0] for b in blocks])
    all_cols = np.concatenate([b[1] for b in blocks])
    counts = np.bincount(all_rows, minlength=len(texts))
    scale = 1.0 / np.sqrt(np.maximum(counts, 1))
    out = sp.csr_matrix((scale[all_rows], (all_rows, all_cols)), shape=(len(texts), width))
    out.sum_duplicates()
    return out
