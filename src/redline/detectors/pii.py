"""The PII detector: mainland resident ID numbers, mobile numbers, bank cards and home
addresses (个人信息; addresses in `home_address`).

Weak match (a digit shape) + validation (GB 11643 check digit and birth date, the 1[3-9]
mobile shape, Luhn) + confidence (a place code python-stdnum knows, the phonenumbers plan)
+ context (身份证, 卡号 …) = score; the reading lives in `detectors.numbers`, shared with
the console's masking. Digits may be full width (folded by normalisation), spaced or
hyphenated, or written as Chinese numerals (一三八…, folded one-to-one to digits so offsets
do not move). A vectorised count of digit
characters per row (from the batch's character classes) finds the few rows with ten or more;
only those are folded and checked in Python; so are the rows a literal pass finds with an
address word (栋, 单元, 家住 …).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BuildContext, Hit, HitColumns, Trigger, config_as
from redline.detectors.home_address import PREFILTER, find_addresses
from redline.detectors.matchers import HitColumnsBuilder, LiteralMatcher
from redline.detectors.numbers import MIN_DIGITS, find_numbers
from redline.text.joined import JoinedText, joined_view
from redline.text.tables import DIGIT, NUMERALS, fold_tables

Kind = Literal["resident_id", "mobile", "bank_card", "home_address"]
_TO_DIGITS: Final = str.maketrans(NUMERALS)
ALL_KINDS: Final[tuple[Kind, ...]] = ("resident_id", "mobile", "bank_card", "home_address")


class PiiConfig(BaseModel):
    """`- pii: {}` (all kinds) or `- pii: [resident_id, mobile]`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: list[Kind] = Field(default_factory=lambda: list(ALL_KINDS))


def find_pii(text: str) -> list[tuple[int, int, Kind, float, str]]:
    """Validated PII in one normalised, digit-folded text: (start, end, kind, score, why).

    The numbers come from `detectors.numbers`, the reading the console's masking shares;
    only those with lead-strength evidence are reported here (all of them are masked).
    """
    return [(s.start, s.end, s.kind, s.score, s.why) for s in find_numbers(text) if s.lead]


class PiiDetector:
    """Resident IDs, mobile numbers and bank cards, validated; one batch prefilter pass."""

    name: ClassVar[str] = "pii"
    Config: ClassVar[type[BaseModel]] = PiiConfig

    def __init__(self, labels: list[tuple[str, frozenset[str]]], cache_dir: Path | None = None) -> None:
        self._labels = labels
        wants_addresses = any("home_address" in kinds for _, kinds in labels)
        self._address_words = LiteralMatcher(PREFILTER, cache_dir) if wants_addresses else None

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> PiiDetector:
        """One detector for every pii trigger (each keeps its own kinds)."""
        return cls([(t.label, frozenset(config_as(t, PiiConfig).kinds)) for t in triggers], ctx.cache_dir)

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per trigger; offsets in the normalised texts (digit folding keeps them)."""
        return self.scan_columns(texts).to_hits()

    def scan_columns(self, texts: Sequence[str]) -> HitColumns:
        """`scan` as columns (no Hit object per hit)."""
        out = HitColumnsBuilder()
        joined = joined_view(texts)
        numbers = joined.row_counts(DIGIT) >= MIN_DIGITS
        places = np.zeros_like(numbers)
        if self._address_words is not None:
            places[self._address_words.scan(joined).rows] = True
        rows = np.flatnonzero(numbers | places)
        for row, text in zip(rows.tolist(), _digit_folded(texts, joined, rows), strict=True):
            found: list[tuple[int, int, Kind, float, str]] = find_pii(text) if numbers[row] else []
            if places[row]:
                found += [(start, end, "home_address", score, why) for start, end, score, why in find_addresses(text)]
            for start, end, kind, score, why in found:
                for index, (_, kinds) in enumerate(self._labels):
                    if kind in kinds:
                        out.add(row, index, start, end, score, why)
        return out.build(self.name, [label for label, _ in self._labels])


def _digit_folded(texts: Sequence[str], joined: JoinedText, rows: npt.NDArray[np.int64]) -> list[str]:
    """The candidate rows with numerals folded to digits (一三八 → 138), offsets unchanged.

    On a normalised batch the rows' code points go through the digit table in one numpy
    gather and one decode; plain strings are translated one by one.
    """
    if getattr(texts, "joined", None) is not joined or not len(rows):
        return [texts[row].translate(_TO_DIGITS) for row in rows.tolist()]
    starts, ends = joined.row_starts[rows], joined.row_ends[rows]
    lengths = ends - starts
    offsets = np.cumsum(lengths) - lengths
    at = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
    folded = fold_tables().digit.take(joined.codepoints.take(at)).tobytes().decode("utf-32-le")
    return [folded[lo:hi] for lo, hi in zip(offsets.tolist(), (offsets + lengths).tolist(), strict=True)]
