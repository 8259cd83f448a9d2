"""A veto setting applied offline to the raw findings (veto_screen.Screened), as the engine would.

`Veto` is one `veto:` entry of clf.conduct in a pack (conduct.py's VetoConfig) plus two
knobs the study may try that a pack cannot say yet: the score read (`over="max"`: the
highest score over every category, instead of the rule's category) and which detectors'
hits it judges. `apply` gives, per row, the categories with a lead after the vetoes: a weak
hit (score < hits_under) of a covered rule is dropped where the score read is < below, and
clf.conduct's leads stay where no surviving hit caught their category (its lead is dropped
where a rule of the same category already caught the message). vulgar never vetoes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bench.veto_screen import Screened
from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES, Category

# the model's categories first (its score columns), then the rest a finding may file under
# (political, governance): their hits are leads too, but no veto reads a score for them
ALL: tuple[str, ...] = (*CATEGORIES, *(c.value for c in Category if c.value not in CATEGORIES))

B = npt.NDArray[np.bool_]
NEVER: tuple[str, ...] = ("vulgar",)  # COLD's figures must not move because of this model
SOURCES: tuple[str, ...] = ("rules", "clf.offensive", "clf.promotion", "clf.conduct")


@dataclass(frozen=True, slots=True)
class Veto:
    """Drop a weak hit in `category` where the model is confident the row is benign."""

    category: str
    below: float
    hits_under: float = 0.75
    over: str = "category"  # or "max": the highest score over every category
    rules: frozenset[str] | None = None  # None: every rule filing under the category ("*")
    detectors: frozenset[str] | None = None  # None: every detector but clf.conduct

    def __post_init__(self) -> None:
        if self.category in NEVER:
            raise ValueError(f"{self.category} never vetoes")
        if self.category not in CATEGORIES or self.over not in ("category", "max"):
            raise ValueError(f"bad veto {self}")

    @property
    def name(self) -> str:
        rules = "*" if self.rules is None else ",".join(sorted(self.rules))
        dets = "" if self.detectors is None else f" on {','.join(sorted(self.detectors))}"
        return f"{self.category}[{rules}] below {self.below} ({self.over}) hits<{self.hits_under}{dets}"


@dataclass(frozen=True, slots=True)
class Flat:
    """The raw findings as columns: one entry per hit, and a (rows, K) matrix of leads."""

    row: npt.NDArray[np.int64]
    cat: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    rule: npt.NDArray[np.str_]
    detector: npt.NDArray[np.str_]
    leads: B  # (rows, len(ALL)): clf.conduct's leads before reconciliation
    lead_rules: list[dict[str, int]]  # per row, the CM rule ids leading → their category
    scores: npt.NDArray[np.float64]  # (rows, K): what a veto reads
    top: npt.NDArray[np.float64]  # (rows,): the highest score over every category

    @classmethod
    def of(cls, screened: Screened) -> Flat:
        items = [(i, h) for i, hs in enumerate(screened.hits) for h in hs]
        leads = np.zeros((len(screened.hits), len(ALL)), dtype=bool)
        for i, ls in enumerate(screened.leads):
            for _, c in ls:
                leads[i, CATEGORIES.index(c)] = True
        return cls(
            np.array([i for i, _ in items], dtype=np.int64),
            np.array([ALL.index(h.category) for _, h in items], dtype=np.int64),
            np.array([h.score for _, h in items], dtype=np.float64),
            np.array([h.rule_id for _, h in items], dtype=np.str_),
            np.array([h.detector for _, h in items], dtype=np.str_),
            leads, [{r: CATEGORIES.index(c) for r, c in ls} for ls in screened.leads],
            screened.scores, screened.scores.max(axis=1) if screened.scores.size else np.zeros(0))

    def __len__(self) -> int:
        return len(self.leads)


@dataclass(frozen=True, slots=True)
class Outcome:
    """After the vetoes: which hits survive, the categories with a lead per row and by whom."""

    kept: B  # per hit
    caught: B  # (rows, len(ALL)): a surviving hit of the category
    led: B  # (rows, len(ALL)): caught, or a clf.conduct lead of the category

    def any_lead(self) -> B:
        return np.asarray(self.led.any(axis=1), dtype=bool)


def vetoed(flat: Flat, vetoes: Sequence[Veto]) -> B:
    """Per hit: dropped by one of the vetoes (the first covering veto decides, as conduct.py)."""
    dropped = np.zeros(len(flat.row), dtype=bool)
    decided = np.zeros(len(flat.row), dtype=bool)
    for v in vetoes:
        k = CATEGORIES.index(v.category)
        covers = (flat.cat == k) & ~decided & (flat.detector != "clf.conduct")
        if v.rules is not None:
            covers &= np.isin(flat.rule, sorted(v.rules))
        if v.detectors is not None:
            covers &= np.isin(flat.detector, sorted(v.detectors))
        read = flat.top[flat.row] if v.over == "max" else flat.scores[flat.row, k]
        dropped |= covers & (flat.score < v.hits_under) & (read < v.below)
        decided |= covers
    return dropped


def apply(flat: Flat, vetoes: Sequence[Veto]) -> Outcome:
    kept = ~vetoed(flat, vetoes)
    caught = np.zeros_like(flat.leads)
    caught[flat.row[kept], flat.cat[kept]] = True
    return Outcome(kept, caught, caught | flat.leads)


def sources(flat: Flat, out: Outcome, rows: B) -> dict[str, int]:
    """Among `rows`, how many have a lead from each source (a row may count under several)."""
    counts = dict.fromkeys(SOURCES, 0)
    for s in SOURCES[:3]:
        mask = out.kept & (flat.detector == s if s != "rules" else ~np.char.startswith(flat.detector, "clf."))
        hit_rows = np.zeros(len(flat), dtype=bool)
        hit_rows[flat.row[mask]] = True
        counts[s] = int((hit_rows & rows).sum())
    own = (flat.leads & ~out.caught).any(axis=1)
    counts["clf.conduct"] = int((own & rows).sum())
    return counts


def example_passes(flat: Flat, out: Outcome, row: int, rule_id: str) -> bool:
    """`redline packs test` on one match example: a finding of the rule survives."""
    if bool((out.kept & (flat.row == row) & (flat.rule == rule_id)).any()):
        return True
    k = flat.lead_rules[row].get(rule_id)
    # a CM rule's lead survives where no surviving hit caught its category
    return k is not None and not bool(out.caught[row, k])
