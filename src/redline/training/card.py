"""Model cards: MODEL.md (data, licence, features, figures, threshold, failures, checksum) and a PR-curve PNG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt
from matplotlib import font_manager

from redline.training.evaluation import F64

_CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei


@dataclass(frozen=True, slots=True)
class Curve:
    """One precision-recall curve, with its operating point marked."""

    name: str
    precision: F64
    recall: F64
    point: tuple[float, float] | None = None  # (recall, precision) at the threshold
    steps: bool = True  # a step function over every score; False: a line through grid points


@dataclass(frozen=True, slots=True)
class Card:
    """Everything a model card says; rendered by `write_card`."""

    title: str
    detector: str
    version: str
    sha256: str
    data: str  # markdown: sources, licences, attribution, counts
    features: str  # markdown
    splits: str  # markdown: how validation rows were kept apart
    figures: Mapping[str, Mapping[str, Any]]  # split name → Figures.as_dict()
    threshold: float
    threshold_why: str
    failures: Sequence[tuple[str, float, str]] = ()  # (text, score, what went wrong)
    notes: str = ""
    training: Mapping[str, Any] = field(default_factory=dict)


def plot_pr(curves: Sequence[Curve], path: Path, title: str) -> None:
    """Save the PR curves as a PNG (CJK-capable font when present)."""
    if _CJK_FONT.is_file():
        font_manager.fontManager.addfont(str(_CJK_FONT))
        plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(_CJK_FONT)).get_name()
    fig, ax = plt.subplots(figsize=(5.5, 4.5), dpi=100)
    for curve in curves:
        if curve.steps:
            ax.step(curve.recall, curve.precision, where="post", label=curve.name)
        else:
            ax.plot(curve.recall, curve.precision, ".-", label=curve.name)
        if curve.point is not None:
            ax.plot([curve.point[0]], [curve.point[1]], "o", color="black")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.0)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    # fixed metadata so that retraining does not change the PNG's bytes
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _figures_table(figures: Mapping[str, Mapping[str, Any]]) -> str:
    cols = list(dict.fromkeys(key for row in figures.values() for key in row))
    lines = ["| split | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, row in figures.items():
        lines.append(f"| {name} | " + " | ".join(str(row.get(c, "")) for c in cols) + " |")
    return "\n".join(lines)


def write_card(card: Card, folder: Path) -> Path:
    """Write MODEL.md into `folder` (the PNG is written separately by `plot_pr`)."""
    failures = "\n".join(
        f"- `{text[:80]}` (score {score:.3f}): {what}" for text, score, what in card.failures
    )
    training = "\n".join(f"- {k}: `{v}`" for k, v in card.training.items())
    body = f"""# Model card: {card.title}

- Detector: `{card.detector}` (registry key)
- Version: {card.version}
- Model file: `model.npz` (numpy arrays, loaded with `allow_pickle=False`) + `model.json`
- sha256: {card.sha256}
- Operating threshold: {card.threshold:.4f}

## Data, licence and attribution
{card.data}

## Features and model
Input is the scan engine's normalised text (`redline.text.normalize_batch`: NFKC, full→half
width, lower case, 繁→简, separators between 汉字 dropped), in training as in use; examples
below are shown in that form.

{card.features}

## Validation
{card.splits}

Figures at the operating threshold (where present, `accuracy_at_half` uses 0.5):

{_figures_table(card.figures)}

![precision-recall curve](pr_curve.png)

## Threshold, and why
{card.threshold_why}

## Known failure modes
{card.notes}

Examples from the validation split:

{failures or "- (none listed)"}

## Training
Reproduce with `redline train {card.detector}` (fixed seeds; byte-identical output).

{training}
"""
    path = folder / "MODEL.md"
    path.write_text(body, encoding="utf-8")
    return path
