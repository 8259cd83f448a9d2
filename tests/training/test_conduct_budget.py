"""The shared false-lead budget of clf.conduct: union bound, real-text bounds, recall gained."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.training.conduct_budget import allocate, quantile_threshold

CATS = ("gifts", "vulgar", "rumour")


def _scores(seed: int, n_hard: int = 400, n_real: int = 600, n_pos: int = 90) -> tuple[np.ndarray, ...]:
    """Scores of three categories: positives high, hard negatives overlapping, real text low."""
    rng = np.random.default_rng(seed)
    k = len(CATS)
    pos = rng.beta(5, 2, size=(n_pos, k))
    hard = rng.beta(2, 5, size=(n_hard, k))
    real = rng.beta(1, 8, size=(n_real, k))
    scores = np.concatenate([pos, hard, real])
    labels = np.zeros(scores.shape, dtype=bool)
    for i in range(n_pos):
        labels[i, i % k] = True  # each positive row belongs to one category
    is_hard = np.zeros(len(scores), dtype=bool)
    is_hard[n_pos:n_pos + n_hard] = True
    is_real = np.zeros(len(scores), dtype=bool)
    is_real[n_pos + n_hard:] = True
    return scores, labels, is_hard, is_real


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), target=st.sampled_from([0.0, 0.01, 0.03, 0.1]))
def test_union_of_flagged_hard_negatives_stays_within_target(seed: int, target: float) -> None:
    scores, labels, hard, real = _scores(seed)
    t = allocate(scores, labels, hard, real, CATS, target=target, strict_real=0.0005, loose_real=0.002, floor=0.05)
    flagged = (scores[hard] >= t).any(axis=1).mean()
    assert flagged <= target + 1e-12
    assert (t >= 0.05).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_strict_categories_keep_the_real_text_bound(seed: int) -> None:
    scores, labels, hard, real = _scores(seed)
    t = allocate(scores, labels, hard, real, CATS, target=0.5, strict_real=0.0, loose_real=0.05, floor=0.0)
    # gifts (strict) may flag no real text at all; vulgar (loose) may flag up to 5 %
    assert (scores[real, 0] >= t[0]).mean() == 0.0
    assert (scores[real, 1] >= t[1]).mean() <= 0.05
    assert (scores[real, 1] >= t[1]).mean() > 0.0  # a large hard budget does reach the loose bound


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_larger_budget_buys_recall(seed: int) -> None:
    scores, labels, hard, real = _scores(seed)

    def macro_recall(target: float) -> float:
        t = allocate(scores, labels, hard, real, CATS, target=target, strict_real=0.01, loose_real=0.01, floor=0.05)
        return float(np.mean([(scores[labels[:, k], k] >= t[k]).mean() for k in range(len(CATS))]))

    assert macro_recall(0.0) < macro_recall(0.03) < macro_recall(0.15)


@pytest.mark.parametrize(("budget", "flagged"), [(0.0, 0), (0.1, 1), (0.25, 2), (1.0, 10)])
def test_quantile_threshold_flags_at_most_the_budget(budget: float, flagged: int) -> None:
    scores = np.linspace(0.0, 0.9, 10)
    t = quantile_threshold(scores, budget)
    assert int((scores >= t).sum()) == flagged
