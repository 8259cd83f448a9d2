"""Which `alongside:` settings let clf.conduct name a message's second breach, measured on
authors who wrote messages that break several rules at once (data/conduct/multilabel/, never
trained on).

    PYTHONPATH=src:. python -m bench.alongside_study [--choose m2] [--report m1]
        [--categories conduct,…] [--out bench/results/alongside_study.json]

The full `screen --packs all` runs twice (the whole message read; clauses read too) with every
conduct-model rule at the smallest share; each alongside lead keeps its score, so any larger
share is applied offline (a lead at share F is one whose score reaches F × its rule's lead
threshold: the set only shrinks as F grows). An alongside lead stands only beside a lead in
another category, so the messages with a lead, and the negatives with one, never change: what
it can cost is wrong categories on messages already led.

Choice, per category, on the `--choose` authors: among (reading, share) whose alongside leads
are right at least PRECISION of the time, and at least MIN_RIGHT times, the one naming the most
secondary breaches (ties: the larger share); none qualifying, no alongside. `--categories` limits
the choice to some categories (the shipped packs: conduct only; see the pack's header). Then both the
choose and the `--report` authors (who took no part) get, with and without the chosen settings:

- recall, all labels: every label of a line is a breach to name (macro over the categories);
- recall, primary label: each line's first label only (a lead on any of its labels is right);
- precision (macro): a lead in a category the line does not carry is wrong;
- secondary labels named; wrong categories per single-label line.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers import conduct_alongside, conduct_files
from redline.detectors.classifiers.conduct import ConductDetector
from redline.detectors.classifiers.conduct_alongside import SECOND_NOTE
from redline.rules.compile import compile_plan
from redline.rules.load import load_packs, shipped_pack_paths
from redline.scan.engine import scan_stream
from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

ROOT = Path("data/conduct/multilabel")
SMALLEST: float = 0.001
SHARES = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
PRECISION = 0.75
MIN_RIGHT = 3
_SHIPPED = re.compile(r", alongside: \{[^}]*\}")  # the pack's own settings, replaced by the study's
_LEAD = re.compile(r"(clf\.conduct: \{category: [a-z_]+)(?![^}]*leads: false)")


def read_author(name: str) -> tuple[list[str], list[list[str]]]:
    """`unit|register|text[|+cat,+cat]` lines of one author; the file names the primary label."""
    texts: list[str] = []
    labels: list[list[str]] = []
    for path in sorted((ROOT / name).glob("*.txt")):
        primary = path.stem
        if primary not in CATEGORIES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("|")
            if len(fields) not in (3, 4):
                raise ValueError(f"{path}:{n}: 3 or 4 fields expected, got {len(fields)}")
            extra = [c.strip().lstrip("+") for c in fields[3].split(",")] if len(fields) == 4 else []
            extra = [c for c in extra if c in CATEGORIES and c != primary]
            texts.append(fields[2].strip())
            labels.append([primary, *dict.fromkeys(extra)])
    return texts, labels


@dataclass(frozen=True, slots=True)
class Screened:
    """One author's lines, their gold labels and the screen's leads (ordinary and alongside)."""

    gold: npt.NDArray[np.bool_]  # (n, K) every label
    primary: npt.NDArray[np.bool_]  # (n, K) first label
    base: npt.NDArray[np.bool_]  # (n, K) leads without alongside
    ratio: npt.NDArray[np.float64]  # (n, K) alongside lead's score / its rule's lead threshold; 0: none


def screen(texts: Sequence[str], labels: Sequence[Sequence[str]], clauses: bool) -> Screened:
    """The full screen at the smallest share, findings split into ordinary and alongside."""
    conduct_alongside.READ_EVERY_CLAUSE = clauses  # each lead's highest score, whole or clause
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for path in shipped_pack_paths():
            if path.stem == "conduct-model":
                copy = Path(tmp) / path.name
                copy.write_text(_LEAD.sub(rf"\1, alongside: {{share: {SMALLEST}, clauses: {str(clauses).lower()}}}",
                                          _SHIPPED.sub("", path.read_text(encoding="utf-8"))),
                                encoding="utf-8")
                path = copy
            paths.append(path)
        loaded = load_packs(paths)
        assert not loaded.errors, loaded.errors
        plan = compile_plan(loaded.packs)
    # each rule's lead threshold (its own, as CM-11's, or the version's): what its share multiplies
    conduct = next(d for d in plan.detectors if isinstance(d, ConductDetector))
    lead_threshold = {s.label: s.threshold / SMALLEST for s in conduct.seconds}
    n, k = len(texts), len(CATEGORIES)
    base = np.zeros((n, k), dtype=bool)
    ratio = np.zeros((n, k))
    for finding in scan_stream(plan, texts):
        if finding.category not in CATEGORIES:
            continue
        row, col = int(finding.subject_id), CATEGORIES.index(finding.category)
        if SECOND_NOTE in str(finding.facts.get("why", "")):
            ratio[row, col] = max(ratio[row, col], float(finding.score) / lead_threshold[finding.facts["label"]])
        else:
            base[row, col] = True
    gold = np.array([[c in ls for c in CATEGORIES] for ls in labels], dtype=bool).reshape(n, k)
    primary = np.array([[c == ls[0] for c in CATEGORIES] for ls in labels], dtype=bool).reshape(n, k)
    return Screened(gold, primary, base, ratio)


Setting = tuple[str, float]  # (reading: "whole" | "clauses", share)


def led_with(whole: Screened, by_clause: Screened, chosen: dict[str, Setting]) -> npt.NDArray[np.bool_]:
    """Leads with the chosen alongside setting per category (the base leads are the same in both runs)."""
    led = whole.base.copy()
    for cat, (reading, share) in chosen.items():
        k = CATEGORIES.index(cat)
        ratio = (whole if reading == "whole" else by_clause).ratio[:, k]
        led[:, k] |= (ratio > 0) & (ratio >= share)
    return led


def tally(s: Screened, k: int, share: float) -> tuple[int, int]:
    """Alongside leads of category k at `share`: (right, wrong)."""
    added = (s.ratio[:, k] > 0) & (s.ratio[:, k] >= share) & ~s.base[:, k]
    return int((added & s.gold[:, k]).sum()), int((added & ~s.gold[:, k]).sum())


def choose(whole: Screened, by_clause: Screened,
           categories: Sequence[str] = CATEGORIES) -> tuple[dict[str, Setting], dict[str, Any]]:
    """Per category of `categories`, the setting the module's note describes."""
    chosen: dict[str, Setting] = {}
    table: dict[str, Any] = {}
    for k, cat in enumerate(CATEGORIES):
        if cat not in categories:
            continue
        best: tuple[int, float, Setting] | None = None
        for reading, s in (("whole", whole), ("clauses", by_clause)):
            for share in SHARES:
                right, wrong = tally(s, k, share)
                table[f"{cat} {reading} {share}"] = [right, wrong]
                if right >= MIN_RIGHT and right >= PRECISION * (right + wrong):
                    key = (right, share, (reading, share))
                    if best is None or key[:2] > best[:2]:
                        best = key
        if best is not None:
            chosen[cat] = best[2]
    return chosen, table


