"""Leave-one-author-out figures of `clf.conduct`: how it does on an author it never saw.

The corpus's dev split is its own author's: variants of a hand line stay on one side, but
phrasing habits are shared, so dev figures flatter the model (1.2.0: dev macro recall 0.76,
an independent author's test about 0.57). Here every written author in turn (a0 = the
corpus's hand/, the other corpus authors, the pilot's author) is left out: a model is fitted on
all the others' rows (every split) plus the training part of the real ordinary text, and
scores the left-out author's rows and the held-out real text.

Thresholds follow the shipped recipe (conduct_budget: one shared budget of written negatives,
real-text bounds) but are chosen on *out-of-fold* scores: for author A, on the other authors'
rows as scored by the models that did not see them; A's own rows never take part in choosing
A's thresholds. The shipped version's thresholds are chosen the same way on every author's
out-of-fold scores, which is what a new author's messages look like to the model.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from redline.cache import cached_arrays, content_key
from redline.training import conduct_budget
from redline.training.conduct_data import CATEGORIES, WRITTEN, Rows

F64 = npt.NDArray[np.float64]
# fit(rows) → a scorer of texts: (n, K) probabilities
Scorer = Callable[[Sequence[str]], F64]
Fitter = Callable[[Rows], Scorer]


@dataclass(frozen=True, slots=True)
class Budgets:
    """The threshold recipe's knobs (conduct.py's constants by default)."""

    lead: float
    strict_real: float
    loose_real: float
    floor: float


@dataclass(slots=True)
class OutOfFold:
    """Every written row scored by the model that did not see its author; held-out real text
    scored by each author's model."""

    written: Rows
    scores: F64  # (len(written), K)
    real: Rows
    real_scores: dict[str, F64] = field(default_factory=dict)  # author → (len(real), K)

    @property
    def authors(self) -> list[str]:
        return sorted(set(self.written.authors))


def out_of_fold(written: Rows, real_train: Rows, real_held: Rows, fit: Fitter,
                log: Callable[[str], None] | None = None, jobs: int | None = None) -> OutOfFold:
    """Fit once per author without it; collect out-of-fold scores. The folds are independent
    fits of minutes each: `jobs` processes (default: the usable cores, $REDLINE_TRAIN_JOBS to
    change) fit them side by side; the scores do not depend on it."""
    oof = OutOfFold(written, np.zeros((len(written), len(CATEGORIES))), real_held)
    global _FOLDS
    _FOLDS = (written, real_train, real_held, fit)
    try:
        for author, scores, real_scores in _map_folds(_one_fold, oof.authors, fold_jobs(jobs)):
            mine = written.author_is(author)
            oof.scores[mine] = scores
            oof.real_scores[author] = real_scores
            if log:
                log(f"  fold {author}: {int(mine.sum())} rows scored")
    finally:
        _FOLDS = None
    return oof


def cached_out_of_fold(written: Rows, real_train: Rows, real_held: Rows, fit: Fitter, recipe: str,
                       log: Callable[[str], None] | None = None) -> OutOfFold:
    """`out_of_fold`, kept in the user cache (redline/cache.py) under a key of everything the
    scores are made from: the recipe's constants, the fitter, every row. Training and the veto
    study (bench/veto_oof.py) ask for the same folds: the second asker reads them."""
    def build() -> dict[str, npt.NDArray[np.generic]]:
        oof = out_of_fold(written, real_train, real_held, fit, log=log)
        return {"scores": oof.scores, **{f"real:{a}": s for a, s in oof.real_scores.items()}}

    key = content_key(recipe, f"{fit.__module__}.{fit.__qualname__}",
                      *(part for rows in (written, real_train, real_held) for part in _row_parts(rows)))
    arrays = cached_arrays("conduct-oof", key, build)
    oof = OutOfFold(written, np.asarray(arrays["scores"], dtype=np.float64), real_held)
    oof.real_scores.update({k[5:]: np.asarray(v, dtype=np.float64) for k, v in arrays.items() if k.startswith("real:")})
    return oof


