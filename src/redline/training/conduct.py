"""Training recipe of `clf.conduct`: fit, calibrate per category on held-out rows, write a version.

Model (chosen by measurement, see the model card's "what was tried"): one logistic
regression per category over hashed character 1–3-grams (2^18 buckets, scaled by
1/sqrt(n-grams)), written work-chat rows weighted 4× against the many real negatives; plus a
one-output "gate" over 1–2-grams (2^16 buckets) that decides which messages are scored.

Thresholds are calibrated on the held-out rows (never on the test set): one shared budget of
LEAD_BUDGET of the held-out written negatives (notices, warnings, rebuttals … that share the
words) flagged in union, spent per category where it buys the most recall (conduct_budget);
real ordinary text bounds each threshold (REAL_BUDGET for the categories whose ordinary-chat
leads must not grow, LOOSE_REAL_BUDGET for the rest), and never below FLOOR.
v1.0.0 gave each category 0.3 % of the written negatives alone (1.9 % flagged in union).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from redline.detectors.classifiers import conduct_files
from redline.detectors.classifiers.hashing import NgramHasher
from redline.detectors.classifiers.multilabel import MultiLabelModel
from redline.detectors.classifiers.versions import ModelVersions
from redline.training import conduct_authors, conduct_budget, conduct_card
from redline.training.conduct_data import (
    CATEGORIES,
    CORPUS_DIR,
    WRITTEN,
    Rows,
    load,
    written_and_real,
)
from redline.training.evaluation import average_precision, prf
from redline.training.linear import feature_matrix

HASHER: Final = NgramHasher(n_min=1, n_max=3, bits=18, fold_digits=True, markers=True)
GATE_HASHER: Final = NgramHasher(n_min=1, n_max=2, bits=16, fold_digits=True, markers=True)
C: Final = 30.0
GATE_C: Final = 30.0
WRITTEN_WEIGHT: Final = 4.0  # a written row against ~20k real negatives; 1.0 lost recall
DECISION_WEIGHT: Final = 4.0  # a reviewer's verdict counts like a written row
REAL_BUDGET: Final = 0.0005
LEAD_BUDGET: Final = 0.03  # the target is 4 %; a 2-fold split of held-out rows moved it ±1 point
LOOSE_REAL_BUDGET: Final = 0.002
FLOOR: Final = 0.05  # below this a "lead" is noise whatever the budgets say
GATE_RECALL: Final = 0.99  # of held-out violations, the share the gate must let through
AUTHOR_POWER: Final = 0.0  # 1: every written author the same total weight (conduct_authors.author_balance)
POSITIVE_SHARE: Final[float | None] = 0.5  # each category's positives carry half the weight in its fit ("balanced")


def prior_factor(weights: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], positive_share: float | None) -> float:
    """How much class weighting multiplies a column's positives (1 without it). Weighting the
    positives by f adds log f to the fitted intercept; _fit_columns takes it off again (prior
    correction), so scores keep the scale of an unweighted fit and the packs' absolute veto
    bounds (`below: 0.02`) mean what they meant; the ranking, and so every lead, is unchanged."""
    if positive_share is None or not y.any() or y.all():
        return 1.0
    factor = positive_share / (1 - positive_share) * float(weights[~y].sum()) / float(weights[y].sum())
    return max(factor, 1.0)


def _fit_columns(matrix: sp.csr_matrix, labels: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64],
                 c: float, positive_share: float | None = None, unknown: npt.NDArray[np.bool_] | None = None,
                 ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float64]]:
    """One logistic regression per label column → (buckets, K) float16-rounded weights and biases.

    `positive_share`: when set, each column's positives are reweighted to carry that share of
    the total weight (class weighting; 0.5 = sklearn's "balanced"). `unknown` (n, K): cells
    whose label is unknown; a column is fitted without those rows."""
    k = labels.shape[1]
    w = np.zeros((matrix.shape[1], k), dtype=np.float32)
    b = np.zeros(k)
    for j in range(k):
        if unknown is not None and unknown[:, j].any():
            keep = np.flatnonzero(~unknown[:, j])
            w[:, j], b[j] = _fit_column(matrix[keep], labels[keep, j], weights[keep], c, positive_share)
        else:
            w[:, j], b[j] = _fit_column(matrix, labels[:, j], weights, c, positive_share)
    return w, b


def _fit_column(matrix: sp.csr_matrix, y: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64], c: float,
                positive_share: float | None) -> tuple[npt.NDArray[np.float32], float]:
    """One label column's float16-rounded weights and prior-corrected bias."""
    if not y.any() or y.all():
        return np.zeros(matrix.shape[1], dtype=np.float32), (-10.0 if not y.any() else 10.0)  # never (always) flag
    factor = prior_factor(weights, y, positive_share)
    # liblinear's dual solver: deterministic, and fast with far more features than rows
    model = LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=5000, random_state=0)
    model.fit(matrix, y, sample_weight=np.where(y, weights * factor, weights))
    return model.coef_.ravel().astype(np.float16).astype(np.float32), float(model.intercept_[0]) - np.log(factor)


