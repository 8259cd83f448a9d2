"""Training recipe of `clf.offensive` on COLD (Chinese Offensive Language Dataset).

Rows of COLD's original train and dev splits fit a base model. The original test rows
present in `train.jsonl` are split by a hash of their text: one half (calibration) adapts
the base model to the test rows' distribution and chooses the regularisation and the
threshold (by k-fold within it), the other half is the validation split we report. The
test rows are distributed unlike train/dev (see the card), so they are worth learning from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import LinearTextModel
from redline.detectors.classifiers.hashing import NgramHasher
from redline.training.card import Card, Curve, plot_pr, write_card
from redline.training.datasets import hash_fraction, is_validation, normalized, read_jsonl
from redline.training.evaluation import figures, pr_curve, threshold_for_precision
from redline.training.linear import fit_adapted, fit_linear_with_ratio, save_linear

NAME: Final = "offensive"
DETECTOR: Final = "clf.offensive"
VERSION: Final = "1.1.0"
HASHER: Final = NgramHasher(n_min=1, n_max=4, bits=20, fold_digits=True, markers=True)
C_GRID: Final = (3.0, 10.0)  # base model on train+dev
ADAPT_C_GRID: Final = (1.0, 3.0, 10.0)  # adaptation on the calibration half
FOLDS: Final = 5
FOLD_SALT: Final = "cold-folds"
# Reviewers read every lead: at 0.80 four in five leads are real offensive speech, and
# recall on the calibration half stays around 0.7.
PRECISION_TARGET: Final = 0.80
SALT: Final = "cold-calibration"
BERT_ACCURACY: Final = 0.81  # COLD paper (Deng et al. 2022), COLDetector on the full test set


@dataclass(frozen=True, slots=True)
class Split:
    """Texts and labels (True = offensive) of one split."""

    texts: list[str]
    labels: npt.NDArray[np.bool_]


def load_splits(data_dir: Path, only: tuple[str, ...] = ("train", "dev", "test")) -> dict[str, Split]:
    """COLD's train / dev / test rows, normalised; test texts are removed from train and dev."""
    parts: dict[str, tuple[list[str], list[bool]]] = {"train": ([], []), "dev": ([], []), "test": ([], [])}
    for row in read_jsonl(data_dir, "cold"):
        texts, labels = parts[row["meta"]["orig_split"]]
        texts.append(row["text"])
        labels.append(int(row["label"]) == 1)
    held = set(parts["test"][0])
    out: dict[str, Split] = {}
    for name, (texts, labels) in parts.items():
        if name not in only:
            continue  # normalising 25k training rows is wasted when only test rows are asked
        keep = [i for i, t in enumerate(texts) if name == "test" or t not in held]
        out[name] = Split(normalized([texts[i] for i in keep]), np.array([labels[i] for i in keep], dtype=bool))
    return out


def validation_set(data_dir: Path) -> Split:
    """The split the card reports: the validation half of COLD's test rows."""
    return _halves(load_splits(data_dir, only=("test",))["test"])[1]


def _halves(test: Split) -> tuple[Split, Split]:
    """(calibration, validation) halves of the test rows, by a hash of the text."""
    side = np.array([is_validation(t, SALT, 0.5) for t in test.texts], dtype=bool)
    calib = [i for i in range(len(test.texts)) if not side[i]]
    val = [i for i in range(len(test.texts)) if side[i]]
    return (
        Split([test.texts[i] for i in calib], test.labels[calib]),
        Split([test.texts[i] for i in val], test.labels[val]),
    )


def _folds(texts: list[str]) -> npt.NDArray[np.int64]:
    """Fold of each calibration row, by a hash of its text (identical texts share a fold)."""
    return np.array([int(hash_fraction(t, FOLD_SALT) * FOLDS) for t in texts], dtype=np.int64)


def _out_of_fold(base: LinearTextModel, ratio: npt.NDArray[np.float64], calib: Split,
                 c: float) -> npt.NDArray[np.float64]:
    """Scores of every calibration row from an adaptation that did not see its fold."""
    fold = _folds(calib.texts)
    scores = np.zeros(len(calib.texts))
    for k in range(FOLDS):
        fit = np.flatnonzero(fold != k)
        held = np.flatnonzero(fold == k)
        model = fit_adapted(base, ratio, [calib.texts[i] for i in fit], calib.labels[fit], c=c)
        scores[held] = model.scores([calib.texts[i] for i in held])
    return scores


