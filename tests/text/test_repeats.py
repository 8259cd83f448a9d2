"""collapse_repeats: the stutter view holds only rows that repeat a 汉字, and maps back."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings, strategies as st

from redline.text import normalize_batch
from redline.text.repeats import collapse_repeats


def test_only_stuttering_rows_are_collapsed() -> None:
    batch = normalize_batch(["你好", "不得得外外传", "ok", "红红红包"])
    view = collapse_repeats(batch.texts.joined)
    assert view is not None
    assert view.rows.tolist() == [1, 3]
    assert [view.joined.row_text(i) for i in range(2)] == ["不得外传", "红包"]


def test_bigrams_keep_only_repeats_that_can_hide_a_term() -> None:
    term = "不得外传"
    keys = np.array(sorted((ord(a) << 21) | ord(b) for a, b in itertools.pairwise(term)), dtype=np.int64)
    batch = normalize_batch(["谢谢大家", "不得得外传", "哈哈哈"])
    view = collapse_repeats(batch.texts.joined, keys)
    assert view is not None
    assert view.rows.tolist() == [1]


def test_no_view_without_repeats() -> None:
    assert collapse_repeats(normalize_batch(["你好", "aa", "11"]).texts.joined) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="红包密机 a1", max_size=12), min_size=1, max_size=5))
def test_collapsed_spans_map_back_to_runs(texts: list[str]) -> None:
    batch = normalize_batch(texts)
    view = collapse_repeats(batch.texts.joined)
    if view is None:
        return
    for sub in range(len(view.rows)):
        text = view.joined.row_text(sub)
        assert all(a != b or not ("\u4e00" <= a <= "\u9fff") for a, b in itertools.pairwise(text))
        n = len(text)
        rows, starts, ends = view.to_batch(np.full(n, sub), np.arange(n), np.arange(n) + 1)
        row = int(view.rows[sub])
        source = batch.texts[row]
        for ch, s, e in zip(text, starts.tolist(), ends.tolist(), strict=True):
            assert set(source[s:e]) == {ch}  # each collapsed character stands for its run
        assert set(rows.tolist()) <= {row}