def sample_weights(rows: Rows) -> npt.NDArray[np.float64]:
    """Written rows WRITTEN_WEIGHT on average, shared between authors as AUTHOR_POWER says;
    decisions DECISION_WEIGHT; real ordinary text 1."""
    weights = conduct_authors.author_balance(rows, WRITTEN_WEIGHT, AUTHOR_POWER)
    return np.where(rows.source_is("decision"), DECISION_WEIGHT, weights)


def fit(train: Rows, *, gate: bool = True) -> MultiLabelModel:
    """The model (gate threshold still open: calibrate() sets it) fitted on `train`."""
    weights = sample_weights(train)
    w, b = _fit_columns(feature_matrix(HASHER, train.texts), train.labels, weights, C, POSITIVE_SHARE, train.unknown)
    gw, gb = np.zeros((1 << GATE_HASHER.bits, 1), dtype=np.float32), np.zeros(1)
    if gate:
        any_label = np.asarray(train.labels.any(axis=1), dtype=bool)
        gw, gb = _fit_columns(feature_matrix(GATE_HASHER, train.texts), any_label[:, None], weights, GATE_C)
    return MultiLabelModel(tuple(CATEGORIES), HASHER, w, b, GATE_HASHER, gw[:, 0], float(gb[0]), gate_threshold=-np.inf)


def oof_fit(rows: Rows) -> conduct_authors.Scorer:
    """The recipe without its gate, for out-of-fold scores (thresholds and vetoes read the full model)."""
    return fit(rows, gate=False).full_scores


def recipe_key() -> str:
    """The recipe's constants: cached out-of-fold scores of a changed recipe are not served."""
    return repr((HASHER, GATE_HASHER, C, GATE_C, WRITTEN_WEIGHT, AUTHOR_POWER, POSITIVE_SHARE, CATEGORIES))


BUDGETS: Final = conduct_authors.Budgets(LEAD_BUDGET, REAL_BUDGET, LOOSE_REAL_BUDGET, FLOOR)


def author_calibration(model: MultiLabelModel, data_dir: Path, corpus_dir: Path, decisions: Rows | None
                       ) -> tuple[dict[str, float], dict[str, Any]] | None:
    """Thresholds from leave-one-author-out scores, and the per-author figures; None with fewer
    than two written authors (then the held-out rows choose, as before 1.3.0)."""
    written, real_train, real_held = written_and_real(data_dir, corpus_dir)
    if len(set(written.authors)) < 2:
        return None
    extra = real_train if decisions is None or not len(decisions) else real_train + decisions
    oof = conduct_authors.cached_out_of_fold(written, extra, real_held, oof_fit, recipe_key())
    chosen = conduct_authors.pooled_thresholds(oof, model.full_scores(real_held.texts), BUDGETS)
    figures = conduct_authors.author_figures(oof, BUDGETS)
    return {name: float(chosen[k]) for k, name in enumerate(model.categories)}, figures


