"""The model card of `clf.promotion`: data and licences, features, validation, what it misses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from redline.detectors.classifiers.hashing import NgramHasher
from redline.training.card import Card
from redline.training.promotion_data import EXCLUDED_TERM_DIGESTS, Split

# Weights of our work-chat corpus and of each written author's rows, compared for 1.4.0 by
# leave-one-source-out F1 (ADDetector4J / nonebot2 / conduct_pilot / corpus dev / w20 / w21 / w22,
# at the threshold of best F1 on the pooled left-out scores; each row's mean over the sources
# chose; scripts outside the repository, the same rows as the recipe). Filled from those runs.
COMPARED_140: tuple[tuple[str, str, str, str], ...] = (
    ("1.3.0 (corpus of 20,188 rows at 1, no written authors)", "0.35 / 0.65 / 0.69 / 0.70 / – / – / –", "–",
     "0.05 % / 0.05 %; 0.879 / 0.840"),
    ("0.1, 1 (chosen), before w23 joined", "0.43 / 0.45 / 0.78 / 0.82 / 0.86 / 0.87 / 0.88", "0.729",
     "0.16 % / 0.08 %; 0.934 / 0.917"),
    ("0.1, 1 with w23 (shipped; w23 itself left out: 0.94)", "0.44 / 0.49 / 0.80 / 0.82 / 0.87 / 0.89 / 0.89",
     "0.744", "0.12 % / 0.09 %; 0.930 / 0.909"),
    ("0.03, 1", "0.44 / 0.49 / 0.77 / 0.82 / 0.87 / 0.88 / 0.89", "0.736", "0.22 % / 0.11 %; 0.923 / 0.889"),
    ("0.01, 1", "0.45 / 0.49 / 0.76 / 0.82 / 0.87 / 0.88 / 0.89", "0.735", "0.28 % / 0.15 %; 0.904 / 0.862"),
    ("0.03, 3", "0.44 / 0.49 / 0.77 / 0.82 / 0.88 / 0.89 / 0.89", "0.740", "0.29 % / 0.24 %; 0.926 / 0.895"),
)

# Recipes compared while building 1.3.0, by leave-one-source-out F1 (ADDetector4J / nonebot2 /
# conduct_pilot / corpus dev) at the threshold of best F1 on the pooled left-out scores
# (scripts outside the repository; the same rows as the recipe).
COMPARED: tuple[tuple[str, str], ...] = (
    ("1.2.0's rows (no corpus), n-grams alone", "0.31 / 0.58 / 0.21 / 0.70"),
    ("+ corpus train (ads; rows breaking no rule as negatives), n-grams alone", "0.29 / 0.56 / 0.63 / 0.72"),
    ("+ corpus train, every non-ad row of it as a negative", "0.25 / 0.28 / 0.57 / 0.72"),
    ("+ corpus, COLD: all non-test comments / all safe ones instead of a quarter", "0.26 / 0.58 / 0.61 / 0.72; "
     "0.27 / 0.61 / 0.60 / 0.71"),
    ("+ corpus, n-grams alone, C = 3 / 30", "0.30 / 0.62 / 0.59 / 0.71; 0.29 / 0.52 / 0.64 / 0.72"),
    ("+ corpus, cues as extra columns of the n-gram regression (scale 1 / 3)", "0.43 / 0.62 / 0.61 / 0.76; "
     "0.43 / 0.59 / 0.61 / 0.76"),
    ("+ corpus, cues alone (7 weights)", "0.48 / 0.64 / 0.44 / 0.70"),
    ("+ corpus, stacked: out-of-fold n-gram logit + cues (shipped, before the hand-written non-ads and safe-only COLD)", "0.38 / 0.65 / 0.63 / 0.81"),
    ("+ corpus, stacked, the out-of-fold logit from folds by source", "0.47 / 0.72 / 0.54 / 0.69"),
)


def card(*, hasher: NgramHasher, sha: str, version: str, threshold: float, figs: Mapping[str, Mapping[str, Any]], c: float,
         c_grid: Sequence[float], nested: Mapping[str, float], cue_weights: Mapping[str, float], train: Split,
         failures: list[tuple[str, float, str]], term_weight: float, floor: float, corpus_weight: float,
         written_weight: float) -> Card:
    counts = {s: sum(1 for x in train.sources if x == s) for s in sorted(set(train.sources))}
    compared = "\n".join(f"| {name} | {f1} |" for name, f1 in COMPARED)
    compared_140 = "\n".join(f"| {name} | {f1} | {mean} | {work} |" for name, f1, mean, work in COMPARED_140)
    nested_text = ", ".join(f"{k} {v:.2f}" for k, v in nested.items())
    cues = ", ".join(f"{k} {v:+.2f}" for k, v in cue_weights.items())
    return Card(
        title="clf.promotion — unauthorised selling and promotion (推销、推广, 微商)",
        detector="clf.promotion", version=version, sha256=sha,
        data=(
            "- `qq_group_ads`: QQ group chat labelled ad / normal, from siuank/ADDetector4J "
            "(fe01c7b, **MIT**; Minecraft-scene groups) and hhhhc-da/nonebot2-review (38f4e4d, "
            "**MIT**; one group, ads for ordinary goods plus some spam). Messages contain third "
            "parties' QQ numbers; digits are folded to 0 before hashing, so no number is stored.\n"
            "- `conduct_pilot`: the project's own written work-group chat (2,600 lines, 13 conduct "
            "categories and hard negatives); its 120 `promotion` lines are ads, all other lines "
            "are not, so the model sees selling in the register of work groups.\n"
            "- `corpus`: our labelled work-chat corpus (`data/conduct`, written for Redline; see its "
            "DATASHEET.md): the train split's `promotion` rows are ads, its rows that break no rule "
            f"are not. Its dev split is never trained on. Its rows weigh {corpus_weight:g} each: they are "
            "~57,000 of ~64,000 chat rows, and at full weight the model learns work groups' ads and "
            "little else.\n"
            "- `written:w20` … `written:w23`: group chat written for Redline by four authors who never "
            "saw any other source (`data/promotion`, see its DATASHEET.md): young people's QQ groups; "
            "older adults' WeChat groups; comment sections and workplace groups; favours and the "
            "soft-sell that imitates them. "
            "Ads, and messages that share an ad's cues without selling (prices, contacts, links, buying "
            f"talk, notices, trade words in games, work), weight {written_weight:g}; each author is a "
            "chat source of its own.\n"
            "- `lexicon_konsheng`: the 'advertising' term list of konsheng/Sensitive-lexicon "
            f"(5a8da94, **MIT**), as weak positive examples (weight {term_weight}); "
            f"{len(EXCLUDED_TERM_DIGESTS)} terms that are not promotion (insults, sexual words, officials' "
            "names, market words) were excluded, listed in `training/promotion_data.py`.\n"
            "- `non_ads`: 80 chat lines written for Redline that share an ad's cues without selling "
            "(`training/non_ads.py`): 40 that ask to be contacted (有事私聊, 加我微信发材料) and 40 "
            "that name an amount (转账88.00元, AA每人60元, 报销, 罚款), as negatives: no negative of "
            "the other written sources said 私聊, and a first fit read 加我微信私聊 and payment "
            "records (转账126.29元) as ads.\n"
            "- `cold`: a hash-selected quarter of COLD's safe comments (thu-coai/COLDataset a0c55a9, "
            "**Apache-2.0**), never its original test rows, as ordinary, non-promotional chat.\n"
            f"All shared sets read from `../shared/datasets/` (never copied). Training rows by source: {counts}."
        ),
        features=(
            "Two stages, shipped as one n-gram weight table and seven cue weights:\n"
            "1. Character 1–4-grams after one-to-one folding (full→half width, lower case, digits → "
            "0, so a QQ number or price becomes a shape), with start/end markers, hashed into 2^20 "
            f"buckets; NB-weighted logistic regression (liblinear, C={c:g}).\n"
            "2. A logistic regression on [stage 1's out-of-fold logit, selling cues] "
            "(`detectors/classifiers/cues.py`: price, contact handle, quantity, buy/sell verb, link, "
            "two kinds together, three kinds together). Stage 1's weights are multiplied by its "
            f"coefficient; the cue weights are {cues}.\n"
            f"Cues are searched only in messages that could reach {floor:g} (or the lowest threshold "
            "of the detector's rules, if higher) with every cue present; elsewhere the score is stage "
            "1's alone, below that floor either way, so no decision changes. On the bench's real "
            "mix (`make bench`, classifiers) 1.4.0 with its first stage (gate.json) scans ~416k msgs/s "
            "on one core at the card's threshold (~269k with normalisation); 1.3.0 measured ~275–300k "
            "at ZJ-05's 0.7 then. Weights float16."
        ),
        splits=(
            "qq_group_ads is split 80/20 by a hash of the text (identical texts on one side); "
            f"COLD's quarter likewise. C (from {list(c_grid)}) comes from 5-fold out-of-fold scores "
            "of stage 1 on the training rows (average precision on chat rows). **Across sources**: "
            "for each chat source (the two QQ groups, conduct_pilot, our corpus, each written author) both stages are "
            "fitted on all other rows and scored on that source: all its messages, or for our corpus "
            "its dev split's ads and rows breaking no rule. The threshold is the best-F1 one on these "
            "pooled left-out scores, so each source's row below shares in the choice; the F1 at a "
            "threshold chosen without the source (nested) is: "
            f"{nested_text}. The repository's independent test set (data/conduct-test) is scored only "
            "on an explicit, logged look (REDLINE_LOOK_AT_CONDUCT_TEST=1), never tuned on. The "
            "hand-written probe (`training/chat_probe.py`) is a sanity check written by a developer "
            "while building the model, not a blind test set. The cue patterns were written by the "
            "developer who had read samples of every source, the QQ groups included, so the "
            "left-out figures are somewhat optimistic for chat of a kind no one has read.\n\n"
            "Weights compared for 1.4.0: leave-one-source-out F1 (ADDetector4J / nonebot2 / "
            "conduct_pilot / corpus dev / w20 / w21 / w22, each at its own pooled threshold) and "
            "their mean over these seven; and, on our corpus's dev split (never trained on), the share of rows that "
            "break no rule scored at or above 0.7 / 0.8 and the ads' recall there (ZJ-05 reads the "
            "model at such a threshold). The means differ by 0.011 at most, about the noise of the "
            "small sources (nonebot2's 30 ads move its F1 by ~0.03 each), while the false leads on "
            "work chat differ threefold: the weights with the fewest (0.1, 1) were chosen. A fourth "
            "author (w23: favours, invitations and offers to help, and the soft-sell that imitates "
            "them) then joined at those weights, after the card named friendly invitations as a "
            "failure; every source's left-out F1 rose. Its brief quoted three such invitations seen "
            "among the corpus dev split's false leads, so the dev split's figures for that kind are "
            "somewhat optimistic since. ZJ-05 reads the model at 0.8, where the ads' recall (0.909) "
            "is above 1.3.0's at 0.7 (0.879) and its false leads on rows that break no rule (0.09 %) "
            "near 1.3.0's (0.05 %). The written authors' figures took part in these choices.\n\n"
            "| corpus weight, written weight | F1 | mean | corpus dev: no-rule rows flagged at 0.7 / 0.8; "
            f"ads' recall at 0.7 / 0.8 |\n|---|---|---|---|\n{compared_140}\n\n"
            "Recipes compared for 1.3.0 (leave-one-source-out F1, ADDetector4J / nonebot2 / "
            "conduct_pilot / corpus dev, each at its own pooled threshold):\n\n"
            f"| recipe | F1 |\n|---|---|\n{compared}"
        ),
        figures=figs, threshold=threshold,
        threshold_why=(
            "The threshold of best F1 on the pooled leave-one-source-out scores: the detector is "
            "meant for groups it was not trained on (1.2.0 chose it on within-source out-of-fold "
            "scores). Organisations that want surer leads raise it per rule "
            "(`clf.promotion: {threshold: 0.5}`); a rule threshold below the cue floor "
            f"({floor:g}) reads stage 1 alone for most messages."
        ),
        notes=(
            "- Issue 21 asks for F1 ≥ 0.75 on chat sources the model was not trained on. Reached, "
            "left out, on our corpus's dev split, the pilot and the three written authors' groups "
            "(see the rows above); not on the two QQ groups. The QQ labels are wider than "
            "promotion: ADDetector4J's 1 also marks asking for cheats (有没有黑卡), insults and "
            "group-recruiting, nonebot2's also porn-link spam and rude messages; these appear as "
            "'missed'. nonebot2-review has 30 ads: one found or missed moves its F1 by ~0.03. An "
            "independent annotator relabelled every qq_group_ads row by our definition without seeing "
            "the model (`data/promotion/relabel`): 193 of 281 source 1s with a settled label are ads, "
            "2 of 1,874 source 0s are; read against those labels the same left-out scores give the "
            "'relabelling' rows above: better, still under 0.75. The model misses most gaming ads "
            "(cheat clients, configs, server slang) that no other source has.\n"
            "- The written authors' ads often invite contact without naming goods (有需要的找我, "
            "吱一声); the model learned some of that, and friendly invitations in work chat "
            "(有空来找我喝茶, 谁有要捎的吱一声) scored above 0.8 before w23 joined (see above). With our corpus at weight 0.1, "
            "a message that breaks another rule (a gift, a bet) is read as an ad more often than by "
            "1.3.0 at the card's threshold; ZJ-05 reads 0.8.\n"
            "- Asking to be contacted (有事加我微信，私聊我也行) can still pass the card's threshold "
            "(about 0.4): 私聊 and 加微信 go with ads in every source. ZJ-05 reads the model at 0.7.\n"
            "- A price with an amount and no selling can pass the card's threshold: red-packet game "
            "lines (扫雷 50元6包) score about 0.5–0.6, payment records (转账126.29元) about 0.2.\n"
            "- Selling in a friendly register without prices, links, quantities or contact words "
            "is still weak (我家茶叶新上市，欢迎品尝订购).\n"
            "- Gaming ads (cheat clients, 工具箱, 卡网) are unlike any other source's ads; a model "
            "without ADDetector4J finds few of them.\n"
            "- 出 (sell) / 收 (buy) before a number is a cue; in work chat 出差 / 收到 are not, and "
            "the work-chat negatives teach this."
        ),
        failures=failures,
        training={"hasher": hasher, "C": c, "threshold": "best F1, pooled leave-one-source-out",
                  "cue floor": floor},
    )

