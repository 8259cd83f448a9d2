"""Measure the first stage of clf.offensive and clf.promotion (detectors/classifiers/ngram_gate.py)
and write it beside the model as gate.json.

`python -m redline.training.ngram_gate offensive|promotion` (reads $REDLINE_DATASETS).

The gap at each threshold of a grid is chosen on the model's own TRAINING rows: among the rows
the full model flags at that threshold, the partial logit's QUANTILE-quantile distance below
it. What it costs is measured on rows the model was not fitted on (COLD dev and test for
clf.offensive; the qq_group_ads validation share and our corpus's dev split for clf.promotion):
how many of the rows the full model flags the gate stops, and how many true violations among
them. No model is refitted: the weights and the model file stay as they are.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import LinearTextModel, ModelFiles, shipped_model
from redline.detectors.classifiers.cues import CueWeights, cue_weights
from redline.detectors.classifiers.ngram_gate import (
    GATE_FILE,
    SPLIT_N,
    GateCurve,
    logit,
    partial_logits,
)
from redline.text.normalize import normalize_batch
from redline.training.datasets import resolve_data_dir

# the share of the flagged training rows a gap may leave below it: clf.promotion's training
# rows hold short ads the model knows by their 3–4-grams alone (你大爷的 is an "ad" in
# qq_group_ads), which any share above 0 gives up; clf.offensive's 25k rows allow 0.2 %
QUANTILE: Final = {"offensive": 0.002, "promotion": 0.0}
MIN_FLAGGED: Final = 50  # a grid threshold with fewer flagged training rows takes the largest gap
GRID: Final = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
BATCH: Final = 4096

F64 = npt.NDArray[np.float64]


def _logits(model: LinearTextModel, cues: CueWeights | None, texts: Sequence[str]) -> tuple[F64, F64]:
    """(gate value, full logit) of every text: the partial logit plus the cues' best case, and
    the logit the detector thresholds (cues added where they could matter)."""
    gate: list[F64] = []
    full: list[F64] = []
    lift = cues.best_case if cues is not None else 0.0
    for i in range(0, len(texts), BATCH):
        batch = normalize_batch(texts[i : i + BATCH]).texts
        partial = partial_logits(model, batch).logits
        logits = model.logits(batch)
        if cues is not None:
            p = np.clip(cues.scores(batch, logits, floor=min(GRID)), 1e-15, 1 - 1e-15)
            logits = np.log(p / (1 - p))
        gate.append(partial + lift)
        full.append(logits)
    return np.concatenate(gate), np.concatenate(full)


def fit_curve(gate: F64, full: F64, card_threshold: float, quantile: float) -> list[dict[str, float]]:
    """The gap at each grid threshold (and the card's), from training rows."""
    grid = sorted({*GRID, round(card_threshold, 6)})
    gaps: list[float | None] = []
    for t in grid:
        flagged = full >= logit(t)
        if int(flagged.sum()) < MIN_FLAGGED:
            gaps.append(None)
            continue
        gaps.append(logit(t) - float(np.quantile(gate[flagged], quantile)))
    known = [g for g in gaps if g is not None]
    widest = max(known)
    return [{"threshold": t, "gap": round((g if g is not None else widest) + 1e-6, 6)}
            for t, g in zip(grid, gaps, strict=True)]


def cost(gate: F64, full: F64, labels: npt.NDArray[np.bool_], curve: list[dict[str, float]],
         thresholds: Sequence[float]) -> list[dict[str, Any]]:
    """At each threshold: rows the full model flags, how many of them the gate stops (and of
    the true violations among them), and the share of rows the gate lets through."""
    curve_obj = GateCurve(tuple(c["threshold"] for c in curve), tuple(c["gap"] for c in curve), "")
    out = []
    for t in thresholds:
        passes = gate >= logit(t) - curve_obj.gap_at(t)
        flagged = full >= logit(t)
        true = flagged & labels
        out.append({
            "threshold": t, "flagged": int(flagged.sum()), "stopped": int((flagged & ~passes).sum()),
            "true_flagged": int(true.sum()), "true_stopped": int((true & ~passes).sum()),
            "recall_cost": round(float((true & ~passes).sum() / max(int(true.sum()), 1)), 4),
            "pass_share": round(float(passes.mean()), 4),
        })
    return out


def _splits(name: str, data: Path) -> tuple[tuple[list[str], npt.NDArray[np.bool_]], dict[str, Any]]:
    if name == "offensive":
        from redline.training.offensive import load_splits

        sp = load_splits(data)
        return (sp["train"].texts, sp["train"].labels), {k: (sp[k].texts, sp[k].labels) for k in ("dev", "test")}
    from redline.training.promotion_data import load_splits as promotion_splits

    pp = promotion_splits(data)
    held = {k: (pp[k].texts, pp[k].labels) for k in ("validation", "corpus_dev", "cold_validation")}
    return (pp["train"].texts, pp["train"].labels), held


def measure(name: str, data: Path) -> dict[str, Any]:
    """gate.json's content for a shipped model."""
    files: ModelFiles = shipped_model(name)
    model = LinearTextModel.from_files(files)
    cues = cue_weights(files) if name == "promotion" else None
    (train_texts, train_labels), held = _splits(name, data)
    gate, full = _logits(model, cues, train_texts)
    curve = fit_curve(gate, full, files.threshold, QUANTILE[name])
    checked = sorted({round(files.threshold, 6), 0.5, 0.6, 0.7, 0.8, 0.9})
    held_cost = {}
    for split, (texts, labels) in held.items():
        g, f = _logits(model, cues, texts)
        held_cost[split] = cost(g, f, labels, curve, checked)
    return {
        "model": name, "model_sha256": files.meta["sha256"], "model_version": files.version,
        "split_n": SPLIT_N, "quantile": QUANTILE[name],
        "chosen_on": f"{name} training rows ({len(train_texts)}), flagged by the full model at each threshold",
        "curve": curve,
        "held_out_cost": held_cost,
        "train_cost": cost(gate, full, train_labels, curve, checked),
    }


def main(argv: list[str]) -> int:
    names = argv or ["offensive", "promotion"]
    data = resolve_data_dir()
    for name in names:
        spec = measure(name, data)
        path = shipped_model(name).path / GATE_FILE
        path.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        sys.stdout.write(json.dumps({k: spec[k] for k in ("model", "curve", "held_out_cost")}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
