"""Deterministic hash splits, and gold spans that follow normalisation."""

from __future__ import annotations

from redline.training.datasets import hash_fraction, is_validation, normalized_spans


def test_hash_split_is_deterministic_and_about_the_fraction() -> None:
    texts = [f"消息{i}" for i in range(5000)]
    side = [is_validation(t, "salt") for t in texts]
    assert side == [is_validation(t, "salt") for t in texts]
    assert 0.17 < sum(side) / len(side) < 0.23
    assert hash_fraction("a", "x") != hash_fraction("a", "y")


def test_spans_move_with_dropped_separators() -> None:
    texts, spans = normalized_spans(["我和 张 伟，李娜", "無名"], [[(3, 6), (7, 9)], []])
    assert texts == ["我和张伟李娜", "无名"]
    assert spans == [[(2, 4), (4, 6)], []]
    assert [texts[0][s:e] for s, e in spans[0]] == ["张伟", "李娜"]
