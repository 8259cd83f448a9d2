"""The near detector: a term of one lexicon within N characters of a term of another.

Context rules in YAML: `- near: {lexicon: gift-offers, near_lexicon: approvals, window: 10}`
raises a hit only when both occur close together; the span covers both terms. A first term
quoted by a notice (严禁…, a case report, a place's name such as 红包山水泥厂: `notices`) is no
hit, as for the other term detectors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.contracts import BuildContext, Hit, HitColumns, Trigger
from redline.detectors.lexicon import term_forms
from redline.detectors.matchers import LiteralMatcher
from redline.detectors.notices import quoted_mask
from redline.errors import PackError
from redline.text.joined import joined_view


class NearConfig(BaseModel):
    """Two lexicons and the largest gap, in characters, between a term of each."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lexicon: list[str] = Field(min_length=1)
    near_lexicon: list[str] = Field(min_length=1)
    window: int = Field(default=10, ge=0, le=500)
    score: float = Field(default=0.75, ge=0.0, le=1.0)

    @field_validator("lexicon", "near_lexicon", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class NearDetector:
    """Every near trigger of a plan over one literal database of both sides' terms."""

    name: ClassVar[str] = "near"
    Config: ClassVar[type[BaseModel]] = NearConfig

    def __init__(self, triggers: list[tuple[str, int, float]], literals: list[str],
                 sides: list[list[tuple[int, int]]]) -> None:
        self._triggers = triggers  # (label, window, score)
        self._literals = literals
        self._sides = sides  # per literal: (trigger index, side 0 = lexicon, 1 = near_lexicon)
        self._matcher = LiteralMatcher(literals)

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> NearDetector:
        """One literal database for every near trigger's two lexicons."""
        sides: dict[str, set[tuple[int, int]]] = defaultdict(set)
        specs: list[tuple[str, int, float]] = []
        for index, trigger in enumerate(triggers):
            config = trigger.config
            if not isinstance(config, NearConfig):
                raise PackError(f"{trigger.label}: near trigger with a {type(config).__name__}")
            specs.append((trigger.label, config.window, config.score))
            for side, names in enumerate((config.lexicon, config.near_lexicon)):
                for name in names:
                    if name not in ctx.lexicons:
                        raise PackError(f"{trigger.label}: unknown lexicon {name!r}")
                    for raw in ctx.lexicons[name]:
                        for literal, _ in term_forms(raw.split("|")[0]):
                            sides[literal].add((index, side))
        literals = sorted(sides)
        return cls(specs, literals, [sorted(sides[lit]) for lit in literals])

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """One hit per (trigger, term of the first lexicon) with a partner in the window."""
        joined = joined_view(texts)
        found = self._matcher.scan(joined)
        groups: dict[tuple[int, int, int], list[tuple[int, int, int]]] = defaultdict(list)
        for pid, row, start, end in zip(
            found.ids.tolist(), found.rows.tolist(), found.starts.tolist(), found.ends.tolist(),
            strict=True,
        ):
            for index, side in self._sides[pid]:
                groups[(row, index, side)].append((start, end, pid))
        hits: list[Hit] = []
        firsts_at: list[tuple[int, int, int]] = []  # (row, start, end) of each hit's first term
        for (row, index, side), firsts in groups.items():
            partners = groups.get((row, index, 1))
            if side != 0 or not partners:
                continue
            label, window, score = self._triggers[index]
            for start, end, pid in firsts:
                near = [p for p in partners if p[0] - end <= window and start - p[1] <= window
                        and (p[0], p[1]) != (start, end)]
                if not near:
                    continue
                other = min(near, key=lambda p: max(p[0] - end, start - p[1]))
                why = f"{self._literals[pid]} near {self._literals[other[2]]}"
                hits.append(Hit(row, self.name, label, min(start, other[0]), max(end, other[1]), score, why))
                firsts_at.append((row, start, end))
        if not hits:
            return hits
        at = np.array(firsts_at, dtype=np.int64)
        zeros = np.zeros(len(hits), dtype=np.int64)
        quoted = quoted_mask(HitColumns(self.name, ("",), ("",), at[:, 0], at[:, 1], at[:, 2], zeros, zeros,
                                        zeros.astype(np.float64)), joined)
        return [hit for hit, q in zip(hits, quoted.tolist(), strict=True) if not q]