def calibrate(model: MultiLabelModel, held: Rows,
              thresholds: Mapping[str, float] | None = None) -> tuple[MultiLabelModel, dict[str, float]]:
    """Gate threshold (GATE_RECALL of held-out violations pass) and one threshold per category
    (chosen on `held` unless given: leave-one-author-out scores choose them since 1.3.0)."""
    if thresholds is None:
        full = held.known(model.full_scores(held.texts))
        hard = held.negative & held.source_is(*WRITTEN)
        real = held.negative & held.source_is("real")
        chosen = conduct_budget.allocate(full, held.labels, hard, real, model.categories, target=LEAD_BUDGET,
                                         strict_real=REAL_BUDGET, loose_real=LOOSE_REAL_BUDGET, floor=FLOOR)
        thresholds = {name: float(chosen[k]) for k, name in enumerate(model.categories)}
    thresholds = dict(thresholds)
    gate = model.gate_logits(held.texts)
    positives = gate[~held.negative]
    gate_threshold = float(np.quantile(positives, 1 - GATE_RECALL)) if positives.size else -np.inf
    calibrated = MultiLabelModel(model.categories, model.hasher, model.weights, model.bias, model.gate_hasher,
                                 model.gate_weights, model.gate_bias, gate_threshold, model.min_chars)
    return calibrated, thresholds


@dataclass(frozen=True, slots=True)
class HeldOutFigures:
    """Per-category precision/recall/AP and the share of negatives with a lead, on held-out rows."""

    per_category: dict[str, dict[str, float]]
    macro_recall: float
    macro_precision: float
    hard_negatives_with_lead: float
    real_negatives_with_lead: float
    gate_pass_real: float  # share of real ordinary text the full model has to score
    gate_recall_cost: float  # flagged violations lost because the gate stopped them

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def held_out_figures(model: MultiLabelModel, thresholds: Mapping[str, float], held: Rows) -> HeldOutFigures:
    """Figures of a calibrated model on the held-out rows (the gate applied, as in use)."""
    scores = held.known(model.scores(held.texts))
    full = held.known(model.full_scores(held.texts))
    t = np.array([thresholds[c] for c in model.categories])
    predicted, ungated = scores >= t, full >= t
    per: dict[str, dict[str, float]] = {}
    for k, name in enumerate(model.categories):
        p, r, _ = prf(held.labels[:, k], predicted[:, k])
        ap = average_precision(held.labels[:, k], full[:, k]) if held.labels[:, k].any() else 0.0
        per[name] = {"n": int(held.labels[:, k].sum()), "precision": round(p, 4), "recall": round(r, 4),
                     "average_precision": round(ap, 4), "threshold": round(float(t[k]), 4)}
    lead = np.asarray(predicted.any(axis=1), dtype=bool)
    hard = held.negative & held.source_is(*WRITTEN)
    real = held.negative & held.source_is("real")
    caught_ungated = (ungated & held.labels).sum()
    lost = caught_ungated - (predicted & held.labels).sum()
    passing = np.zeros(len(held), dtype=bool)
    passing[model.passing(held.texts)] = True
    return HeldOutFigures(
        per_category=per,
        macro_recall=round(float(np.mean([v["recall"] for v in per.values()])), 4),
        macro_precision=round(float(np.mean([v["precision"] for v in per.values()])), 4),
        hard_negatives_with_lead=round(float(lead[hard].mean()) if hard.any() else 0.0, 4),
        real_negatives_with_lead=round(float(lead[real].mean()) if real.any() else 0.0, 4),
        gate_pass_real=round(float(passing[real].mean()) if real.any() else 0.0, 4),
        gate_recall_cost=round(float(lost / max(caught_ungated, 1)), 4),
    )