def figures(s: Screened, led: npt.NDArray[np.bool_]) -> dict[str, Any]:
    """Recall (all labels, primary), macro precision, secondary labels named, wrong categories."""

    def macro_recall(find: npt.NDArray[np.bool_]) -> float:
        per = [(led[:, k] & find[:, k]).sum() / find[:, k].sum() for k in range(len(CATEGORIES)) if find[:, k].any()]
        return round(float(np.mean(per)), 4)

    precision = [float((led[:, k] & s.gold[:, k]).sum() / led[:, k].sum())
                 for k in range(len(CATEGORIES)) if s.gold[:, k].any() and led[:, k].any()]
    single = s.gold.sum(axis=1) == 1
    secondary = s.gold & ~s.primary
    return {
        "recall_all_labels": macro_recall(s.gold),
        "recall_primary": macro_recall(s.primary),
        "recall_all_labels_per_category": {
            cat: round(float((led[:, k] & s.gold[:, k]).sum() / s.gold[:, k].sum()), 3)
            for k, cat in enumerate(CATEGORIES) if s.gold[:, k].any()},
        "macro_precision": round(float(np.mean(precision)), 4),
        "secondary_labels_named": f"{int((led & secondary).sum())} of {int(secondary.sum())}",
        "wrong_categories_per_single_label_line": round(float((led & ~s.gold)[single].sum() / max(single.sum(), 1)), 4),
    }


def _lines(authors: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    texts: list[str] = []
    labels: list[list[str]] = []
    for a in authors:
        t, ls = read_author(a)
        texts += t
        labels += ls
    return texts, labels


def main(argv: list[str]) -> int:
    def arg(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    groups = {"choose": arg("--choose", "m2").split(","), "report": arg("--report", "m1").split(",")}
    out = Path(arg("--out", "bench/results/alongside_study.json"))
    screened = {}
    for name, authors in groups.items():
        texts, labels = _lines(authors)
        screened[name] = (screen(texts, labels, clauses=False), screen(texts, labels, clauses=True))
    categories = arg("--categories", ",".join(CATEGORIES)).split(",")
    chosen, table = choose(*screened["choose"], categories)
    result: dict[str, Any] = {"model_version": conduct_files.active().version, "authors": groups,
                              "categories": categories,
                              "precision_bound": PRECISION, "min_right": MIN_RIGHT,
                              "chosen": {cat: {"reading": r, "share": f} for cat, (r, f) in chosen.items()}}
    for name, (whole, by_clause) in screened.items():
        result[name] = {"lines": len(whole.gold), "multi_label_lines": int((whole.gold.sum(axis=1) > 1).sum()),
                        "no alongside": figures(whole, whole.base),
                        "chosen": figures(whole, led_with(whole, by_clause, chosen)),
                        "added, right / wrong": {cat: list(map(int, (
                            (led_with(whole, by_clause, {cat: st}) & ~whole.base & whole.gold).sum(),
                            (led_with(whole, by_clause, {cat: st}) & ~whole.base & ~whole.gold).sum())))
                            for cat, st in chosen.items()}}
    result["choice_table (right, wrong)"] = table
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "choice_table (right, wrong)"}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
