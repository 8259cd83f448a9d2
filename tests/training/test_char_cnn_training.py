"""Training of the character CNN (torch; skipped where the `train` extra is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

from redline.detectors.classifiers.char_cnn import CharCnn, CnnShape, build_onnx
from redline.training.char_cnn import CnnRecipe, fit_cnn, vocabulary

pytest.importorskip("torch")

SAFE = ["不是所有河南人都这样", "别搞地域黑", "黑人朋友很友善", "女权是平等的诉求", "我东北同事很实在"]
BAD = ["河南人都是骗子滚", "黑鬼滚回去", "女拳都该死", "东北人全是混子滚", "这些人都是垃圾滚"]


def _rows(n: int) -> tuple[list[str], np.ndarray]:
    texts = [t for i in range(n) for t in (SAFE[i % 5], BAD[i % 5])]
    return texts, np.array([i % 2 == 1 for i in range(len(texts))])


def test_vocabulary_keeps_characters_seen_often_enough() -> None:
    assert vocabulary(["aab", "ac"], min_count=2).tolist() == [ord("a")]
    assert vocabulary(["aab", "ac"], min_count=1).tolist() == [ord("a"), ord("b"), ord("c")]


def test_fit_is_reproducible_and_the_onnx_graph_serves_what_torch_learned() -> None:
    texts, labels = _rows(20)
    recipe = CnnRecipe(dim=8, filters=6, widths=(2, 3), max_len=16, epochs=3, batch=8, patience=3)
    arrays, log = fit_cnn(texts, labels, texts[:10], labels[:10], recipe)
    again, _ = fit_cnn(texts, labels, texts[:10], labels[:10], recipe)
    for key, value in arrays.items():
        assert np.array_equal(value, again[key]), key  # fixed seeds, one thread: byte-identical
    shape = CnnShape.from_dict(log["shape"])
    scores = CharCnn(build_onnx(arrays, shape), arrays["vocab"], shape).scores(texts)
    assert scores[labels].mean() > scores[~labels].mean()  # it learned the toy task at all
    assert 1 <= log["best_epoch"] <= 3
