"""Fitting the linear n-gram text model: NB-weighted logistic regression (NBSVM-style).

Features are the hasher's n-gram counts scaled by 1/sqrt(n-grams in the message). Each
feature is multiplied by its naive-Bayes log-count ratio before logistic regression
(Wang & Manning 2012); the product of ratio and weight is again one weight per bucket, so
inference stays a single gather-and-sum. On COLD this gained about 1 point of accuracy over
plain logistic regression (0.797 → 0.806 on the original test rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from redline.detectors.classifiers.base import LinearTextModel, save_arrays
from redline.detectors.classifiers.hashing import NgramHasher


def feature_matrix(hasher: NgramHasher, texts: Sequence[str]) -> sp.csr_matrix:
    """The scaled n-gram count matrix of a batch, exactly as LinearTextModel.scores sees it."""
    batch = hasher.hash_batch(texts)
    scale = hasher.row_scale(batch)
    matrix = sp.csr_matrix(
        (scale[batch.rows], (batch.rows, batch.buckets)), shape=(len(texts), 1 << hasher.bits)
    )
    matrix.sum_duplicates()
    return matrix


def nb_ratio(matrix: sp.csr_matrix, labels: npt.NDArray[np.bool_], alpha: float = 1.0) -> npt.NDArray[np.float64]:
    """Log-count ratio of every bucket between the positive and negative rows (binarised)."""
    present = matrix.copy()
    present.data[:] = 1.0
    weights_pos = labels.astype(np.float64)
    p = present.T @ weights_pos + alpha
    q = present.T @ (1.0 - weights_pos) + alpha
    ratio: npt.NDArray[np.float64] = np.log((p / p.sum()) / (q / q.sum()))
    return ratio


def fit_linear(
    hasher: NgramHasher,
    texts: Sequence[str],
    labels: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    c: float,
    sample_weight: npt.NDArray[np.float64] | None = None,
    dtype: type[np.floating] = np.float16,
) -> LinearTextModel:
    """Fit NB-weighted logistic regression; weights are stored (and used) as `dtype`."""
    return fit_linear_with_ratio(hasher, texts, labels, c=c, sample_weight=sample_weight, dtype=dtype)[0]


def fit_linear_with_ratio(
    hasher: NgramHasher,
    texts: Sequence[str],
    labels: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    c: float,
    sample_weight: npt.NDArray[np.float64] | None = None,
    dtype: type[np.floating] = np.float16,
) -> tuple[LinearTextModel, npt.NDArray[np.float64]]:
    """`fit_linear`, also returning the NB log-count ratio it used (what `fit_adapted` needs)."""
    y = np.asarray(labels, dtype=bool)
    matrix = feature_matrix(hasher, texts)
    ratio = nb_ratio(matrix, y)
    # liblinear is deterministic for a fixed random_state; the dual solver suits many more
    # features (2**20) than rows and was 10x faster than the primal here, same accuracy
    model = LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=5000, random_state=0)
    model.fit(matrix @ sp.diags(ratio), y, sample_weight=sample_weight)
    weights = (model.coef_.ravel() * ratio).astype(dtype).astype(np.float32)
    return LinearTextModel(hasher=hasher, weights=weights, bias=float(model.intercept_[0])), ratio


def fit_adapted(
    base: LinearTextModel,
    ratio: npt.NDArray[np.float64],
    texts: Sequence[str],
    labels: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    c: float,
    dtype: type[np.floating] = np.float16,
) -> LinearTextModel:
    """Adapt a fitted model to a small sample of the target distribution (domain adaptation).

    Logistic regression on [the base model's logit, the NB-weighted n-gram features] of the
    sample, classes balanced: the base logit carries what the large corpus taught, the
    n-gram weights learn what differs in the sample. `ratio` is the base fit's NB ratio
    (`nb_ratio` of its training matrix). The result is again one weight per bucket,
    `a * w_base + ratio * v`, so inference is unchanged.
    """
    y = np.asarray(labels, dtype=bool)
    matrix = feature_matrix(base.hasher, texts)
    base_logit = matrix @ base.weights.astype(np.float64) + base.bias
    design = sp.hstack([matrix @ sp.diags(ratio), sp.csr_matrix(base_logit[:, None])]).tocsr()
    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=5000, random_state=0)
    model.fit(design, y)
    coef = model.coef_.ravel()
    a = float(coef[-1])
    weights = a * base.weights.astype(np.float64) + coef[:-1] * ratio
    bias = a * base.bias + float(model.intercept_[0])
    return LinearTextModel(hasher=base.hasher, weights=weights.astype(dtype).astype(np.float32), bias=bias)


def save_linear(model: LinearTextModel, path: Path) -> str:
    """Write the model's arrays (float16 weights) to `path`; return the sha256."""
    return save_arrays(
        path,
        {
            "weights": model.weights.astype(np.float16),
            "bias": np.array([model.bias], dtype=np.float64),
        },
    )
