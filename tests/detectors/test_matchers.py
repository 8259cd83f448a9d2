"""matchers: hyperscan's literal matches agree with a plain `bytes.find` oracle; prefilter fallbacks."""

from __future__ import annotations

import numpy as np

from redline.detectors.matchers import LiteralMatcher, PatternPrefilter
from redline.text import normalize_batch

TEXTS = ["红包红包", "", "购物卡，红包", "无关的话", "包红", "红包购物卡"]
LITERALS = ["红包", "购物卡", "包红", "红包购物卡"]


def _oracle(literals: list[str], data: bytes) -> tuple[np.ndarray, np.ndarray]:
    ids, ends = [], []
    for pid, lit in enumerate(x.encode() for x in literals):
        at = data.find(lit)
        while at >= 0:
            ids.append(pid)
            ends.append(at + len(lit))
            at = data.find(lit, at + 1)
    return np.asarray(ids, dtype=np.int64), np.asarray(ends, dtype=np.int64)


def test_literal_matches_equal_a_find_oracle() -> None:
    joined = normalize_batch(TEXTS).texts.joined
    matcher = LiteralMatcher(LITERALS)
    found = matcher.scan(joined)
    got = sorted(zip(found.ids.tolist(), found.rows.tolist(), found.starts.tolist(), found.ends.tolist(), strict=True))
    ids, ends = _oracle(LITERALS, joined.utf8)
    rows, starts, stops = joined.locate(ends - matcher._lengths[ids], ends)
    expected = sorted(zip(ids.tolist(), rows.tolist(), starts.tolist(), stops.tolist(), strict=True))
    assert got == expected
    assert got == [
        (0, 0, 0, 2), (0, 0, 2, 4), (0, 2, 3, 5), (0, 5, 0, 2),  # ，between 汉字 is dropped
        (1, 2, 0, 3), (1, 5, 2, 5),
        (2, 0, 1, 3), (2, 4, 0, 2),
        (3, 5, 0, 5),
    ]


def test_a_pattern_hyperscan_rejects_makes_every_row_a_candidate() -> None:
    # \C (any byte) is RE2 syntax hyperscan refuses in UTF-8 mode: checked exactly on every row
    joined = normalize_batch(["甲", "乙", "丙"]).texts.joined
    prefilter = PatternPrefilter([r"乙", r"\C乙"])
    assert prefilter.candidates(joined) == [(0, 1), (1, 0), (1, 1), (1, 2)]
