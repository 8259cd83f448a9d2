"""The PII detector: mainland resident ID numbers, mobile numbers and bank cards (个人信息).

Weak match (a digit shape) + validation (GB 11643 checksum via python-stdnum, the number
plan via phonenumbers, Luhn) + context (身份证, 卡号 …) = score. Digits may be full width
(folded by normalisation), spaced or hyphenated, or written as Chinese numerals
(一三八…, read on a one-to-one digit view so offsets do not move). One hyperscan prefilter
pass finds the few rows with a long digit run; only those are checked in Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar, Final, Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field
from stdnum import luhn
from stdnum.cn import ric

from redline.contracts import BuildContext, Hit, Trigger
from redline.detectors.matchers import PatternPrefilter
from redline.text.joined import JoinedText, joined_view
from redline.text.tables import fold_tables

Kind = Literal["resident_id", "mobile", "bank_card"]
_SEP: Final = r"[ \-]?"
_RESIDENT_ID: Final = re.compile(rf"(?<![0-9a-z])(\d(?:{_SEP}\d){{16}}{_SEP}[\dx])(?![0-9a-z])")
_MOBILE: Final = re.compile(rf"(?<![0-9])(?:\+?86{_SEP})?(1[3-9]\d(?:{_SEP}\d){{8}})(?![0-9])")
_CARD: Final = re.compile(rf"(?<![0-9])(\d(?:{_SEP}\d){{15,18}})(?![0-9])")
_PREFILTER: Final = r"\d([ \-]?\d){9}"
_ID_CONTEXT: Final = re.compile(r"身份证|证件号|身份号码")
_CARD_CONTEXT: Final = re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|开户|银行|转账|汇款|打款")
_MOBILE_TYPES: Final = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
ALL_KINDS: Final[tuple[Kind, ...]] = ("resident_id", "mobile", "bank_card")
CARD_EMIT: Final = 0.6  # a Luhn-valid number needs a UnionPay prefix or context to be reported


class PiiConfig(BaseModel):
    """`- pii: {}` (all kinds) or `- pii: [resident_id, mobile]`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: list[Kind] = Field(default_factory=lambda: list(ALL_KINDS))


def _digits(span: str) -> str:
    return span.replace(" ", "").replace("-", "")


def find_pii(text: str) -> list[tuple[int, int, Kind, float, str]]:
    """Validated PII in one normalised, digit-folded text: (start, end, kind, score, why)."""
    found: list[tuple[int, int, Kind, float, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, *_ in found)

    for m in _RESIDENT_ID.finditer(text):
        number = _digits(m.group(1)).upper()
        if ric.is_valid(number):
            score = 0.95 if _ID_CONTEXT.search(text) else 0.9
            found.append((m.start(1), m.end(1), "resident_id", score, "resident_id: GB 11643 checksum ok"))
    for m in _MOBILE.finditer(text):
        if not free(m.start(1), m.end(1)):
            continue
        phone = phonenumbers.parse("+86" + _digits(m.group(1)))
        if phonenumbers.is_valid_number(phone) and phonenumbers.number_type(phone) in _MOBILE_TYPES:
            found.append((m.start(), m.end(), "mobile", 0.85, "mobile: valid number plan"))
    for m in _CARD.finditer(text):
        number = _digits(m.group(1))
        if not free(m.start(1), m.end(1)) or not luhn.is_valid(number):
            continue
        score, why = 0.5, "bank_card: Luhn ok"
        if number.startswith("62"):
            score, why = score + 0.15, why + "; UnionPay prefix"
        if _CARD_CONTEXT.search(text):
            score, why = score + 0.35, why + "; card context"
        if score >= CARD_EMIT:
            found.append((m.start(1), m.end(1), "bank_card", min(score, 0.95), why))
    return sorted(found)


class PiiDetector:
    """Resident IDs, mobile numbers and bank cards, validated; one batch prefilter pass."""

    name: ClassVar[str] = "pii"
    Config: ClassVar[type[BaseModel]] = PiiConfig

    def __init__(self, labels: list[tuple[str, frozenset[str]]]) -> None:
        self._labels = labels
        self._prefilter = PatternPrefilter([_PREFILTER], caseless=False)

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> PiiDetector:
        """One detector for every pii trigger (each keeps its own kinds)."""
        return cls([(t.label, frozenset(getattr(t.config, "kinds", ()))) for t in triggers])

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per trigger; offsets in the normalised texts (the digit view keeps them)."""
        view: JoinedText = joined_view(texts).derived("digits", fold_tables().digit)
        hits: list[Hit] = []
        for _, row in self._prefilter.candidates(view):
            for start, end, kind, score, why in find_pii(view.row_text(row)):
                hits.extend(
                    Hit(row, self.name, label, start, end, score, why)
                    for label, kinds in self._labels
                    if kind in kinds
                )
        return hits