def _row_parts(rows: Rows) -> tuple[str | bytes, ...]:
    return ("\n".join(rows.texts), rows.labels.tobytes(), "\n".join(rows.authors), "\n".join(rows.sources),
            rows.unknown.tobytes())


# the folds' shared inputs, set for the length of one out_of_fold call: forked workers inherit
# them (a fitter is a closure, which pickling could not carry to a worker)
_FOLDS: tuple[Rows, Rows, Rows, Fitter] | None = None


def _one_fold(author: str) -> tuple[str, F64, F64]:
    if _FOLDS is None:
        raise RuntimeError("a fold runs only inside out_of_fold")
    written, real_train, real_held, fit = _FOLDS
    mine = written.author_is(author)
    scorer = fit(written.where(~mine) + real_train)
    return author, scorer(written.where(mine).texts), scorer(real_held.texts)


def fold_jobs(jobs: int | None = None) -> int:
    """Processes for independent fits: `jobs`, else $REDLINE_TRAIN_JOBS, else the usable cores."""
    if jobs is None:
        env = os.environ.get("REDLINE_TRAIN_JOBS", "").strip()
        jobs = int(env) if env.isdigit() else len(os.sched_getaffinity(0))
    return max(1, jobs)


def _map_folds(work: Callable[[str], tuple[str, F64, F64]], authors: Sequence[str],
               jobs: int) -> Iterator[tuple[str, F64, F64]]:
    if jobs == 1 or len(authors) < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(work, authors)
        return
    # fork, not spawn: the workers need the rows and the fitter already in memory
    with mp.get_context("fork").Pool(min(jobs, len(authors))) as pool:
        yield from pool.imap(work, authors)


def choose_thresholds(scores: F64, labels: npt.NDArray[np.bool_], written_negative: npt.NDArray[np.bool_],
                      real: npt.NDArray[np.bool_], budgets: Budgets) -> F64:
    return conduct_budget.allocate(scores, labels, written_negative, real, CATEGORIES, target=budgets.lead,
                                   strict_real=budgets.strict_real, loose_real=budgets.loose_real,
                                   floor=budgets.floor)


def _choice_rows(oof: OutOfFold, keep: npt.NDArray[np.bool_], real_scores: F64) -> tuple[F64, Any, Any, Any]:
    """Scores, labels, written-negative and real masks of the rows thresholds are chosen on."""
    w = oof.written.where(keep)
    scores = np.concatenate([w.known(oof.scores[keep]), oof.real.known(real_scores)])
    labels = np.concatenate([w.labels, oof.real.labels])
    n_w, n_r = len(w), len(oof.real)
    written_neg = np.concatenate([w.negative & w.source_is(*WRITTEN), np.zeros(n_r, dtype=bool)])
    real = np.concatenate([np.zeros(n_w, dtype=bool), np.ones(n_r, dtype=bool)])
    return scores, labels, written_neg, real


def pooled_thresholds(oof: OutOfFold, real_scores: F64, budgets: Budgets) -> F64:
    """Thresholds for a model fitted on every author: chosen on all out-of-fold scores, with the
    held-out real text as that model scores it (`real_scores`)."""
    keep = np.ones(len(oof.written), dtype=bool)
    return choose_thresholds(*_choice_rows(oof, keep, real_scores), budgets)


def fold_thresholds(oof: OutOfFold, author: str, budgets: Budgets) -> F64:
    """The thresholds `author` is measured at: chosen on every other author's out-of-fold rows and
    the held-out real text as `author`'s model scores it; nothing of `author`'s own rows."""
    others = ~oof.written.author_is(author)
    return choose_thresholds(*_choice_rows(oof, others, oof.real_scores[author]), budgets)


