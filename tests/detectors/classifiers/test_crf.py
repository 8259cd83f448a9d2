"""CharCRF span decoding: runs of likely-name characters, split at B, scored by their weakest."""

from __future__ import annotations

import numpy as np
import pytest

from redline.detectors.classifiers.crf import Span, decode_spans

# Marginals per character as (P(O), P(B), P(I)).
OUT, BEGIN, INSIDE, WEAK_I = (1.0, 0.0, 0.0), (0.05, 0.9, 0.05), (0.1, 0.0, 0.9), (0.6, 0.0, 0.4)


def _decode(rows: list[list[tuple[float, float, float]]], floor: float) -> list[tuple[int, int, int, float]]:
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    starts = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64)
    flat = np.array([p for r in rows for p in r], dtype=np.float64).reshape(-1, 3)
    return [(s.row, s.start, s.end, round(s.score, 2)) for s in decode_spans(flat, starts, lengths, floor)]


@pytest.mark.parametrize(
    ("rows", "floor", "expected"),
    [
        ([[OUT, BEGIN, INSIDE, OUT]], 0.5, [(0, 1, 3, 0.9)]),
        ([[OUT, BEGIN, INSIDE, WEAK_I, OUT]], 0.5, [(0, 1, 3, 0.9)]),
        ([[OUT, BEGIN, INSIDE, WEAK_I, OUT]], 0.3, [(0, 1, 4, 0.4)]),  # a lower floor lengthens the span
        ([[BEGIN, INSIDE, BEGIN, INSIDE]], 0.5, [(0, 0, 2, 0.9), (0, 2, 4, 0.9)]),  # adjacent names split at BEGIN
        ([[OUT, INSIDE, INSIDE]], 0.5, [(0, 1, 3, 0.9)]),  # INSIDE after OUT still opens a span
        ([[BEGIN, INSIDE], [INSIDE, OUT]], 0.5, [(0, 0, 2, 0.9), (1, 0, 1, 0.9)]),  # never across messages
        ([[], [OUT, OUT]], 0.5, []),
    ],
    ids=["one", "weak-tail-cut", "weak-tail-kept", "adjacent", "i-after-o", "rows", "empty"],
)
def test_decode(rows: list[list[tuple[float, float, float]]], floor: float,
                expected: list[tuple[int, int, int, float]]) -> None:
    assert _decode(rows, floor) == expected


def test_no_characters() -> None:
    empty = np.zeros((0, 3))
    assert decode_spans(empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)) == []
    assert Span(0, 0, 1, 0.5).end == 1