def train(data_dir: Path, out_root: Path, *, decisions: Rows | None = None,
          corpus_dir: Path = CORPUS_DIR, activate: bool = True) -> dict[str, Any]:
    """Fit, calibrate, write the next version beside the old ones; report the change on held-out rows."""
    train_rows, held = load(data_dir, corpus_dir, decisions)
    versions = ModelVersions.of(conduct_files.NAME, out_root)
    previous: dict[str, Any] | None = None
    if versions.available():
        old = conduct_files.load(versions.folder(versions.active()))
        previous = {"version": old.version, **held_out_figures(old.model, old.thresholds, held).as_dict()}
    fitted = fit(train_rows)
    by_author = author_calibration(fitted, data_dir, corpus_dir, decisions)
    model, thresholds = calibrate(fitted, held, by_author[0] if by_author else None)
    # model.json keeps 6 decimals: round up, or a row the budget left just below its threshold
    # (a real-text bound's last allowed row) would be flagged by the stored one
    thresholds = {c: float(np.ceil(t * 1e6) / 1e6) for c, t in thresholds.items()}
    figs = held_out_figures(model, thresholds, held)
    authors = by_author[1] if by_author else None
    version = versions.next_version()
    counts = {s: int(sum(1 for x in train_rows.sources if x == s)) for s in sorted(set(train_rows.sources))}
    extra = {"held_out": figs.as_dict(), "training_rows": counts, "held_out_rows": len(held),
             "c": C, "written_weight": WRITTEN_WEIGHT,
             "lead_budget": LEAD_BUDGET, "real_budget": REAL_BUDGET, "loose_real_budget": LOOSE_REAL_BUDGET,
             "author_power": AUTHOR_POWER, "positive_share": POSITIVE_SHARE,
             "thresholds_from": "leave-one-author-out" if authors else "held-out rows", "by_author": authors}
    folder = versions.folder(version)
    sha = conduct_files.save(folder, model, version, thresholds, extra)
    _card(folder, version, sha, model, thresholds, held, figs.as_dict(), counts, previous, authors)
    if activate:
        versions.use(version)
    return {"model": conduct_files.DETECTOR, "version": version, "sha256": sha, "folder": str(folder),
            "held_out": figs.as_dict(), "by_author": authors, "previous": previous, "change": _change(previous, figs.as_dict())}


def _card(folder: Path, version: str, sha: str, model: MultiLabelModel, thresholds: Mapping[str, float], held: Rows,
          figs: Mapping[str, Any], counts: Mapping[str, int], previous: Mapping[str, Any] | None,
          authors: Mapping[str, Any] | None) -> None:
    conduct_card.write(folder, version, sha, figs, counts, len(held), previous,
                       conduct_card.failures(model, thresholds, held), authors,
                       {"n_max": HASHER.n_max, "bits": HASHER.bits, "written_weight": WRITTEN_WEIGHT,
                        "author_power": AUTHOR_POWER, "lead_budget": LEAD_BUDGET, "positive_share": POSITIVE_SHARE})


def rewrite_card(out_root: Path, version: str, data_dir: Path, previous_version: str | None = None,
                 corpus_dir: Path = CORPUS_DIR) -> None:
    """Write MODEL.md of a version already trained, from its files and the held-out rows, without
    refitting (after the card's prose, conduct_card.TRIED, changed); `previous_version` is the
    version the card compares with."""
    versions = ModelVersions.of(conduct_files.NAME, out_root)
    folder = versions.folder(version)
    loaded = conduct_files.load(folder)
    meta = loaded.meta
    _, held = load(data_dir, corpus_dir, None)
    previous = None
    if previous_version is not None:
        old = conduct_files.load(versions.folder(previous_version))
        previous = {"version": old.version, **held_out_figures(old.model, old.thresholds, held).as_dict()}
    _card(folder, version, meta["sha256"], loaded.model, loaded.thresholds, held, meta["held_out"],
          meta["training_rows"], previous, meta.get("by_author"))


def _change(previous: Mapping[str, Any] | None, now: Mapping[str, Any]) -> dict[str, Any]:
    """What moved on the held-out rows: headline figures and per-category recall/precision."""
    if previous is None:
        return {}
    out: dict[str, Any] = {k: round(float(now[k]) - float(previous[k]), 4)
                           for k in ("macro_recall", "macro_precision", "hard_negatives_with_lead",
                                     "real_negatives_with_lead")}
    out["per_category"] = {
        c: {m: round(now["per_category"][c][m] - previous["per_category"][c][m], 4) for m in ("precision", "recall")}
        for c in now["per_category"]
    }
    return out
