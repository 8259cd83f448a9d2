"""Training recipe of `clf.offensive` on COLD (Chinese Offensive Language Dataset).

Rows of COLD's original train and dev splits train. The original test rows present in
`train.jsonl` are split by a hash of their text: one half (calibration) chooses the
regularisation and the threshold, the other half is the validation split we report. The
test rows are distributed unlike train/dev (see the card), so the threshold is chosen there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import LinearTextModel
from redline.detectors.classifiers.hashing import NgramHasher
from redline.training.card import Card, Curve, plot_pr, write_card
from redline.training.datasets import is_validation, normalized, read_jsonl
from redline.training.evaluation import figures, pr_curve, threshold_for_precision
from redline.training.linear import fit_linear, save_linear

NAME: Final = "offensive"
DETECTOR: Final = "clf.offensive"
VERSION: Final = "1.0.0"
HASHER: Final = NgramHasher(n_min=1, n_max=4, bits=20, fold_digits=True, markers=True)
C_GRID: Final = (3.0, 10.0)
# Reviewers read every lead: at 0.80 four in five leads are real offensive speech, and
# recall on the calibration half stays around 0.7.
PRECISION_TARGET: Final = 0.80
SALT: Final = "cold-calibration"


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


def train(data_dir: Path, out_root: Path) -> dict[str, Any]:
    """Fit on train+dev per C, choose C and threshold on calibration, report on validation."""
    splits = load_splits(data_dir)
    calib, val_split = _halves(splits["test"])
    texts = splits["train"].texts + splits["dev"].texts
    labels = np.concatenate([splits["train"].labels, splits["dev"].labels])
    fitted: list[tuple[float, float, LinearTextModel]] = []
    for c in C_GRID:
        model = fit_linear(HASHER, texts, labels, c=c)
        acc = float(np.mean((model.scores(calib.texts) >= 0.5) == calib.labels))
        fitted.append((acc, c, model))
    _, c, final = max(fitted, key=lambda item: (item[0], -item[1]))
    calib_scores = final.scores(calib.texts)
    threshold = threshold_for_precision(calib.labels, calib_scores, PRECISION_TARGET)

    folder = out_root / NAME
    folder.mkdir(parents=True, exist_ok=True)
    sha = save_linear(final, folder / "model.npz")
    val_scores = final.scores(val_split.texts)
    val_name = "validation: half of COLD test rows (never trained on, not used for choices)"
    figs = {
        "calibration: other half of COLD test rows (chose C and threshold)": figures(
            calib.labels, calib_scores, threshold).as_dict(),
        val_name: figures(val_split.labels, val_scores, threshold).as_dict(),
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
        "validation": val,
        "sha256": sha,
    }
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    precision, recall, _ = pr_curve(val_split.labels, val_scores)
    cprec, crec, _ = pr_curve(calib.labels, calib_scores)
    plot_pr(
        [Curve("validation half of COLD test", precision, recall, (val["recall"], val["precision"])),
         Curve("calibration half", cprec, crec)],
        folder / "pr_curve.png", "clf.offensive (COLD)",
    )
    write_card(_card(sha, threshold, figs, val_split, val_scores, c, splits), folder)
    return {"model": DETECTOR, "sha256": sha, "threshold": threshold, **val}


def _failures(split: Split, scores: npt.NDArray[np.float64], threshold: float) -> list[tuple[str, float, str]]:
    predicted = scores >= threshold
    fp = np.flatnonzero(predicted & ~split.labels)
    fn = np.flatnonzero(~predicted & split.labels)
    # the most confident mistakes of each kind are the instructive ones
    out = [(split.texts[i], float(scores[i]), "false positive") for i in fp[np.argsort(-scores[fp])][:4]]
    out += [(split.texts[i], float(scores[i]), "missed") for i in fn[np.argsort(scores[fn])][:4]]
    return out


def _card(sha: str, threshold: float, figs: dict[str, Any], test: Split,
          test_scores: npt.NDArray[np.float64], c: float, splits: dict[str, Split]) -> Card:
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
            "object per n-gram), counts scaled by 1/sqrt(n-grams). Naive-Bayes-weighted logistic "
            f"regression (NBSVM-style, liblinear, C={c}); weights stored as float16."
        ),
        splits=(
            "COLD's original `train` and `dev` rows fit the model. The original `test` rows present "
            "in train.jsonl (any test text also found in train/dev was dropped from those) are "
            "split 50/50 by a hash of the text: the calibration half picks C (from "
            f"{list(C_GRID)}) and the threshold, the validation half is only reported. The test "
            "rows are distributed unlike train/dev (a third class of anti-bias 'safe' comments "
            "that mention groups; dev accuracy is ~0.91 against ~0.80 on test), which is why "
            "choices are made on test-like rows. "
            "Reference point: the COLD paper reports ~0.81 accuracy for its BERT classifier and "
            "~0.80 for a character n-gram linear model on the full test set; compare "
            "`accuracy_at_half` on the validation row."
        ),
        figures=figs,
        threshold=threshold,
        threshold_why=(
            f"Chosen on the calibration half as the lowest score at which precision reaches "
            f"{PRECISION_TARGET:.2f} (most recall at that precision): every finding is read by a "
            "person, so most leads should be real; four in five is a level a reviewer accepts "
            "for a model-only lead. Organisations can raise the threshold per rule "
            "(`clf.offensive: {threshold: 0.9}`)."
        ),
        notes=(
            "- Not beaten: the paper's BERT (~0.81 accuracy); this model is at the level of the "
            "paper's n-gram baseline, at a fraction of the cost.\n"
            "- Anti-bias and descriptive comments that quote group names (黑人, 女权, 河南人) score "
            "high: the model sees the group words, not the stance.\n"
            "- Sarcasm and insults without group words or slurs are missed.\n"
            "- Domain: social-media comments on race/gender/region; insults about work or "
            "colleagues (对领导和同事品头论足) were not in the training data."
        ),
        failures=_failures(test, test_scores, threshold),
        training={"hasher": HASHER, "C": c, "precision target": PRECISION_TARGET},
    )
