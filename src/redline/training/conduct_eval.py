"""`redline train conduct --evaluate PATH.jsonl`: per-category figures on a labelled file.

Reads `{"text", "labels": [...]}` lines (`labels: []` = breaks no rule) and prints, for the
classifier alone (the active clf.conduct version at its calibrated thresholds, gate on) and
for the full `screen --packs all` (rules + every classifier, as a user runs it): per-category
precision and recall, macro recall over the categories present, and the share of negatives
with a lead. A message "has a lead in category c" when some finding of category c is raised
on it. The file is read once and never written anywhere.

Both figures are given two ways when a line carries more than one label. **All labels**: every
label is a violation to find. **Primary label**: recall counts only each line's first label (the
category it was written for), while a lead in any of its labels is still a correct one; test sets
whose authors add secondary labels only where one is salient (conduct beside a gift, say) ask to
be read so, since a missed secondary label is not a missed violation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.table import Table

from redline.training.conduct_data import CATEGORIES, label_vector, read_labelled
from redline.training.evaluation import prf


@dataclass(frozen=True, slots=True)
class SystemFigures:
    """One system's figures on the file."""

    name: str
    per_category: dict[str, dict[str, float]]
    macro_recall: float
    macro_precision: float
    negatives_with_lead: float
    negatives: int

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def system_figures(name: str, gold: npt.NDArray[np.bool_], predicted: npt.NDArray[np.bool_],
                   any_lead: npt.NDArray[np.bool_],
                   to_find: npt.NDArray[np.bool_] | None = None) -> SystemFigures:
    """Figures from gold and predicted (n, K) matrices; `any_lead` counts leads of any category
    (political, governance too) on the negatives. `to_find` (default `gold`) is what recall
    counts; precision always judges a lead against every label of its line."""
    find = gold if to_find is None else to_find
    per: dict[str, dict[str, float]] = {}
    for k, name_k in enumerate(CATEGORIES):
        if not find[:, k].any():
            continue
        p, _, _ = prf(gold[:, k], predicted[:, k])
        _, r, _ = prf(find[:, k], predicted[:, k])
        per[name_k] = {"n": int(find[:, k].sum()), "flagged": int(predicted[:, k].sum()),
                       "precision": round(p, 4), "recall": round(r, 4)}
    negative = ~gold.any(axis=1)
    return SystemFigures(
        name=name, per_category=per,
        macro_recall=round(float(np.mean([v["recall"] for v in per.values()])) if per else 0.0, 4),
        macro_precision=round(float(np.mean([v["precision"] for v in per.values()])) if per else 0.0, 4),
        negatives_with_lead=round(float(any_lead[negative].mean()) if negative.any() else 0.0, 4),
        negatives=int(negative.sum()),
    )


def classifier_predictions(texts: Sequence[str], models_root: Path | None = None) -> npt.NDArray[np.bool_]:
    """(n, K) leads of the active clf.conduct version alone, at its calibrated thresholds."""
    from redline.detectors.classifiers import conduct_files
    from redline.training.datasets import normalized

    loaded = conduct_files.active(models_root)
    scores = loaded.model.scores(normalized(list(texts)))
    thresholds = np.array([loaded.thresholds[c] for c in loaded.model.categories])
    flagged = scores >= thresholds
    out = np.zeros((len(texts), len(CATEGORIES)), dtype=bool)
    for k, name in enumerate(loaded.model.categories):
        out[:, CATEGORIES.index(name)] = flagged[:, k]
    return out


def screen_predictions(texts: Sequence[str]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(n, K) leads and (n,) any-lead of `screen --packs all` (every shipped pack, no context)."""
    from redline.rules.compile import compile_plan
    from redline.rules.load import load_packs, shipped_pack_paths
    from redline.scan.engine import scan_stream

    loaded = load_packs(shipped_pack_paths())
    plan = compile_plan(loaded.packs)
    out = np.zeros((len(texts), len(CATEGORIES)), dtype=bool)
    any_lead = np.zeros(len(texts), dtype=bool)
    for finding in scan_stream(plan, texts):
        row = int(finding.subject_id)
        any_lead[row] = True
        if finding.category in CATEGORIES:
            out[row, CATEGORIES.index(finding.category)] = True
    return out, any_lead


def evaluate_file(path: Path, models_root: Path | None = None) -> dict[str, Any]:
    """Both systems' figures on one labelled JSONL file; with `_primary` twins when some line
    has more than one label (see the module's note)."""
    texts, labels = read_labelled(path)
    gold = np.array([label_vector(ls) for ls in labels], dtype=bool).reshape(len(texts), len(CATEGORIES))
    primary = np.array([label_vector(ls[:1]) for ls in labels], dtype=bool).reshape(gold.shape)
    clf = classifier_predictions(texts, models_root)
    clf_any = np.asarray(clf.any(axis=1), dtype=bool)
    screen, screen_any = screen_predictions(texts)
    from redline.detectors.classifiers import conduct_files

    report: dict[str, Any] = {
        "file": str(path), "messages": len(texts), "model_version": conduct_files.active(models_root).version,
        "classifier": system_figures("clf.conduct alone", gold, clf, clf_any).as_dict(),
        "screen": system_figures("screen --packs all (rules + classifiers)", gold, screen, screen_any).as_dict(),
    }
    if (gold != primary).any():
        report["classifier_primary"] = system_figures(
            "clf.conduct alone, primary labels", gold, clf, clf_any, primary).as_dict()
        report["screen_primary"] = system_figures(
            "screen --packs all, primary labels", gold, screen, screen_any, primary).as_dict()
    return report


def print_report(report: Mapping[str, Any], console: Console) -> None:
    """Tables for a person, then the same figures as JSON for a machine."""
    console.print(f"{report['file']}: {report['messages']} messages; clf.conduct v{report['model_version']}")
    for key in ("classifier", "screen", "classifier_primary", "screen_primary"):
        if key not in report:
            continue
        figs = report[key]
        table = Table("category", "violations", "flagged", "precision", "recall", title=figs["name"])
        for name, f in figs["per_category"].items():
            table.add_row(name, str(f["n"]), str(f["flagged"]), f"{f['precision']:.3f}", f"{f['recall']:.3f}")
        console.print(table)
        console.print(f"macro recall {figs['macro_recall']:.3f}, macro precision {figs['macro_precision']:.3f}, "
                      f"negatives with a lead {figs['negatives_with_lead']:.2%} of {figs['negatives']}")
    console.print_json(data=dict(report))
