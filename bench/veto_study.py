"""Which clf.conduct vetoes of weak rule hits pay, measured on authors the model never saw.

    REDLINE_DATASETS=/work/shared/datasets PYTHONPATH=src:. python -m bench.veto_study \
        [--choose a0,w1,w2,w3,pilot] [--report w4,w5] [--variants] [--budget 0.005] [--show KIND]
        [--detectors] [--upgrade] [--tried] [--out bench/results/veto_study.json]

1. every written row is scored out of fold (veto_oof: the model fitted without its author;
   cached, minutes the first time); 2. the full screen's raw findings per row, no veto applied
   (veto_screen: the real detectors of `--packs all`; clf.conduct's leads at the OOF scores and
   the author fold's thresholds); 3. offline, any veto setting (veto_sim) gives the lead decision
   per row. Settings are searched greedily on the `--choose` authors (each step adds the per-
   category or per-rule veto that cuts the most negatives with a lead, while macro recall — the
   mean over those authors — loses at most `--budget` against no veto and no pack `match`
   example, scored by the shipped model, is silenced), then reported on the `--report` authors,
   which took no part in the choice. Hand lines only unless `--variants`. Prints one JSON:
   the steps, and for no veto / the packs' vetoes / the chosen ones the figures on both groups
   of authors (`--tried`: every candidate alone; `--detectors`: vetoes of one detector's hits
   too, which no pack can say yet; `--show KIND|leads`: the held-out negatives still led).
"""

from __future__ import annotations

import collections
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.veto_oof import Written, log_line, out_of_fold_scores, written_rows
from bench.veto_screen import Screened, collect, conduct_of, shipped_scores
from bench.veto_sim import ALL, NEVER, Flat, Outcome, Veto, apply, example_passes, sources, vetoed
from redline.training import conduct, conduct_authors
from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

CHOOSE = ("a0", "w1", "w2", "w3", "pilot")
REPORT = ("w4", "w5")
BELOW = (0.002, 0.005, 0.01, 0.02, 0.05)
HITS_UNDER = (0.65, 0.75, 0.8, 0.9, 1.0)  # hits score 0.6 (secret marks) … 0.95
OVER = ("category", "max")


@dataclass(frozen=True, slots=True)
class Study:
    rows: list[Written]
    flat: Flat
    examples: list[tuple[str, str]]  # (rule id, text) of every pack `match` example
    example_flat: Flat
    shipped: tuple[Veto, ...]  # the packs' vetoes as they stand

    @property
    def labels(self) -> np.ndarray:
        return np.array([[c in w.labels for c in CATEGORIES] for w in self.rows], dtype=bool).reshape(-1, len(CATEGORIES))

    @property
    def authors(self) -> np.ndarray:
        return np.array([w.author for w in self.rows])


def _merge(parts: Sequence[Screened]) -> Screened:
    return Screened([h for p in parts for h in p.hits], [lead for p in parts for lead in p.leads],
                    np.concatenate([p.scores for p in parts]))


def build(data_dir: Path, variants: bool) -> Study:
    from redline.cli.packs import load_built, load_text_plan
    from redline.rules.examples import example_cases

    written = written_rows(data_dir)
    oof = out_of_fold_scores(written, data_dir, log=log_line)
    plan = load_text_plan("all", None)
    rows: list[Written] = []
    parts: list[Screened] = []
    for author in oof.authors:
        idx = [i for i, w in enumerate(written) if w.author == author and (variants or w.hand)]
        t = conduct_authors.fold_thresholds(oof, author, conduct.BUDGETS)
        parts.append(collect(plan, [written[i].text for i in idx], oof.scores[idx], t))
        rows += [written[i] for i in idx]
    built = load_built("all", None, with_example_terms=True)  # as `redline packs test`
    examples = [(rid, text) for _, rid, text, match in example_cases(built.packset) if match]
    texts = [t for _, t in examples]
    scores, thresholds = shipped_scores(built.plan, texts)
    shipped = tuple(Veto(v.category, v.below, v.hits_under, v.over,
                         rules=None if "*" in v.rule_ids else frozenset(v.rule_ids))
                    for v in conduct_of(plan).vetoes)
    return Study(rows, Flat.of(_merge(parts)), examples,
                 Flat.of(collect(built.plan, texts, scores, thresholds)), shipped)


def silenced(study: Study, vetoes: Sequence[Veto]) -> list[str]:
    """The `match` examples that pass with no veto and fail with these."""
    if not vetoed(study.example_flat, vetoes).any():
        return []
    before, after = apply(study.example_flat, ()), apply(study.example_flat, vetoes)
    return [f"{rid}: {text}" for i, (rid, text) in enumerate(study.examples)
            if example_passes(study.example_flat, before, i, rid) and not example_passes(study.example_flat, after, i, rid)]


