"""Training smoke test: a tiny NB-LR fit on a small subset; inference equals the training features."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from redline.detectors.classifiers.base import LinearTextModel, load_model_files, save_arrays
from redline.detectors.classifiers.hashing import NgramHasher
from redline.errors import ConfigError
from redline.training.linear import (
    feature_matrix,
    fit_adapted,
    fit_linear,
    fit_linear_with_ratio,
    save_linear,
)

HASHER = NgramHasher(n_min=1, n_max=3, bits=16)
ADS = ["出售账号加qq123456", "代购化妆品私聊", "兼职日结加微信", "出vape100r", "优惠券链接券后9.9元"] * 8
CHAT = ["明天开会", "收到", "材料交了", "晚上吃什么", "今天好热啊"] * 8


def _fit() -> LinearTextModel:
    return fit_linear(HASHER, ADS + CHAT, [True] * len(ADS) + [False] * len(CHAT), c=1.0)


def test_tiny_fit_separates_and_scores_match_the_training_features() -> None:
    model = _fit()
    texts = ["出售化妆品加微信", "明天开会吗", ""]
    scores = model.scores(texts)
    assert scores[0] > 0.5 > scores[1]
    logits = feature_matrix(HASHER, texts) @ model.weights.astype(np.float64) + model.bias
    assert np.allclose(scores, 1 / (1 + np.exp(-logits)))


def test_with_ratio_is_the_same_fit() -> None:
    labels = np.array([True] * len(ADS) + [False] * len(CHAT))
    model, ratio = fit_linear_with_ratio(HASHER, ADS + CHAT, labels, c=1.0)
    assert np.array_equal(model.weights, _fit().weights)
    assert ratio.shape == (1 << HASHER.bits,)


def test_adaptation_learns_the_new_sample_and_stays_one_linear_model() -> None:
    labels = np.array([True] * len(ADS) + [False] * len(CHAT))
    base, ratio = fit_linear_with_ratio(HASHER, ADS + CHAT, labels, c=1.0)
    # the target distribution: "加微信" is innocent here (a colleague's contact), ads say 代购
    sample = ["同事说加微信发材料", "开会的事加微信说", "代购面膜私聊", "代购包包私聊"] * 6
    sample_labels = np.array([False, False, True, True] * 6)
    adapted = fit_adapted(base, ratio, sample, sample_labels, c=10.0)
    probe = ["开会加微信"]
    assert adapted.scores(probe)[0] < 0.5 < base.scores(probe)[0]
    assert adapted.scores(["代购面膜私聊"])[0] > 0.5
    texts = ["出售化妆品加微信", "明天开会吗", ""]
    logits = feature_matrix(HASHER, texts) @ adapted.weights.astype(np.float64) + adapted.bias
    assert np.allclose(adapted.scores(texts), 1 / (1 + np.exp(-logits)))
    again = fit_adapted(base, ratio, sample, sample_labels, c=10.0)
    assert np.array_equal(again.weights, adapted.weights)
    assert again.bias == adapted.bias


def test_model_file_round_trip_is_byte_identical(tmp_path: Path) -> None:
    model = _fit()
    sha_a = save_linear(model, tmp_path / "a.npz")
    sha_b = save_linear(_fit(), tmp_path / "b.npz")
    assert sha_a == sha_b  # reproducible: fixed seeds, fixed zip timestamps
    folder = tmp_path / "m"
    folder.mkdir()
    (tmp_path / "a.npz").rename(folder / "model.npz")
    meta = {"version": "t", "threshold": 0.5, "sha256": sha_a,
            "hasher": {"n_min": 1, "n_max": 3, "bits": 16, "fold_digits": True, "markers": True}}
    (folder / "model.json").write_text(json.dumps(meta))
    loaded = LinearTextModel.from_files(load_model_files(folder))
    assert np.allclose(loaded.scores(ADS[:5]), model.scores(ADS[:5]), atol=1e-6)


def test_checksum_mismatch_is_refused(tmp_path: Path) -> None:
    save_arrays(tmp_path / "model.npz", {"weights": np.zeros(4, dtype=np.float16)})
    (tmp_path / "model.json").write_text(json.dumps({"sha256": "0" * 64}))
    with pytest.raises(ConfigError, match="does not match"):
        load_model_files(tmp_path)


def test_object_arrays_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Python objects"):
        save_arrays(tmp_path / "x.npz", {"bad": np.array([{"a": 1}], dtype=object)})
