"""The PII detector: mainland resident ID numbers, mobile numbers, bank cards and home
addresses (个人信息; addresses in `home_address`).

Weak match (a digit shape) + validation (GB 11643 checksum via python-stdnum, the number
plan via phonenumbers, Luhn) + context (身份证, 卡号 …) = score. Digits may be full width
(folded by normalisation), spaced or hyphenated, or written as Chinese numerals
(一三八…, folded one-to-one to digits so offsets do not move). A vectorised count of digit
characters per row (from the batch's character classes) finds the few rows with ten or more;
only those are folded and checked in Python; so are the rows a literal pass finds with an
address word (栋, 单元, 家住 …).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Final, Literal

import numpy as np
import numpy.typing as npt
import phonenumbers
from pydantic import BaseModel, ConfigDict, Field
from stdnum import luhn
from stdnum.cn import ric

from redline.contracts import BuildContext, Hit, HitColumns, Trigger, config_as
from redline.detectors.home_address import PREFILTER, find_addresses
from redline.detectors.matchers import HitColumnsBuilder, LiteralMatcher
from redline.text.joined import JoinedText, joined_view
from redline.text.tables import DIGIT, NUMERALS, fold_tables

Kind = Literal["resident_id", "mobile", "bank_card", "home_address"]
# one pass per candidate row: every digit run (single spaces or hyphens allowed inside),
# then the run's length decides which validator applies
# between two digits: up to two characters that are neither digits, letters nor 汉字
# (spaces, hyphens, dots, emoji: 138 1234 5678, 1·3·8…)
_GAP: Final = r"[^0-9a-z\u4e00-\u9fff\n]{0,2}"
_RUN: Final = re.compile(
    rf"(?<![0-9a-z+])(\+?86{_GAP})?(\d(?:{_GAP}\d){{9,18}}(?:{_GAP}x)?)(?![0-9a-z])"
)
_NOT_DIGIT: Final = re.compile(r"[^0-9x]")
_MIN_DIGITS: Final = 10  # no mobile, ID or card number has fewer
_TO_DIGITS: Final = str.maketrans(NUMERALS)
_ID_CONTEXT: Final = re.compile(r"身份证|证件号|身份号码")
# a number given to be called (联系人…电话, 报名请联系, 值班电话) is a notice, not a leak of
# someone's privacy; the reach is short so that 联系一下老王，他老婆电话… still counts
_CONTACT: Final = re.compile(r"联系|咨询|报名|热线|值班|办公电话|座机|接待|对接人")
CONTACT_REACH: Final = 10
_CARD_CONTEXT: Final = re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|开户|银行|转账|汇款|打款")
ALL_KINDS: Final[tuple[Kind, ...]] = ("resident_id", "mobile", "bank_card", "home_address")
CARD_EMIT: Final = 0.6  # a Luhn-valid number needs a UnionPay prefix or context to be reported


class PiiConfig(BaseModel):
    """`- pii: {}` (all kinds) or `- pii: [resident_id, mobile]`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: list[Kind] = Field(default_factory=lambda: list(ALL_KINDS))


def _digits(span: str) -> str:
    return _NOT_DIGIT.sub("", span)


# the mainland mobile number plan, from phonenumbers' own metadata, compiled once
_MOBILE_PLAN: Final = re.compile(
    str(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)  # type: ignore[union-attr]
)


def _mobile_ok(number: str) -> bool:
    return len(number) == 11 and _MOBILE_PLAN.fullmatch(number) is not None


@functools.lru_cache(maxsize=8192)
def _place_ok(area: str, year: str) -> bool:
    # the 行政区划 code must exist in the birth year (stdnum's numdb lookup is slow: cache it)
    probe = area + year + "0101000"
    return bool(ric.is_valid(probe + ric.calc_check_digit(probe + "0")))


def _resident_id_ok(number: str) -> bool:
    """GB 11643: check digit, a real birth date, and a place code valid in that year."""
    if not number[:17].isdigit() or ric.calc_check_digit(number) != number[17]:
        return False
    try:  # the birth date must exist (stdnum's get_birth_date does the same, 50x slower)
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _place_ok(number[:6], number[6:10])


def find_pii(text: str) -> list[tuple[int, int, Kind, float, str]]:
    """Validated PII in one normalised, digit-folded text: (start, end, kind, score, why)."""
    found: list[tuple[int, int, Kind, float, str]] = []
    for m in _RUN.finditer(text):
        number = _digits(m.group(2)).upper()
        start, end = m.span(2)
        if len(number) == 18 and _resident_id_ok(number):
            score = 0.95 if _ID_CONTEXT.search(text) else 0.9
            found.append((start, end, "resident_id", score, "resident_id: GB 11643 checksum ok"))
        elif len(number) == 11 and number[0] == "1" and _mobile_ok(number):
            if _CONTACT.search(text, max(0, m.start() - CONTACT_REACH), m.start()) is None:
                found.append((m.start(), end, "mobile", 0.85, "mobile: valid number plan"))
        elif 16 <= len(number) <= 19 and number.isdigit() and luhn.is_valid(number):
            score, why = 0.5, "bank_card: Luhn ok"
            if number.startswith("62"):
                score, why = score + 0.15, why + "; UnionPay prefix"
            if _CARD_CONTEXT.search(text):
                score, why = score + 0.35, why + "; card context"
            if score >= CARD_EMIT:
                found.append((start, end, "bank_card", min(score, 0.95), why))
    return found


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
        numbers = joined.row_counts(DIGIT) >= _MIN_DIGITS
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