@dataclass(frozen=True, slots=True)
class Group:
    """Some authors' rows: masks computed once, reused for every setting tried."""

    names: tuple[str, ...]
    # per author, (category, its labelled rows) for every category the author wrote
    by_author: tuple[tuple[tuple[int, np.ndarray], ...], ...]
    negative: np.ndarray

    @classmethod
    def of(cls, study: Study, names: Sequence[str]) -> Group:
        labels, author = study.labels, study.authors
        by_author = tuple(tuple((k, np.flatnonzero((author == a) & labels[:, k])) for k in range(len(CATEGORIES))
                                if ((author == a) & labels[:, k]).any()) for a in names)
        negative = np.isin(author, list(names)) & ~labels.any(axis=1)
        return cls(tuple(names), by_author, negative)

    def score(self, out: Outcome) -> tuple[int, float]:
        """(negatives with a lead, macro recall: the mean over authors of the mean over categories)."""
        macro = [float(np.mean([out.led[rows, k].mean() for k, rows in cats])) for cats in self.by_author if cats]
        return int(out.any_lead()[self.negative].sum()), float(np.mean(macro)) if macro else 0.0


def figures(study: Study, vetoes: Sequence[Veto], authors: Sequence[str], show: str | None = None) -> dict[str, Any]:
    """Per author macro recall (mean over authors), per-category recall, negatives with a lead
    (pooled over the authors), per kind and per source."""
    out = apply(study.flat, vetoes)
    led = out.any_lead()
    group = Group.of(study, authors)
    negative = group.negative
    per_author: dict[str, float] = {}
    per_cat: dict[str, list[float]] = collections.defaultdict(list)
    for a, cats in zip(authors, group.by_author, strict=True):
        recalls = [float(out.led[rows, k].mean()) for k, rows in cats]
        for (k, _), r in zip(cats, recalls, strict=True):
            per_cat[CATEGORIES[k]].append(r)
        per_author[a] = round(float(np.mean(recalls)), 4) if recalls else 0.0
    kinds: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for i in np.flatnonzero(negative).tolist():
        kinds[study.rows[i].kind][0] += 1
        kinds[study.rows[i].kind][1] += bool(led[i])
        if show and led[i] and show in ("leads", study.rows[i].kind):
            why = [f"{study.flat.rule[j]}/{study.flat.detector[j]}"
                   for j in np.flatnonzero((study.flat.row == i) & out.kept).tolist()]
            own = [CATEGORIES[k] for k in np.flatnonzero(study.flat.leads[i] & ~out.caught[i]).tolist()]
            print(f"  LEAD {study.rows[i].author} <{study.rows[i].kind}> {why} {own} {study.rows[i].text[:80]}",
                  file=sys.stderr)
    n = int(negative.sum())
    return {
        "macro_recall": round(float(np.mean(list(per_author.values()))), 4),
        "macro_recall_by_author": per_author,
        "recall": {c: round(float(np.mean(v)), 3) for c, v in per_cat.items()},
        "negatives": n,
        "with_lead": int(led[negative].sum()),
        "share_with_lead": round(float(led[negative].mean()) if n else 0.0, 4),
        "by_source": sources(study.flat, out, negative),
        "kinds": {k: f"{v[1]}/{v[0]}" for k, v in sorted(kinds.items())},
    }


def _category_rules(study: Study) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The rules, and the detectors, that file hits under each category (rows or pack examples)."""
    rules: dict[str, set[str]] = collections.defaultdict(set)
    detectors: dict[str, set[str]] = collections.defaultdict(set)
    for flat in (study.flat, study.example_flat):
        for rule, det, k in zip(flat.rule.tolist(), flat.detector.tolist(), flat.cat.tolist(), strict=True):
            rules[ALL[k]].add(str(rule))
            detectors[ALL[k]].add(str(det))
    return rules, detectors


def candidates(study: Study, detectors: bool = False) -> list[Veto]:
    """Every per-category veto of the grid, and of one detector's hits in the category; where
    one silences a pack example, the same veto on the category's other rules (the narrower veto
    a rule with a model blind spot keeps)."""
    rules, by_detector = _category_rules(study)
    out: list[Veto] = []
    for c in CATEGORIES:
        if c in NEVER or c not in rules:
            continue
        scopes = [None, *(frozenset({d}) for d in sorted(by_detector[c]) if d != "clf.conduct")] if detectors else [None]
        for b in BELOW:
            for h in HITS_UNDER:
                for o in OVER:
                    for d in scopes:
                        v = Veto(c, b, h, o, detectors=d)
                        loud = {line.split(":")[0] for line in silenced(study, [v])}
                        if not loud:
                            out.append(v)
                        elif rules[c] - loud:
                            out.append(Veto(c, b, h, o, rules=frozenset(rules[c] - loud), detectors=d))
    return out


# a veto that cuts n negatives' leads for a loss of macro recall d is worth n / (d + EPSILON):
# the free ones first, then the cheapest (taking the biggest cut first spent the budget badly)
EPSILON = 0.0002


def _disjoint(a: Veto, b: Veto) -> bool:
    """Two vetoes of one category that judge different detectors' hits: both may stand."""
    return a.detectors is not None and b.detectors is not None and not a.detectors & b.detectors


