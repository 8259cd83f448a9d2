"""Validation figures agree with scikit-learn's; thresholds meet their precision target."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve

from redline.training.evaluation import (
    average_precision,
    figures,
    macro_f1,
    pr_curve,
    threshold_for_macro_f1,
    threshold_for_precision,
)

RNG = np.random.default_rng(0)
LABELS = RNG.random(500) < 0.3
SCORES = np.clip(LABELS * 0.3 + RNG.random(500) * 0.7, 0, 1).round(2)  # ties on purpose


def test_pr_curve_matches_sklearn() -> None:
    precision, recall, thresholds = pr_curve(LABELS, SCORES)
    p_ref, r_ref, t_ref = precision_recall_curve(LABELS, SCORES)
    # scikit-learn lists thresholds ascending and appends (1, 0); ours are descending
    assert np.allclose(thresholds, t_ref[::-1])
    assert np.allclose(precision, p_ref[:-1][::-1])
    assert np.allclose(recall, r_ref[:-1][::-1])
    assert average_precision(LABELS, SCORES) == pytest.approx(average_precision_score(LABELS, SCORES))


@pytest.mark.parametrize("target", [0.5, 0.7, 0.9])
def test_threshold_reaches_target_precision(target: float) -> None:
    threshold = threshold_for_precision(LABELS, SCORES, target)
    got = figures(LABELS, SCORES, threshold)
    assert got.precision >= target
    # one step lower would admit more predictions
    assert (threshold <= SCORES).sum() < (threshold - 0.01 <= SCORES).sum()
    assert got.f1 == pytest.approx(f1_score(LABELS, threshold <= SCORES))


def test_unreachable_target_falls_back_to_best_f1() -> None:
    labels = np.array([False, True, False, True])
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    assert threshold_for_precision(labels, scores, 0.99) == pytest.approx(0.6)


def test_macro_f1_matches_sklearn() -> None:
    predicted = SCORES >= 0.5
    assert macro_f1(LABELS, predicted) == pytest.approx(f1_score(LABELS, predicted, average="macro"))
    assert figures(LABELS, SCORES, 0.5).macro_f1 == pytest.approx(f1_score(LABELS, predicted, average="macro"))


def test_macro_f1_threshold_is_the_best_on_a_grid() -> None:
    threshold = threshold_for_macro_f1(LABELS, SCORES)
    best = macro_f1(LABELS, threshold <= SCORES)
    for t in np.unique(SCORES):  # no distinct score does better
        assert macro_f1(LABELS, t <= SCORES) <= best + 1e-12


def test_macro_f1_threshold_separates_separable_scores() -> None:
    labels = np.array([False, False, False, True, True])
    scores = np.array([0.1, 0.2, 0.35, 0.4, 0.9])
    assert threshold_for_macro_f1(labels, scores) == pytest.approx(0.4)
