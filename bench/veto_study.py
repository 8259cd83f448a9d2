"""Which clf.conduct vetoes of weak rule hits pay, measured on authors the model never saw.

    REDLINE_DATASETS=/work/shared/datasets PYTHONPATH=src:. python -m bench.veto_study \
        [--choose a0,w1,w2,w3,pilot] [--report w4,w5] [--variants] [--budget 0.005] [--show KIND]

1. every written row is scored out of fold (veto_oof: the model fitted without its author;
   cached, minutes the first time); 2. the full screen's raw findings per row, no veto applied
   (veto_screen: the real detectors of `--packs all`; clf.conduct's leads at the OOF scores and
   the author fold's thresholds); 3. offline, any veto setting (veto_sim) gives the lead decision
   per row. Settings are searched greedily on the `--choose` authors (each step adds the per-
   category or per-rule veto that cuts the most negatives with a lead, while macro recall — the
   mean over those authors — loses at most `--budget` against no veto and no pack `match`
   example, scored by the shipped model, is silenced), then reported on the `--report` authors,
   which took no part in the choice. Hand lines only unless `--variants`. Prints one JSON.
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
BELOW = (0.005, 0.01, 0.02, 0.05, 0.1)
HITS_UNDER = (0.75, 1.0)
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
    shipped = tuple(Veto(v.category, v.below, v.hits_under,
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


def candidates(study: Study) -> list[Veto]:
    """Every per-category veto of the grid, and per-rule vetoes of the rules that lead on the
    chosen authors' negatives (a narrower veto where a category's silences an example)."""
    out = [Veto(c, b, h, o) for c in CATEGORIES if c not in NEVER for b in BELOW for h in HITS_UNDER for o in OVER]
    rules = {(str(study.flat.rule[j]), ALL[int(study.flat.cat[j])]) for j in range(len(study.flat.row))
             if ALL[int(study.flat.cat[j])] in CATEGORIES and ALL[int(study.flat.cat[j])] not in NEVER}
    out += [Veto(c, b, h, o, rules=frozenset({r})) for r, c in sorted(rules)
            for b in BELOW for h in HITS_UNDER for o in OVER]
    return out


def search(study: Study, authors: Sequence[str], budget: float) -> tuple[list[Veto], list[dict[str, Any]]]:
    """Greedy: add the veto that cuts most negatives with a lead on `authors` while the macro
    recall loss against no veto stays within `budget` and no `match` example is silenced; a
    category (or rule) takes one veto."""
    group = Group.of(study, authors)
    _, base_macro = group.score(apply(study.flat, ()))
    chosen: list[Veto] = []
    steps: list[dict[str, Any]] = []
    pool = [v for v in candidates(study) if not silenced(study, [v])]
    while True:
        now, _ = group.score(apply(study.flat, chosen))
        best: tuple[int, float, Veto] | None = None
        for v in pool:
            if any(c.category == v.category and (c.rules is None or v.rules is None or c.rules & v.rules)
                   for c in chosen):
                continue
            led, macro = group.score(apply(study.flat, [*chosen, v]))
            cut = now - led
            if cut <= 0 or base_macro - macro > budget:
                continue
            key = (cut, macro, v)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None or silenced(study, [*chosen, best[2]]):
            return chosen, steps
        chosen.append(best[2])
        steps.append({"add": best[2].name, "negatives_cut": best[0], "macro_recall": best[1]})


def main(argv: list[str]) -> int:
    def arg(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    data_dir = Path(os.environ.get("REDLINE_DATASETS", "/work/shared/datasets"))
    choose = arg("--choose", ",".join(CHOOSE)).split(",")
    report = arg("--report", ",".join(REPORT)).split(",")
    study = build(data_dir, "--variants" in argv)
    chosen, steps = search(study, choose, float(arg("--budget", "0.005")))
    settings = {"no veto": (), "shipped": study.shipped, "chosen": tuple(chosen)}
    result = {
        name: {"vetoes": [v.name for v in vs], "chosen_on": figures(study, vs, choose),
               "held_out": figures(study, vs, report), "silenced": silenced(study, vs)}
        for name, vs in settings.items()
    }
    if "--show" in argv:
        figures(study, chosen, report, show=arg("--show", "leads"))
    print(json.dumps({"choose": choose, "report": report, "steps": steps, **result}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
