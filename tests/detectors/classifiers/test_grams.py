"""grams: one batch's n-gram hashes shared by the classifiers, equal to hashing each message alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors.classifiers import conduct_files, grams
from redline.detectors.classifiers.hashing import NgramHasher
from redline.detectors.classifiers.multilabel import MultiLabelModel
from redline.text.normalize import normalize_batch

HASHERS = [
    NgramHasher(n_min=1, n_max=4, bits=16),
    NgramHasher(n_min=2, n_max=3, bits=12, fold_digits=False),
    NgramHasher(n_min=1, n_max=2, bits=10, markers=False),  # a message may have no code point at all
]
# chat-like text: 汉字, full-width forms, digits, spaces, an emoji, an empty message
TEXTS = st.lists(st.text(alphabet="红包转发文件机密领导选举一把五十 0123abcＡ，。！😀\u0301", max_size=20), max_size=8)


def _reference(hasher: NgramHasher, texts: list[str], weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Window by window, message by message: the definition the batch path must meet."""
    batch = hasher.hash_batch(texts)
    cols = 1 if weights.ndim == 1 else weights.shape[1]
    w2 = weights.reshape(weights.shape[0], cols).astype(np.float64)
    sums = np.zeros((len(texts), cols))
    np.add.at(sums, batch.rows, w2[batch.buckets])
    return sums.reshape((len(texts),) if weights.ndim == 1 else (len(texts), cols)), batch.counts


@pytest.mark.parametrize("hasher", HASHERS)
@pytest.mark.parametrize("columns", [0, 3])
@settings(max_examples=40, deadline=None)
@given(texts=TEXTS)
def test_window_sums_equal_the_ngram_by_ngram_sums(hasher: NgramHasher, columns: int, texts: list[str]) -> None:
    rng = np.random.default_rng(len(texts))
    shape = (1 << hasher.bits,) if columns == 0 else (1 << hasher.bits, columns)
    weights = rng.normal(size=shape).astype(np.float32)
    for given_texts in (texts, normalize_batch(texts).texts):  # plain strings, and a batch's shared hashes
        reference, _ = _reference(hasher, list(given_texts), weights)
        sums, got_counts = grams.window_sums(hasher, given_texts, weights)
        np.testing.assert_allclose(sums, reference, rtol=1e-9, atol=1e-9)
        assert got_counts.tolist() == hasher.hash_batch(list(given_texts)).counts.tolist()


@settings(max_examples=40, deadline=None)
@given(texts=TEXTS.filter(bool), data=st.data())
def test_a_subset_of_rows_sums_like_the_rows_alone(texts: list[str], data: st.DataObject) -> None:
    hasher = HASHERS[0]
    weights = np.random.default_rng(1).normal(size=(1 << hasher.bits, 2)).astype(np.float32)
    batch = normalize_batch(texts).texts
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, len(texts) - 1)))), dtype=np.int64)
    sums, counts = grams.window_sums(hasher, grams.Rows(batch, rows), weights)
    alone, alone_counts = _reference(hasher, [batch[int(r)] for r in rows], weights)
    np.testing.assert_allclose(sums, alone, rtol=1e-9, atol=1e-9)
    assert counts.tolist() == alone_counts.tolist()


def test_the_batch_hashes_are_made_once_and_shared() -> None:
    batch = normalize_batch(["红包接龙一把五十", "收到"]).texts
    first = grams.batch_grams(batch, HASHERS[0])
    assert grams.batch_grams(batch, NgramHasher(n_min=1, n_max=3, bits=18)) is first  # same folding
    assert grams.batch_grams(batch, HASHERS[1]) is not first  # digits kept: other code points
    assert grams.batch_grams(normalize_batch(["红包接龙一把五十", "收到"]).texts, HASHERS[0]) is not first


def test_rows_view_reads_like_a_list() -> None:
    view = grams.Rows(["a", "b", "c", "d"], np.array([3, 1]))
    assert list(view) == ["d", "b"]
    assert (view[0], view[1:], len(view)) == ("d", ["b"], 2)


@pytest.fixture(scope="module")
def model() -> MultiLabelModel:
    return conduct_files.active().model


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(alphabet="哈哈哈红包转发文件机密领导投票一把五十 0123ohh😅", min_size=1, max_size=40),
                      min_size=1, max_size=6))
def test_evidence_of_many_leads_is_each_leads_evidence(model: MultiLabelModel, texts: list[str]) -> None:
    """Repeated characters give equal weights: the tie cases must pick as `evidence` does."""
    batch = normalize_batch(texts).texts
    rows = [r for r in range(len(texts)) for _ in range(2)]
    categories = [k % len(model.categories) for k in range(len(rows))]
    many = model.evidence_rows(batch, rows, categories)
    assert many == [model.evidence(batch[r], c) for r, c in zip(rows, categories, strict=True)]


@settings(max_examples=30, deadline=None)
@given(texts=TEXTS)
def test_tables_gathered_in_pairs_sum_as_alone(texts: list[str]) -> None:
    """Two (or three) one-column tables of one size share their gathers; each sums as alone."""
    hasher = HASHERS[0]
    rng = np.random.default_rng(7)
    tables = [rng.normal(size=1 << hasher.bits).astype(np.float32) for _ in range(3)]
    for _ in range(2):  # the first round pairs the tables up, the second uses the pair
        batch = normalize_batch(texts).texts
        for table in tables:
            reference, _ = _reference(hasher, list(batch), table)
            sums, _ = grams.window_sums(hasher, batch, table)
            np.testing.assert_allclose(sums, reference, rtol=1e-9, atol=1e-9)


def test_the_first_two_tables_of_a_size_pair_up() -> None:
    bits = 9  # a size no other test uses
    first, second, third = (np.full(1 << bits, k, dtype=np.float32) for k in (1, 2, 3))
    assert grams._pair_of(first, bits) is None  # waiting for a partner
    table, column = grams._pair_of(second, bits) or (None, -1)
    assert column == 1
    assert table is not None
    assert table.view(np.float32).reshape(-1, 2)[5].tolist() == [1.0, 2.0]
    assert grams._pair_of(first, bits) == (table, 0)
    assert grams._pair_of(third, bits) is None  # a third one gathers alone
