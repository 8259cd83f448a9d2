"""Selling cues: which messages hold which cue, the batch path against one message at a time, and
the floor below which cues are not searched (exact for thresholds at or above it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors.classifiers.base import load_model_files, model_dir
from redline.detectors.classifiers.cues import (
    _GUARDED,
    COLUMNS,
    CUES,
    CueWeights,
    cue_matrix,
    cue_weights,
)
from redline.errors import ConfigError
from redline.training.datasets import normalized


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("脐橙十斤装68元包邮", {"price", "quantity"}),
        ("只需20r", {"price"}),
        ("八十一斤", {"quantity"}),
        ("有意者加vx详聊", {"contact"}),
        ("电话139****1265", {"contact"}),
        ("出21+", {"buy"}),
        ("团购价，欢迎选购", {"price", "buy"}),
        ("链接在这 https://a.b/c", {"link"}),
        ("店铺地址 shop.example.top", {"link"}),
        # counter-examples: work chat sharing words with ads
        ("收到，明天上午九点开会", set()),
        ("出差报销单已经交了", set()),
        ("会议纪要请大家查收", set()),
        ("下周三前报送总结", set()),
    ],
    ids=["price+qty", "gaming-price", "qty-hanzi", "contact-vx", "masked-phone", "sell-number", "price+buy",
         "url", "tld", "ack", "business-trip", "minutes", "report"],
)
def test_cue_kinds(text: str, kinds: set[str]) -> None:
    [row] = cue_matrix(normalized([text]))
    found = {name for name, flag in zip(CUES, row, strict=False) if flag}
    assert found == kinds
    assert row[COLUMNS.index("two_kinds")] == (len(kinds) >= 2)
    assert row[COLUMNS.index("three_kinds")] == (len(kinds) >= 3)


_PIECES = st.sampled_from(["68", "元", "斤", "r", " ", "\n", "私聊", "vx", "http:", ".top", "出", "1", "包邮",
                           "开会", "收到", "价", "欢迎", "购", "a", "。"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=6).map("".join), max_size=8))
def test_the_batch_is_each_message_alone(texts: list[str]) -> None:
    # joined by newlines in one regex pass: no cue may leak across a message boundary
    batch = cue_matrix(texts)
    alone = np.array([cue_matrix([t])[0] for t in texts]).reshape(len(texts), len(COLUMNS))
    assert np.array_equal(batch, alone)


# every character of every cue, and some that start none: the guarded patterns must agree
_CUE_CHARS = sorted({ch for pattern in CUES.values() for ch in pattern.pattern if not ch.isspace()}
                    | set("０٣五开会收到了的 \t"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CUE_CHARS), max_size=24) | st.lists(_PIECES, max_size=8).map("".join))
def test_guarded_cues_match_where_the_cues_match(text: str) -> None:
    # the lookahead of each cue's first characters only skips positions no alternative starts at
    for name, pattern in CUES.items():
        assert (_GUARDED[name].search(text) is None) == (pattern.search(text) is None), name
    assert np.array_equal(cue_matrix([text]), _reference([text]))


def _reference(texts: list[str]) -> np.ndarray:
    """The cue matrix by its definition: each regex's `finditer` over each message."""
    out = np.zeros((len(texts), len(COLUMNS)))
    for k, text in enumerate(texts):
        for col, pattern in enumerate(CUES.values()):
            out[k, col] = float(any(True for _ in pattern.finditer(text)))
    kinds = out[:, : len(CUES)].sum(axis=1)
    out[:, len(CUES)] = kinds >= 2
    out[:, len(CUES) + 1] = kinds >= 3
    return out


def _full(weights: CueWeights, texts: list[str], logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(logits + cue_matrix(texts) @ weights.weights)))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.lists(_PIECES, max_size=6).map("".join), st.floats(-12.0, 6.0)), max_size=12))
def test_the_floor_changes_no_decision_at_or_above_it(rows: list[tuple[str, float]]) -> None:
    texts = [t for t, _ in rows]
    logits = np.array([x for _, x in rows], dtype=np.float64)
    weights = CueWeights(np.array([1.1, 0.5, 0.5, 1.0, 0.3, -0.2, 0.6]), floor=0.05)
    full = _full(weights, texts, logits)
    for floor in (None, 0.5, 0.7):  # the model's own floor, or the lowest threshold of a detector's rules
        gated = weights.scores(texts, logits, floor=floor)
        low = 0.05 if floor is None else floor
        for threshold in (0.05, 0.2, 0.5, 0.7, 0.9):
            if threshold >= low:
                assert np.array_equal(gated >= threshold, full >= threshold)
        searched = full >= low
        assert np.allclose(gated[searched], full[searched])


def test_shipped_model_names_this_version_s_columns(tmp_path: Path) -> None:
    files = load_model_files(model_dir("promotion"))
    assert cue_weights(files) is not None
    folder = tmp_path / "promotion"
    shutil.copytree(model_dir("promotion"), folder)
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    meta["cues"]["columns"] = ["price", "contact"]
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ConfigError, match="cue columns"):
        cue_weights(load_model_files(folder))
