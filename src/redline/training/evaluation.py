"""Validation figures for a binary scorer: P/R/F1, accuracy, PR curve, threshold choice."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Figures:
    """Figures of one scorer on one labelled split at one threshold."""

    n: int
    positives: int
    threshold: float
    precision: float
    recall: float
    f1: float
    accuracy: float
    accuracy_at_half: float  # argmax decision, comparable with published accuracies
    average_precision: float
    macro_f1: float = 0.0  # mean of the F1 of both classes, the figure COLD's paper reports

    def as_dict(self) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def prf(labels: npt.NDArray[np.bool_], predicted: npt.NDArray[np.bool_]) -> tuple[float, float, float]:
    """Precision, recall, F1 (0 where undefined)."""
    tp = float(np.sum(labels & predicted))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(labels.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pr_curve(labels: npt.ArrayLike, scores: npt.ArrayLike) -> tuple[F64, F64, F64]:
    """Precision, recall and the threshold at each distinct score, thresholds descending."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last_of_value = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tp = np.cumsum(y)[last_of_value]
    predicted = last_of_value + 1
    precision = tp / predicted
    recall = tp / max(int(y.sum()), 1)
    return precision, recall, s[last_of_value]


def average_precision(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """Area under the PR curve as a step function (same definition as scikit-learn)."""
    precision, recall, _ = pr_curve(labels, scores)
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def threshold_for_precision(labels: npt.ArrayLike, scores: npt.ArrayLike, target: float) -> float:
    """The lowest threshold at which precision still reaches `target` (most recall there).

    If no threshold reaches the target, the F1-best threshold is returned instead; the
    model card then states the precision actually reached.
    """
    precision, recall, thresholds = pr_curve(labels, scores)
    ok = np.flatnonzero(precision >= target)
    if ok.size:
        return float(thresholds[int(ok[-1])])
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[int(np.argmax(f1))])


def macro_f1(labels: npt.NDArray[np.bool_], predicted: npt.NDArray[np.bool_]) -> float:
    """Mean of the positive class's F1 and the negative class's F1."""
    return (prf(labels, predicted)[2] + prf(~labels, ~predicted)[2]) / 2


def threshold_for_macro_f1(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """The threshold (a distinct score) at which macro-F1 is highest."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    candidates = np.unique(s)
    if candidates.size > 400:  # a quantile grid is as good and keeps this linear in the rows
        candidates = np.unique(np.quantile(s, np.linspace(0.0, 1.0, 401)))
    best = max(candidates, key=lambda t: (macro_f1(y, s >= t), -abs(t - 0.5)))
    return float(best)


def figures(labels: npt.ArrayLike, scores: npt.ArrayLike, threshold: float) -> Figures:
    """All figures of a scorer on a split at `threshold`."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    predicted = s >= threshold
    precision, recall, f1 = prf(y, predicted)
    return Figures(
        n=int(y.size),
        positives=int(y.sum()),
        threshold=float(threshold),
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy=float(np.mean(predicted == y)) if y.size else 0.0,
        accuracy_at_half=float(np.mean((s >= 0.5) == y)) if y.size else 0.0,
        average_precision=average_precision(y, s) if y.any() else 0.0,
        macro_f1=macro_f1(y, predicted) if y.size else 0.0,
    )
