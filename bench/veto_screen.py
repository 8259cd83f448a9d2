"""What the full screen raises on each row before any veto: the rules' hits and clf.conduct's leads.

`collect` runs the real engine's detectors (`redline screen --packs all`'s plan) over texts
and keeps, per row, every finding of every detector but clf.conduct (rule id, detector,
category, the hit's score: the strength `hits_under` compares), with *no* veto and *no*
reconciliation applied — the raw material a veto setting is then simulated on, offline.
clf.conduct's own leads come from the same detector code (its gate, courtesy formulas,
`unless` phrases, official prose, notices, scopes) but with the scores given: out-of-fold
scores for written rows, at the thresholds of the row's author fold. The scores enter through
`_GivenScores`, a stand-in for the model that answers `full_scores` from a table; the gate and
the evidence spans (which the notices check reads) stay the shipped model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from redline.contracts import SCAN_BATCH
from redline.detectors.classifiers.conduct import DETECTOR, ConductDetector
from redline.detectors.classifiers.grams import Rows as BatchRows
from redline.detectors.classifiers.multilabel import MultiLabelModel
from redline.rules.plan import ScanPlan
from redline.scan.engine import detect_columns
from redline.scan.findings import findings_from_columns
from redline.text.normalize import normalize_batch

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RawHit:
    """One finding before vetoes: which rule, raised by what, in which category, how strong."""

    rule_id: str
    detector: str
    category: str
    score: float


@dataclass(frozen=True, slots=True)
class Screened:
    """Per row: the other detectors' findings, clf.conduct's leads (rule id, category) at the
    given scores and thresholds, and the scores a veto reads."""

    hits: list[tuple[RawHit, ...]]
    leads: list[tuple[tuple[str, str], ...]]
    scores: F64


class _GivenScores:
    """The shipped model, except that `full_scores` of a batch's rows answers from a table
    aligned with the batch (out-of-fold scores); everything else is the shipped model's."""

    def __init__(self, base: MultiLabelModel, table: F64) -> None:
        self.base = base
        self.table = table

    def full_scores(self, texts: Sequence[str]) -> F64:
        if not isinstance(texts, BatchRows):  # only the detector's scan path is served
            raise TypeError("given scores answer a batch's rows only")
        return self.table[np.asarray(texts.rows, dtype=np.int64)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)


def conduct_of(plan: ScanPlan) -> ConductDetector:
    """The plan's clf.conduct detector."""
    found = [d for d in plan.detectors if isinstance(d, ConductDetector)]
    if len(found) != 1:
        raise ValueError("the plan has no clf.conduct detector")
    return found[0]


def _at(conduct: ConductDetector, table: F64, thresholds: F64) -> ConductDetector:
    """clf.conduct reading `table`, its leads at `thresholds` (a lead the pack gives its own
    threshold, CM-11's 0.2, keeps it), with no vetoes (they are what is simulated)."""
    card = conduct.loaded.thresholds
    categories = conduct.loaded.model.categories
    leads = tuple(
        lead if abs(lead.threshold - float(card[categories[lead.column]])) > 1e-9
        else replace(lead, threshold=float(thresholds[lead.column]))
        for lead in conduct.leads)
    model: Any = _GivenScores(conduct.loaded.model, table)
    return replace(conduct, loaded=replace(conduct.loaded, model=model), leads=leads, vetoes=())


def collect(plan: ScanPlan, texts: Sequence[str], scores: F64, thresholds: F64) -> Screened:
    """Raw findings per row of `texts` (raw, as a user screens them), in batches as the engine."""
    conduct = conduct_of(plan)
    hits: list[tuple[RawHit, ...]] = []
    leads: list[tuple[tuple[str, str], ...]] = []
    for lo in range(0, len(texts), SCAN_BATCH):
        chunk = list(texts[lo:lo + SCAN_BATCH])
        batch = normalize_batch(chunk)
        mine = _at(conduct, scores[lo:lo + len(chunk)], thresholds)
        detectors = tuple(mine if d is conduct else d for d in plan.detectors)
        found = findings_from_columns(plan, batch, detect_columns(detectors, batch))
        row_hits: list[list[RawHit]] = [[] for _ in chunk]
        row_leads: list[list[tuple[str, str]]] = [[] for _ in chunk]
        for f in found:
            row = int(f.subject_id)
            if f.detector == DETECTOR:
                row_leads[row].append((f.rule_id, f.category))
            else:
                row_hits[row].append(RawHit(f.rule_id, f.detector, f.category, float(f.score)))
        hits += [tuple(h) for h in row_hits]
        leads += [tuple(sorted(set(x))) for x in row_leads]
    return Screened(hits, leads, scores)


def shipped_scores(plan: ScanPlan, texts: Sequence[str]) -> tuple[F64, F64]:
    """The shipped model's full scores of `texts` and its card's thresholds (pack examples)."""
    loaded = conduct_of(plan).loaded
    normalised = normalize_batch(list(texts)).texts
    thresholds = np.array([float(loaded.thresholds[c]) for c in loaded.model.categories])
    return loaded.model.full_scores(list(normalised)), thresholds
