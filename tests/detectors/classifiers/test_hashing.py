"""NgramHasher: n-grams per message, never across messages; folding keeps buckets equal."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from redline.detectors.classifiers.hashing import NgramHasher
from redline.text.normalize import normalize_batch

HASHER = NgramHasher(n_min=1, n_max=4, bits=16)


def _per_row(texts: list[str]) -> list[list[int]]:
    batch = HASHER.hash_batch(texts)
    return [sorted(batch.buckets[batch.rows == r].tolist()) for r in range(len(texts))]


def test_counts_are_the_number_of_ngrams_with_markers() -> None:
    # "abc" with start/end markers is 5 code points: 5 + 4 + 3 + 2 n-grams of length 1..4
    batch = HASHER.hash_batch(["abc", ""])
    assert batch.counts.tolist() == [14, 2 + 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=6))
def test_batch_equals_messages_one_by_one(texts: list[str]) -> None:
    assert _per_row(texts) == [_per_row([t])[0] for t in texts]


def test_full_width_upper_case_and_digits_fold() -> None:
    assert _per_row(["ＱＱ１２３"]) == _per_row(["qq999"])
    assert _per_row(["QQ"]) != _per_row(["微信"])


def test_row_scale_is_inverse_sqrt_of_counts() -> None:
    batch = HASHER.hash_batch(["abcd", "x"])
    assert np.allclose(HASHER.row_scale(batch), 1 / np.sqrt(batch.counts))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=6))
def test_weight_sums_equal_the_hashed_ngrams(texts: list[str]) -> None:
    weights = np.random.default_rng(0).normal(size=1 << HASHER.bits).astype(np.float32)
    batch = HASHER.hash_batch(texts)
    expected = np.bincount(batch.rows, weights=weights[batch.buckets], minlength=len(texts))
    sums, counts = HASHER.weight_sums(texts, weights)
    assert np.allclose(sums, expected, atol=1e-4)
    assert counts.tolist() == batch.counts.tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=6))
def test_normalised_batches_hash_like_their_strings(texts: list[str]) -> None:
    normalised = normalize_batch(texts).texts  # carries the joined code points
    as_strings = list(normalised)
    assert _per_row(normalised) == _per_row(as_strings)