def search(study: Study, authors: Sequence[str], budget: float, detectors: bool = False,
           upgrade: bool = False) -> tuple[list[Veto], list[dict[str, Any]]]:
    """Greedy: add the veto that cuts negatives with a lead on `authors` most cheaply in macro
    recall, while the loss against no veto stays within `budget` and no `match` example is
    silenced; one veto per category (or per detector with `detectors`); with `upgrade` a later
    step may replace a category's veto by a stronger one, spending the rest of the budget."""
    group = Group.of(study, authors)
    _, base_macro = group.score(apply(study.flat, ()))
    chosen: list[Veto] = []
    steps: list[dict[str, Any]] = []
    pool = [v for v in candidates(study, detectors) if not silenced(study, [v])]
    while True:
        now, now_macro = group.score(apply(study.flat, chosen))
        best: tuple[float, int, float, Veto, list[Veto]] | None = None
        for v in pool:
            others = [c for c in chosen if c.category != v.category or _disjoint(c, v)]
            if len(others) < len(chosen) and not upgrade:
                continue
            trial = [*others, v]  # with `upgrade`: the category's veto replaced by a stronger one
            led, macro = group.score(apply(study.flat, trial))
            cut = now - led
            if cut <= 0 or base_macro - macro > budget:
                continue
            worth = cut / (max(now_macro - macro, 0.0) + EPSILON)
            if best is None or (worth, cut) > best[:2]:
                best = (worth, cut, macro, v, trial)
        if best is None:
            return chosen, steps
        pool.remove(best[3])
        if silenced(study, best[4]):  # together with the chosen ones it silences one
            continue
        replaced = [c.name for c in chosen if c not in best[4]]
        chosen = best[4]
        steps.append({"add": best[3].name, "negatives_cut": best[1], "macro_recall": round(best[2], 4),
                      **({"replaces": replaced} if replaced else {})})


def tried(study: Study, choose: Sequence[str], report: Sequence[str], detectors: bool) -> list[str]:
    """Each candidate alone against no veto: negatives' leads cut and macro recall lost on the
    chosen-on and the held-out authors, and the pack examples it silences (those that cut)."""
    groups = (Group.of(study, choose), Group.of(study, report))
    base = [g.score(apply(study.flat, ())) for g in groups]
    lines = []
    for v in candidates(study, detectors):
        got = [g.score(apply(study.flat, [v])) for g in groups]
        if got[0][0] < base[0][0] or got[1][0] < base[1][0]:
            loud = sorted({line.split(":")[0] for line in silenced(study, [v])})
            lines.append(f"{v.name}: chosen-on cut {base[0][0] - got[0][0]}, loss {base[0][1] - got[0][1]:.4f}; "
                         f"held-out cut {base[1][0] - got[1][0]}, loss {base[1][1] - got[1][1]:.4f}"
                         + (f"; silences {','.join(loud)}" if loud else ""))
    return lines


def main(argv: list[str]) -> int:
    def arg(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    data_dir = Path(os.environ.get("REDLINE_DATASETS", "/work/shared/datasets"))
    choose = arg("--choose", ",".join(CHOOSE)).split(",")
    report = arg("--report", ",".join(REPORT)).split(",")
    study = build(data_dir, "--variants" in argv)
    # --detectors: also vetoes of one detector's hits (no pack can say that yet: measured only)
    # --upgrade: a category's cheap veto may give way to a stronger one (spends the budget)
    chosen, steps = search(study, choose, float(arg("--budget", "0.005")), "--detectors" in argv,
                           "--upgrade" in argv)
    settings = {"no veto": (), "shipped": study.shipped, "chosen": tuple(chosen)}
    result = {
        name: {"vetoes": [v.name for v in vs], "chosen_on": figures(study, vs, choose),
               "held_out": figures(study, vs, report), "silenced": silenced(study, vs)}
        for name, vs in settings.items()
    }
    if "--show" in argv:
        figures(study, chosen, report, show=arg("--show", "leads"))
    out = {"choose": choose, "report": report, "steps": steps, **result,
           **({"tried": tried(study, choose, report, "--detectors" in argv)} if "--tried" in argv else {})}
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if "--out" in argv:
        Path(arg("--out", "")).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
