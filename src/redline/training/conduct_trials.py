"""Recipes tried for `clf.conduct` 1.3.0, scored leave-one-author-out (conduct_authors).

    PYTHONPATH=src python -m redline.training.conduct_trials [DATA_DIR] [--corpus=DIR] [recipe …]
    PYTHONPATH=src python -m redline.training.conduct_trials [DATA_DIR] [--corpus=DIR] shipped:1.2.0

prints one JSON line per recipe: mean over left-out authors of macro recall, written negatives
with a lead and real text with a lead, per author and per category. A recipe is a feature
set (conduct_features), C, the written rows' weight, per-author balancing and class weighting.
The chosen one is what `conduct.fit` ships; the card lists them all with their figures.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson
import scipy.sparse as sp

from redline.detectors.classifiers.hashing import NgramHasher
from redline.training import conduct, conduct_authors, conduct_features
from redline.training.conduct_data import CORPUS_DIR, Rows, written_and_real

F64 = conduct_authors.F64
SWEEP = (0.02, 0.025, 0.035, 0.04)


@dataclass(frozen=True, slots=True)
class Recipe:
    """One way to fit the model; `name` is how the card and the command line call it."""

    name: str
    families: tuple[str, ...] = ("char",)
    n_max: int = 3
    bits: int = 18
    c: float = conduct.C
    written_weight: float = conduct.WRITTEN_WEIGHT
    author_power: float = 0.0  # 1: every author the same total weight (conduct_authors.author_balance)
    positive_share: float | None = None  # class weighting per category (None: as the rows come)
    channel: bool = False  # off_topic fitted without rows from outside a work channel (conduct_data.CHANNEL_BOUND)

    @property
    def hasher(self) -> NgramHasher:
        return NgramHasher(n_min=1, n_max=self.n_max, bits=self.bits, fold_digits=True, markers=True)


RECIPES: dict[str, Recipe] = {r.name: r for r in (
    Recipe("char13"),  # the 1.2.0 recipe
    Recipe("char14", n_max=4),
    Recipe("char13+skip", families=("char", "skip")),
    Recipe("char13+words", families=("char", "words")),
    Recipe("char13_authors", author_power=1.0),
    Recipe("char13_authors_half", author_power=0.5),
    Recipe("char13_class", positive_share=0.25),
    Recipe("char13_class50", positive_share=0.5),
    Recipe("char13_class_authors", positive_share=0.25, author_power=1.0),
    Recipe("char13_c10", c=10.0),
    Recipe("char13_c100", c=100.0),
    Recipe("char13+embed", families=("char", "embed")),
    Recipe("char13_class50_channel", positive_share=0.5, channel=True),
)}


def fitter(recipe: Recipe, texts: Sequence[str]) -> conduct_authors.Fitter:
    """A fit function over rows whose texts are all in `texts` (their features built once)."""
    unique = list(dict.fromkeys(texts))
    index = {t: i for i, t in enumerate(unique)}
    full = conduct_features.matrix(unique, recipe.hasher, recipe.families)

    def rows_matrix(wanted: Sequence[str]) -> sp.csr_matrix:
        return full[np.fromiter((index[t] for t in wanted), dtype=np.int64, count=len(wanted))]

    def fit(rows: Rows) -> Callable[[Sequence[str]], F64]:
        weights = conduct_authors.author_balance(rows, recipe.written_weight, recipe.author_power)
        w, b = conduct._fit_columns(rows_matrix(rows.texts), rows.labels, weights, recipe.c, recipe.positive_share,
                                    rows.unknown if recipe.channel else None)

        def score(batch: Sequence[str]) -> F64:
            logits = rows_matrix(batch) @ w + b
            out: F64 = 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))
            return out

        return score

    return fit


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")


def run(recipe: Recipe, written: Rows, real_train: Rows, real_held: Rows,
        budgets: conduct_authors.Budgets) -> dict[str, object]:
    start = time.perf_counter()
    fit = fitter(recipe, written.texts + real_train.texts + real_held.texts)
    oof = conduct_authors.out_of_fold(written, real_train, real_held, fit,
                                      log=_log)
    figures = conduct_authors.author_figures(oof, budgets)
    seconds = round(time.perf_counter() - start, 1)
    # the same out-of-fold scores under other shared budgets: what the 4 % limit allows
    sweep = {str(lead): conduct_authors.author_figures(oof, conduct_authors.Budgets(
        lead, budgets.strict_real, budgets.loose_real, budgets.floor))["mean"] for lead in SWEEP}
    return {"recipe": recipe.name, "seconds": seconds, **figures, "budget_sweep": sweep}


def shipped_on_authors(version: str, written: Rows, real_held: Rows) -> dict[str, object]:
    """A shipped version at its own thresholds (gate on, as in use) on each author's rows: for
    authors it was not trained on (1.2.0 saw a0 and the pilot, not w1–w3) an honest figure."""
    from redline.detectors.classifiers import conduct_files
    from redline.detectors.classifiers.versions import ModelVersions

    loaded = conduct_files.load(ModelVersions.of(conduct_files.NAME).folder(version))
    t = np.array([loaded.thresholds[c] for c in loaded.model.categories])
    flagged = loaded.model.scores(written.texts) >= t
    out: dict[str, object] = {"version": version,
                              "real_with_lead": round(float((loaded.model.scores(real_held.texts) >= t).any(axis=1).mean()), 4)}
    for author in sorted(set(written.authors)):
        mine = written.author_is(author)
        w = written.where(mine)
        f = flagged[mine]
        per = {name: round(float((f[:, k] & w.labels[:, k]).sum() / w.labels[:, k].sum()), 4)
               for k, name in enumerate(loaded.model.categories) if w.labels[:, k].any()}
        out[author] = {"macro_recall": round(float(np.mean(list(per.values()))), 4),
                       "written_negatives_with_lead": round(float(f[w.negative].any(axis=1).mean()), 4),
                       "per_category": per}
    return out


def default_budgets() -> conduct_authors.Budgets:
    return conduct_authors.Budgets(conduct.LEAD_BUDGET, conduct.REAL_BUDGET, conduct.LOOSE_REAL_BUDGET, conduct.FLOOR)


def main(argv: Sequence[str]) -> None:
    data_dir = Path(argv[0]) if argv else Path("/work/shared/datasets")
    rest = list(argv[1:])
    corpus_dir = CORPUS_DIR
    if rest and rest[0].startswith("--corpus="):
        corpus_dir = Path(rest.pop(0).partition("=")[2])
    names = rest or list(RECIPES)
    written, real_train, real_held = written_and_real(data_dir, corpus_dir)
    if names[0].startswith("shipped:"):
        for name in names:
            result = shipped_on_authors(name.partition(":")[2], written, real_held)
            sys.stdout.write(orjson.dumps(result).decode() + "\n")
        return
    for name in names:
        result = run(RECIPES[name], written, real_train, real_held, default_budgets())
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