def train(data_dir: Path, out_root: Path) -> dict[str, Any]:
    """Fit on train+dev, adapt on calibration (C and threshold by k-fold there), report on validation."""
    splits = load_splits(data_dir)
    calib, val_split = _halves(splits["test"])
    texts = splits["train"].texts + splits["dev"].texts
    labels = np.concatenate([splits["train"].labels, splits["dev"].labels])
    fitted: list[tuple[float, float, LinearTextModel, npt.NDArray[np.float64]]] = []
    for c in C_GRID:
        model, ratio = fit_linear_with_ratio(HASHER, texts, labels, c=c)
        acc = float(np.mean((model.scores(calib.texts) >= 0.5) == calib.labels))
        fitted.append((acc, c, model, ratio))
    _, c, base, ratio = max(fitted, key=lambda item: (item[0], -item[1]))
    adapted: list[tuple[float, float, npt.NDArray[np.float64]]] = []
    for adapt_c in ADAPT_C_GRID:
        oof = _out_of_fold(base, ratio, calib, adapt_c)
        adapted.append((float(np.mean((oof >= 0.5) == calib.labels)), adapt_c, oof))
    _, adapt_c, calib_scores = max(adapted, key=lambda item: (item[0], -item[1]))
    threshold = threshold_for_precision(calib.labels, calib_scores, PRECISION_TARGET)
    final = fit_adapted(base, ratio, calib.texts, calib.labels, c=adapt_c)

    folder = out_root / NAME
    folder.mkdir(parents=True, exist_ok=True)
    sha = save_linear(final, folder / "model.npz")
    val_scores = final.scores(val_split.texts)
    val_name = "validation: half of COLD test rows (never trained on, not used for choices)"
    figs = {
        f"calibration: other half of COLD test rows, {FOLDS}-fold out-of-fold (chose C and threshold)":
            figures(calib.labels, calib_scores, threshold).as_dict(),
        val_name: figures(val_split.labels, val_scores, threshold).as_dict(),
        "for comparison, validation half, base model alone (the 1.0.0 recipe: train+dev, its own threshold)":
            figures(val_split.labels, base.scores(val_split.texts), threshold_for_precision(
                calib.labels, base.scores(calib.texts), PRECISION_TARGET)).as_dict(),
    }
    val = figs[val_name]
    meta = {
        "name": DETECTOR,
        "model": NAME,
        "version": VERSION,
        "kind": "linear-ngram-nblr",
        "hasher": {"n_min": HASHER.n_min, "n_max": HASHER.n_max, "bits": HASHER.bits,
                   "fold_digits": HASHER.fold_digits, "markers": HASHER.markers},
        "threshold": round(threshold, 6),
        "precision_target": PRECISION_TARGET,
        "c": c,
        "adapt_c": adapt_c,
        "validation": val,
        "sha256": sha,
    }
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    precision, recall, _ = pr_curve(val_split.labels, val_scores)
    cprec, crec, _ = pr_curve(calib.labels, calib_scores)
    plot_pr(
        [Curve("validation half of COLD test", precision, recall, (val["recall"], val["precision"])),
         Curve("calibration half (out-of-fold)", cprec, crec)],
        folder / "pr_curve.png", "clf.offensive (COLD)",
    )
    write_card(_card(sha, threshold, figs, val_split, val_scores, (c, adapt_c), splits), folder)
    return {"model": DETECTOR, "sha256": sha, "threshold": threshold, **val}


def _failures(split: Split, scores: npt.NDArray[np.float64], threshold: float) -> list[tuple[str, float, str]]:
    predicted = scores >= threshold
    fp = np.flatnonzero(predicted & ~split.labels)
    fn = np.flatnonzero(~predicted & split.labels)
    # the most confident mistakes of each kind are the instructive ones
    out = [(split.texts[i], float(scores[i]), "false positive") for i in fp[np.argsort(-scores[fp])][:4]]
    out += [(split.texts[i], float(scores[i]), "missed") for i in fn[np.argsort(scores[fn])][:4]]
    return out


def _versus_bert(val: dict[str, Any]) -> str:
    """The plain comparison with the COLD paper's BERT, from the validation figures."""
    acc, n = float(val["accuracy_at_half"]), int(val["n"])
    margin = 1.96 * math.sqrt(acc * (1 - acc) / n)  # 95% sampling interval of an accuracy on n rows
    if acc - BERT_ACCURACY > margin:
        verdict = "beaten beyond the sampling error"
    elif acc > BERT_ACCURACY:
        verdict = ("nominally above it, but by less than the sampling error of the validation "
                   "half: a tie with BERT, not a clear win")
    else:
        verdict = "not beaten"
    return (f"- Versus the paper's BERT (~{BERT_ACCURACY:.2f} accuracy on COLD's full test set): "
            f"accuracy_at_half {acc:.4f} on the validation half (n={n}, ±{margin:.3f} at 95%): "
            f"{verdict}. The n-gram model stays a fraction of BERT's cost.")


