"""The character CNN's serving path: an ONNX graph built from numpy arrays, run by onnxruntime.

No torch here: a tiny network with made-up weights is built in the test, and onnxruntime's
answers are held to a plain numpy forward pass of the same arrays.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors.classifiers.char_cnn import (
    UNKNOWN,
    CharCnn,
    CnnShape,
    build_onnx,
    encode,
    forward_numpy,
    graph_array,
    pad_length,
)
from redline.detectors.classifiers.offensive_cascade import CnnStage

ALPHABET = "黑人女权河南不是歧视就滚好的收到abc 1"


def _tiny(seed: int, widths: tuple[int, ...] = (2, 3), max_len: int = 12) -> tuple[dict[str, np.ndarray], CnnShape]:
    rng = np.random.default_rng(seed)
    vocab = np.array(sorted({ord(c) for c in ALPHABET[:-3]}), dtype=np.int64)  # 'a', ' ', '1' … unknown
    shape = CnnShape(vocab_size=len(vocab) + 2, dim=5, filters=4, widths=widths, max_len=max_len)
    embed = rng.normal(size=(shape.vocab_size, shape.dim)).astype(np.float32)
    embed[0] = 0.0  # padding row, as torch's padding_idx keeps it
    arrays: dict[str, np.ndarray] = {"vocab": vocab, "embed": embed,
                                     "out_w": rng.normal(size=shape.filters * len(widths)).astype(np.float32),
                                     "out_b": np.array([0.1], dtype=np.float32)}
    for w in widths:
        arrays[f"conv{w}_w"] = rng.normal(size=(shape.filters, shape.dim, w)).astype(np.float32)
        arrays[f"conv{w}_b"] = rng.normal(size=shape.filters).astype(np.float32)
    return arrays, shape


def test_encode_maps_known_unknown_and_padding() -> None:
    vocab = np.array([ord("好"), ord("黑")], dtype=np.int64)
    ids = encode(["黑x好", "", "好好好好好"], vocab, length=4)
    assert ids.tolist() == [[3, UNKNOWN, 2, 0], [0, 0, 0, 0], [2, 2, 2, 2]]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("widths", [(2, 3), (1, 4)], ids=["w23", "w14"])
def test_onnx_graph_matches_the_numpy_forward_pass(seed: int, widths: tuple[int, ...]) -> None:
    arrays, shape = _tiny(seed, widths)
    cnn = CharCnn(build_onnx(arrays, shape), arrays["vocab"], shape)
    texts = ["黑人不是歧视", "就滚", "", "好的收到abc 1 好的收到好的收到好的收到"]
    ids = encode(texts, arrays["vocab"], pad_length(texts, shape), shape.max_len)
    np.testing.assert_allclose(cnn.scores(texts), forward_numpy(arrays, shape, ids), rtol=1e-5, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=20), min_size=1, max_size=6), st.integers(0, 5))
def test_a_text_scores_the_same_alone_as_in_any_batch(texts: list[str], pick: int) -> None:
    """Padding to the batch's longest text (not to max_len) must not change any score."""
    arrays, shape = _tiny(7)
    cnn = CharCnn(build_onnx(arrays, shape), arrays["vocab"], shape)
    batch = cnn.scores(texts)
    one = texts[pick % len(texts)]
    alone = cnn.scores([one])
    full = forward_numpy(arrays, shape, encode([one], arrays["vocab"], shape.max_len))
    np.testing.assert_allclose(batch[pick % len(texts)], alone[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(alone, full, rtol=1e-5, atol=1e-6)


def test_graph_is_byte_identical_for_the_same_arrays() -> None:
    arrays, shape = _tiny(3)
    assert build_onnx(arrays, shape) == build_onnx(dict(arrays), shape)
    assert build_onnx(arrays, shape) != build_onnx(_tiny(4)[0], shape)


def _stage(band: tuple[float, float]) -> tuple[CnnStage, CharCnn]:
    arrays, shape = _tiny(5)
    graph = build_onnx(arrays, shape)
    meta = {"cascade": {"band": list(band), "shape": shape.as_dict()}}
    stage = CnnStage.from_files(meta, {"weights": np.zeros(4), "cnn_graph": graph_array(graph),
                                       "cnn_vocab": arrays["vocab"]})
    assert stage is not None
    return stage, CharCnn(graph, arrays["vocab"], shape)


def test_stage_changes_only_the_rows_in_its_band() -> None:
    stage, cnn = _stage((0.3, 0.7))
    texts = ["黑人", "女权", "河南", "滚"]
    first = np.array([0.1, 0.3, 0.65, 0.9])
    second = cnn.scores(texts)
    got = stage.rescore(texts, first)
    expected = np.array([0.1, (0.3 + second[1]) / 2, (0.65 + second[2]) / 2, 0.9])
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_stage_pickles_without_its_session_and_scores_the_same() -> None:
    stage, _ = _stage((0.0, 1.0))
    texts = ["黑人不是歧视", "好的"]
    first = np.array([0.5, 0.5])
    before = stage.rescore(texts, first)
    clone = pickle.loads(pickle.dumps(stage))
    np.testing.assert_array_equal(clone.rescore(texts, first), before)


def test_a_model_without_a_cascade_entry_has_no_stage() -> None:
    assert CnnStage.from_files({"version": "1.3.0"}, {"weights": np.zeros(4)}) is None