def author_figures(oof: OutOfFold, budgets: Budgets) -> dict[str, Any]:
    """Per left-out author: thresholds from the others' out-of-fold scores, figures on the author.

    Returns {"authors": {author: figures}, "mean": figures averaged over authors (each author
    counts once, however many rows it wrote), "per_category_recall": mean over the authors
    that wrote the category}.
    """
    out: dict[str, dict[str, Any]] = {}
    for author in oof.authors:
        mine = oof.written.author_is(author)
        t = fold_thresholds(oof, author, budgets)
        w = oof.written.where(mine)
        flagged = w.known(oof.scores[mine]) >= t
        per: dict[str, dict[str, float]] = {}
        for k, name in enumerate(CATEGORIES):
            y = w.labels[:, k]
            if not y.any():
                continue
            tp = int((flagged[:, k] & y).sum())
            per[name] = {"n": int(y.sum()), "recall": round(tp / int(y.sum()), 4),
                         "precision": round(tp / max(int(flagged[:, k].sum()), 1), 4)}
        negative = w.negative
        real_flag = (oof.real.known(oof.real_scores[author]) >= t).any(axis=1)
        # how well the model ranks this author's lines, apart from calibration: thresholds chosen
        # on the author's own rows at the target budget (not deployable; compares recipes fairly)
        own = np.concatenate([w.known(oof.scores[mine]), oof.real.known(oof.real_scores[author])])
        own_labels = np.concatenate([w.labels, oof.real.labels])
        own_neg = np.concatenate([negative, np.zeros(len(oof.real), dtype=bool)])
        own_real = np.concatenate([np.zeros(len(w), dtype=bool), np.ones(len(oof.real), dtype=bool)])
        t_own = choose_thresholds(own, own_labels, own_neg, own_real, _at(budgets, RANKING_BUDGET))
        own_flag = w.known(oof.scores[mine]) >= t_own
        own_recall = [float((own_flag[:, k] & w.labels[:, k]).sum() / w.labels[:, k].sum())
                      for k in range(len(CATEGORIES)) if w.labels[:, k].any()]
        out[author] = {
            "rows": int(mine.sum()), "negatives": int(negative.sum()),
            "macro_recall": round(float(np.mean([v["recall"] for v in per.values()])) if per else 0.0, 4),
            "written_negatives_with_lead": round(float(flagged[negative].any(axis=1).mean()) if negative.any() else 0.0, 4),
            "real_with_lead": round(float(real_flag.mean()) if real_flag.size else 0.0, 4),
            "ranking_recall": round(float(np.mean(own_recall)) if own_recall else 0.0, 4),
            "per_category": per,
        }
    return {"authors": out, "mean": _mean(out), "per_category_recall": _per_category(out)}


RANKING_BUDGET = 0.04  # the limit on written negatives with a lead


def _at(budgets: Budgets, lead: float) -> Budgets:
    return Budgets(lead, budgets.strict_real, budgets.loose_real, budgets.floor)


def _mean(per_author: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    keys = ("macro_recall", "written_negatives_with_lead", "real_with_lead", "ranking_recall")
    return {k: round(float(np.mean([f[k] for f in per_author.values()])), 4) for k in keys} if per_author else {}


def _per_category(per_author: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in CATEGORIES:
        values = [f["per_category"][name]["recall"] for f in per_author.values() if name in f["per_category"]]
        if values:
            out[name] = round(float(np.mean(values)), 4)
    return out


def author_balance(rows: Rows, written_weight: float, power: float = 1.0) -> F64:
    """Sample weights where each written author carries weight ∝ rows^(1-power): power 1 gives
    every author the same total weight (one author's 17k rows no longer drown another's 2k);
    the written rows' total weight stays `written_weight` per row on average."""
    written = rows.source_is(*WRITTEN)
    weights = np.where(written, written_weight, 1.0).astype(np.float64)
    if power == 0 or not written.any():
        return weights
    authors = np.array(rows.authors)
    names, counts = np.unique(authors[written], return_counts=True)
    raw = {a: float(n) ** -power for a, n in zip(names.tolist(), counts.tolist(), strict=True)}
    factors = np.array([raw.get(a, 0.0) for a in authors])
    factors[written] *= written.sum() / factors[written].sum()
    weights[written] *= factors[written]
    return weights