def _card(sha: str, threshold: float, figs: dict[str, Any], test: Split,
          test_scores: npt.NDArray[np.float64], cs: tuple[float, float], splits: dict[str, Split]) -> Card:
    c, adapt_c = cs
    counts = {k: f"{len(v.texts)} ({int(v.labels.sum())} offensive)" for k, v in splits.items()}
    return Card(
        title="clf.offensive — offensive speech (攻击性言论), COLD",
        detector=DETECTOR,
        version=VERSION,
        sha256=sha,
        data=(
            "COLD, the Chinese Offensive Language Dataset (Deng et al., *COLD: A Benchmark for "
            "Chinese Offensive Language Detection*, EMNLP 2022), thu-coai/COLDataset at commit "
            "a0c55a9, **Apache-2.0**; attribution kept here. Zhihu/Weibo comments on race, "
            "gender and region, label 1 = offensive. Read from `../shared/datasets/cold/train.jsonl` "
            f"(the distributed 80%; never copied into the repository). Rows used: {counts}."
        ),
        features=(
            "Character 1–4-grams after one-to-one folding (full→half width, lower case, digits → 0), "
            "with start/end-of-message markers, hashed into 2^20 buckets (no vocabulary, no Python "
            "object per n-gram), counts scaled by 1/sqrt(n-grams). Two stages, one linear model: "
            "(1) naive-Bayes-weighted logistic regression (NBSVM-style, liblinear, "
            f"C={c}) on COLD's train+dev; (2) adaptation to the test rows' distribution: a "
            "class-balanced logistic regression on the calibration half over [the stage-1 logit, "
            f"the same NB-weighted n-grams] (C={adapt_c}). Stage 2 folds back into one weight per "
            "bucket (`a·w₁ + r·v`), so inference is the same single gather-and-sum as before; "
            "weights stored as float16."
        ),
        splits=(
            "COLD's original `train` and `dev` rows fit stage 1. The original `test` rows present "
            "in train.jsonl (any test text also found in train/dev was dropped from those) are "
            "split 50/50 by a hash of the text. The calibration half picks the stage-1 C (from "
            f"{list(C_GRID)}), **trains stage 2**, and picks its C (from {list(ADAPT_C_GRID)}) and "
            f"the threshold from {FOLDS}-fold out-of-fold scores within it (folds by a hash of "
            "the text); the final stage 2 is then refit on the whole calibration half. The "
            "validation half is never trained on and only reported. The test rows are distributed "
            "unlike train/dev (a fourth fine-grained class of anti-bias 'safe' comments that "
            "mention groups; dev accuracy is ~0.91 against ~0.80 on test), which is why the model "
            "learns from test-like rows. The paper's BERT did not train on test rows; this model "
            "did (on the other half), which is where its gain comes from. "
            "Reference point: the COLD paper reports ~0.81 accuracy for its BERT classifier and "
            "~0.80 for a character n-gram linear model on the full test set; compare "
            "`accuracy_at_half` on the validation row."
        ),
        figures=figs,
        threshold=threshold,
        threshold_why=(
            f"Chosen on the calibration half's out-of-fold scores as the lowest score at which precision reaches "
            f"{PRECISION_TARGET:.2f} (most recall at that precision): every finding is read by a "
            "person, so most leads should be real; four in five is a level a reviewer accepts "
            "for a model-only lead. Organisations can raise the threshold per rule "
            "(`clf.offensive: {threshold: 0.9}`)."
        ),
        notes=(
            f"{_versus_bert(figs[next(k for k in figs if k.startswith('validation'))])}\n"
            "- Anti-bias and descriptive comments that quote group names (黑人, 女权, 河南人) "
            "remain the main error: the model sees the group words, not the stance. Learning from "
            "test-like rows raised AP and F1 more than accuracy.\n"
            "- Sarcasm and insults without group words or slurs are missed.\n"
            "- Domain: social-media comments on race/gender/region; insults about work or "
            "colleagues (对领导和同事品头论足) were not in the training data."
        ),
        failures=_failures(test, test_scores, threshold),
        training={"hasher": HASHER, "C (base)": c, "C (adaptation)": adapt_c,
                  "folds": f"{FOLDS} (salt {FOLD_SALT!r})", "precision target": PRECISION_TARGET},
    )
